/**
 * Policy-model speed at the recipe's size (d=96, 3 layers, 4 heads; RECIPE.md): SFT training
 * tokens/s with the custom-gradient matmuls against plain tf.matMul autodiff (same run), and
 * RL-rollout generation tokens/s with the KV cache against full recomputation, on wasm and cpu,
 * with achieved GFLOP/s (6·N·D training, 2·N·D generation). PyTorch is not installed on this
 * machine, so the parity target is quoted from RECIPE.md's prototype (not a same-run figure).
 *
 * Env: BENCH_STEPS (timed steps per case on wasm, default 3).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '../shared/util/rng';
import { generationFlops, paramCount, trainingFlops } from '../electron/ml/flops';
import {
  createAdamW, createModel, disposeAdamW, disposeModel, forward, generate, maskedCrossEntropy, recipeModelConfig,
  RECIPE_ADAMW, setDenseMode, sftBatch, trainStep, type DenseMode, type ModelConfig,
} from '../electron/ml/model';
import { createTokenizer } from '../electron/ml/tokenizer';
import type { BenchResult, BenchSuite } from './harness';

const STEPS = Number(process.env.BENCH_STEPS ?? 3);
const SEQ = 32; // RECIPE.md: prompt + answer ≤ 32 tokens
const PROMPT = 15; // the multi-turn recipe's first prompt
const NEW = 17; // answer tokens sampled per attempt

function config(): ModelConfig {
  return recipeModelConfig(createTokenizer().vocabSize, 112);
}

function randomExamples(n: number, vocab: number, seed: number) {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => ({
    prompt: Array.from({ length: PROMPT }, () => 4 + rng.int(vocab - 4)),
    answer: Array.from({ length: SEQ - PROMPT }, () => 4 + rng.int(vocab - 4)),
  }));
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * Median ms of one SFT step (forward, backward, clip, AdamW) on `batch` sequences per
 * dense-gradient mode. Modes alternate step by step on one model, so load from other processes
 * on this shared 2-core machine hits both alike.
 */
function sftStepMs(modes: DenseMode[], batch: number, steps: number): Record<DenseMode, number> {
  const cfg = config();
  const model = createModel(cfg);
  const opt = createAdamW(model, RECIPE_ADAMW);
  const b = sftBatch(randomExamples(batch, cfg.vocabSize, 1), 0);
  const loss = () => tf.tidy(() => {
    const out = forward(model, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad });
    return maskedCrossEntropy(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'), tf.tensor2d(b.mask, [b.batch, b.length]));
  });
  const times: Record<DenseMode, number[]> = { custom: [], plain: [] };
  for (let i = 0; i <= steps; i++) {
    for (const m of modes) {
      setDenseMode(m);
      const t0 = performance.now();
      trainStep(model, opt, loss, { lr: 1e-4, maxGradNorm: 1 });
      if (i > 0) times[m].push(performance.now() - t0); // round 0 warms up
    }
  }
  setDenseMode('custom');
  disposeAdamW(opt);
  disposeModel(model);
  return { custom: median(times.custom), plain: median(times.plain) };
}

/** Median ms to sample NEW tokens for `batch` prompts at T=1 (no stop token), cached vs recomputing, alternated. */
function generateMs(batch: number, steps: number): { cached: number; full: number } {
  const cfg = config();
  const model = createModel(cfg);
  const prompts = randomExamples(batch, cfg.vocabSize, 2).map((e) => e.prompt);
  const times = { cached: [] as number[], full: [] as number[] };
  for (let i = 0; i <= steps; i++) {
    for (const useCache of [true, false]) {
      const t0 = performance.now();
      generate(model, { prompts, maxNewTokens: NEW, padToken: 0, temperature: 1, rng: createRng(5), useCache });
      if (i > 0) times[useCache ? 'cached' : 'full'].push(performance.now() - t0);
    }
  }
  disposeModel(model);
  return { cached: median(times.cached), full: median(times.full) };
}

const suite: BenchSuite = async () => {
  const results: BenchResult[] = [];
  const n = paramCount(config());
  let wasmTrain = 0;
  for (const backend of ['wasm', 'cpu'] as const) {
    if (!(await tf.setBackend(backend))) continue;
    // cpu is ~15× slower: a smaller batch and one timed step keep the suite short (tokens/s is per token).
    const batch = backend === 'wasm' ? 128 : 16;
    const steps = backend === 'wasm' ? STEPS : 1;
    const ms = sftStepMs(backend === 'wasm' ? ['custom', 'plain'] : ['custom'], batch, steps);
    const custom = (batch * (SEQ - 1) * 1000) / ms.custom;
    const plain = (batch * (SEQ - 1) * 1000) / ms.plain;
    results.push({
      name: `${backend}: SFT step tokens/s (B=${batch}, T=${SEQ - 1}, N=${n})`, value: custom, unit: 'tok/s',
      ...(Number.isFinite(plain) ? { baseline: { name: 'plain tf.matMul grads', value: plain } } : {}),
    });
    results.push({ name: `${backend}: SFT step achieved (6·N·D)`, value: trainingFlops(n, custom) / 1e9, unit: 'GFLOP/s' });
    const gen = generateMs(batch, steps);
    const cached = (batch * NEW * 1000) / gen.cached;
    const full = (batch * NEW * 1000) / gen.full;
    results.push({ name: `${backend}: rollout tokens/s (B=${batch}, prompt ${PROMPT}, ${NEW} new)`, value: cached, unit: 'tok/s', baseline: { name: 'full recompute', value: full } });
    results.push({ name: `${backend}: rollout achieved (2·N·D, generated tokens)`, value: generationFlops(n, cached) / 1e9, unit: 'GFLOP/s' });
    if (backend === 'wasm') wasmTrain = custom;
  }
  // RECIPE.md's PyTorch prototype: about 0.2 s per 128×31-token SFT step, 1 thread (not this run).
  if (wasmTrain > 0) {
    results.push({ name: 'wasm SFT tokens/s vs PyTorch (RECIPE.md figure)', value: wasmTrain, unit: 'tok/s', baseline: { name: 'PyTorch 1 thread, quoted', value: (128 * 31) / 0.2 } });
  }
  return results;
};

export default suite;
