/**
 * Policy-model speed at the recipe's size (d=96, 3 layers, 4 heads; RECIPE.md): SFT training
 * tokens/s with the custom-gradient matmuls against plain tf.matMul autodiff (same run), and
 * RL-rollout generation tokens/s with the KV cache against full recomputation, on wasm and cpu,
 * with achieved GFLOP/s (6·N·D training, 2·N·D generation). The parity target is PyTorch on
 * the same CPU in the same run: bench/pytorch/policy_bench.py builds the same model (its parameter
 * count must equal ours) and times the same SFT step and cached rollout at the wasm case's shapes.
 * It runs only where `python3` can import torch (an optional tool, not a project dependency);
 * elsewhere a note says so and wasm is compared with RECIPE.md's quoted prototype figure instead.
 *
 * On wasm the batched-matmul kernel (electron/ml/kernels/matmul.ts) is compared with tfjs's stock
 * kernel step by step in the same run, and with BENCH_WASM_THREADS=N (2..8) the SFT step and the
 * rollout are timed again on the threaded build with N threads, against 1 thread in the same run.
 *
 * Env: BENCH_STEPS (timed steps per case on wasm and PyTorch, default 3), BENCH_TORCH_THREADS
 * (PyTorch intra-op threads, default 1: the wasm backend is single-threaded), BENCH_PYTHON (the
 * interpreter, default python3; e.g. /usr/bin/python3 for Debian's python3-torch under pyenv),
 * BENCH_WASM_THREADS (threaded-wasm case, default off).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '../shared/util/rng';
import { generationFlops, paramCount, trainingFlops } from '../electron/ml/flops';
import {
  createAdamW, createModel, disposeAdamW, disposeModel, forward, generate, maskedCrossEntropy, recipeModelConfig,
  RECIPE_ADAMW, setDenseMode, sftBatch, trainStep, type DenseMode, type ModelConfig,
} from '../electron/ml/model';
import { installWasmMatMul, setWasmMatMulEnabled } from '../electron/ml/kernels/matmul';
import { registerThreadedWasm, wasmThreadsInUse } from '../electron/ml/kernels/wasm-threads';
import { createTokenizer } from '../electron/ml/tokenizer';
import { median, referenceBlas, type BenchResult, type BenchSuite } from './harness';

const STEPS = Number(process.env.BENCH_STEPS ?? 3);
const SEQ = 32; // RECIPE.md: prompt + answer ≤ 32 tokens
const PROMPT = 15; // the multi-turn recipe's first prompt
const NEW = 17; // answer tokens sampled per attempt
const WASM_BATCH = 128;
const LR = 1e-4;
const MAX_GRAD_NORM = 1;
const PYTHON = process.env.BENCH_PYTHON ?? 'python3';
const TORCH_THREADS = Number(process.env.BENCH_TORCH_THREADS ?? 1);
const WASM_THREADS = Number(process.env.BENCH_WASM_THREADS ?? 1);
const TORCH_SCRIPT = fileURLToPath(new URL('./pytorch/policy_bench.py', import.meta.url));

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

/** One way of running the model: dense-gradient mode and whether the wasm matmul kernel is on. */
interface Variant {
  dense: DenseMode;
  kernel: boolean;
}

function apply(v: Variant): void {
  setDenseMode(v.dense);
  setWasmMatMulEnabled(v.kernel);
}

/**
 * Median ms of one SFT step (forward, backward, clip, AdamW) on `batch` sequences per variant.
 * Variants alternate step by step on one model, so load from other processes on this shared
 * machine hits all alike.
 */
function sftStepMs<K extends string>(variants: Record<K, Variant>, batch: number, steps: number): Record<K, number> {
  const cfg = config();
  const model = createModel(cfg);
  const opt = createAdamW(model, RECIPE_ADAMW);
  const b = sftBatch(randomExamples(batch, cfg.vocabSize, 1), 0);
  const loss = () => tf.tidy(() => {
    const out = forward(model, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad });
    return maskedCrossEntropy(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'), tf.tensor2d(b.mask, [b.batch, b.length]));
  });
  const keys = Object.keys(variants) as K[];
  const times = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i <= steps; i++) {
    for (const k of i % 2 ? [...keys].reverse() : keys) {
      apply(variants[k]);
      const t0 = performance.now();
      trainStep(model, opt, loss, { lr: LR, maxGradNorm: MAX_GRAD_NORM });
      if (i > 0) times[k].push(performance.now() - t0); // round 0 warms up
    }
  }
  apply({ dense: 'custom', kernel: true });
  disposeAdamW(opt);
  disposeModel(model);
  return Object.fromEntries(keys.map((k) => [k, median(times[k])])) as Record<K, number>;
}

/**
 * Median ms to sample NEW tokens for `batch` prompts at T=1 (no stop token), alternated: cached
 * with the matmul kernel, cached with tfjs's stock kernel (`withStock`), and full recomputation.
 */
function generateMs(batch: number, steps: number, withStock: boolean): { cached: number; cachedStock: number; full: number } {
  const cfg = config();
  const model = createModel(cfg);
  const prompts = randomExamples(batch, cfg.vocabSize, 2).map((e) => e.prompt);
  const cases = [
    { key: 'cached', useCache: true, kernel: true },
    ...(withStock ? [{ key: 'cachedStock', useCache: true, kernel: false }] : []),
    { key: 'full', useCache: false, kernel: true },
  ] as const;
  const times: Record<string, number[]> = { cached: [], cachedStock: [], full: [] };
  for (let i = 0; i <= steps; i++) {
    // Reversed every other round: a case that follows full recomputation pays for its garbage.
    for (const c of i % 2 ? [...cases].reverse() : cases) {
      setWasmMatMulEnabled(c.kernel);
      const t0 = performance.now();
      generate(model, { prompts, maxNewTokens: NEW, padToken: 0, temperature: 1, rng: createRng(5), useCache: c.useCache });
      if (i > 0) times[c.key]!.push(performance.now() - t0);
    }
  }
  setWasmMatMulEnabled(true);
  disposeModel(model);
  return { cached: median(times.cached!), cachedStock: median(times.cachedStock!), full: median(times.full!) };
}

function loadLine(): string {
  return `load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} CPUs`;
}

/** What policy_bench.py prints. */
interface TorchResult {
  torch_version: string;
  threads: number;
  params: number;
  attention: string;
  blas: string;
  sft_step_ms: number;
  sft_tokens_per_s: number;
  gen_ms: number;
  gen_tokens_per_s: number;
}

/** Why PyTorch cannot run here, or undefined when `PYTHON -c "import torch"` succeeds. */
function torchMissing(): string | undefined {
  // Fails fast where it is absent: ENOENT without python, an ImportError without torch.
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `${PYTHON}: ${r.error.message}`;
  if (r.status !== 0) return r.stderr.trim().split('\n').pop() ?? `exit status ${r.status}`;
  return undefined;
}

/** Runs policy_bench.py with the wasm case's model and shapes. */
function runTorch(cfg: ModelConfig): TorchResult {
  if (cfg.activation !== 'gelu') throw new Error('policy_bench.py implements the GELU MLP only');
  if (!Number.isInteger(TORCH_THREADS) || TORCH_THREADS < 1) throw new Error(`BENCH_TORCH_THREADS must be a positive integer, got ${process.env.BENCH_TORCH_THREADS}`);
  const input = {
    vocab: cfg.vocabSize, d_model: cfg.dModel, n_layers: cfg.nLayers, n_heads: cfg.nHeads, ffn_mult: cfg.ffnMult,
    context: cfg.contextLength, batch: WASM_BATCH, seq: SEQ, prompt: PROMPT, new_tokens: NEW,
    steps: STEPS, threads: TORCH_THREADS, lr: LR, max_grad_norm: MAX_GRAD_NORM,
    beta1: RECIPE_ADAMW.beta1, beta2: RECIPE_ADAMW.beta2, eps: RECIPE_ADAMW.eps, weight_decay: RECIPE_ADAMW.weightDecay,
  };
  // stderr passes through, so a traceback is shown as it is.
  const r = spawnSync(PYTHON, [TORCH_SCRIPT, JSON.stringify(input)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error || r.status !== 0) throw new Error(`${TORCH_SCRIPT} failed: ${r.error?.message ?? `exit status ${r.status}`}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as TorchResult;
}

const suite: BenchSuite = async () => {
  const results: BenchResult[] = [];
  const cfg = config();
  const n = paramCount(cfg);
  // PyTorch first: a model that does not match ours fails before the long TF.js cases.
  const missing = torchMissing();
  const torch = missing === undefined ? runTorch(cfg) : undefined;
  const reference = torch ? referenceBlas(torch.blas) : null;
  if (torch) {
    if (torch.params !== n) throw new Error(`policy_bench.py's model has ${torch.params} parameters, ours ${n}: not the same architecture`);
    console.log(`PyTorch ${torch.torch_version}, ${torch.threads} thread(s), ${torch.attention} attention, BLAS: ${torch.blas}`);
    if (reference) console.warn(`WARNING: PyTorch runs on the reference BLAS (${reference}), ~25x slower than OpenBLAS: the ratios to it are marked INVALID. Install libopenblas0-pthread (README, Benchmarks).`);
  } else {
    console.log(`PyTorch not found (${missing}); comparing with RECIPE.md's quoted figure instead`);
  }
  console.log(`before the TF.js cases: ${loadLine()}`);
  installWasmMatMul();
  let wasmTrain = 0;
  let wasmRollout = 0;
  const sftTokens = (batch: number, ms: number) => (batch * (SEQ - 1) * 1000) / ms;
  const genTokens = (batch: number, ms: number) => (batch * NEW * 1000) / ms;
  for (const backend of ['wasm', 'cpu'] as const) {
    if (!(await tf.setBackend(backend))) continue;
    // cpu is ~15× slower: a smaller batch and one timed step keep the suite short (tokens/s is per token).
    const batch = backend === 'wasm' ? WASM_BATCH : 16;
    const steps = backend === 'wasm' ? STEPS : 1;
    if (backend === 'wasm') {
      const ms = sftStepMs({
        custom: { dense: 'custom', kernel: true },
        stock: { dense: 'custom', kernel: false },
        plain: { dense: 'plain', kernel: false },
      }, batch, steps);
      const custom = sftTokens(batch, ms.custom);
      results.push({ name: `wasm: SFT step tokens/s (B=${batch}, T=${SEQ - 1}, N=${n})`, value: custom, unit: 'tok/s', baseline: { name: 'stock tfjs BatchMatMul kernel', value: sftTokens(batch, ms.stock) } });
      results.push({ name: 'wasm: SFT step tokens/s, stock kernel', value: sftTokens(batch, ms.stock), unit: 'tok/s', baseline: { name: 'plain tf.matMul grads', value: sftTokens(batch, ms.plain) } });
      results.push({ name: 'wasm: SFT step achieved (6·N·D)', value: trainingFlops(n, custom) / 1e9, unit: 'GFLOP/s' });
      const gen = generateMs(batch, steps, true);
      const cached = genTokens(batch, gen.cached);
      results.push({ name: `wasm: rollout tokens/s (B=${batch}, prompt ${PROMPT}, ${NEW} new)`, value: cached, unit: 'tok/s', baseline: { name: 'stock tfjs BatchMatMul kernel', value: genTokens(batch, gen.cachedStock) } });
      results.push({ name: 'wasm: rollout tokens/s, KV cache', value: cached, unit: 'tok/s', baseline: { name: 'full recompute', value: genTokens(batch, gen.full) } });
      results.push({ name: 'wasm: rollout achieved (2·N·D, generated tokens)', value: generationFlops(n, cached) / 1e9, unit: 'GFLOP/s' });
      wasmTrain = custom;
      wasmRollout = cached;
    } else {
      const ms = sftStepMs({ custom: { dense: 'custom', kernel: true } }, batch, steps);
      const custom = sftTokens(batch, ms.custom);
      results.push({ name: `cpu: SFT step tokens/s (B=${batch}, T=${SEQ - 1}, N=${n})`, value: custom, unit: 'tok/s' });
      results.push({ name: 'cpu: SFT step achieved (6·N·D)', value: trainingFlops(n, custom) / 1e9, unit: 'GFLOP/s' });
      const gen = generateMs(batch, steps, false);
      const cached = genTokens(batch, gen.cached);
      results.push({ name: `cpu: rollout tokens/s (B=${batch}, prompt ${PROMPT}, ${NEW} new)`, value: cached, unit: 'tok/s', baseline: { name: 'full recompute', value: genTokens(batch, gen.full) } });
      results.push({ name: 'cpu: rollout achieved (2·N·D, generated tokens)', value: generationFlops(n, cached) / 1e9, unit: 'GFLOP/s' });
    }
  }
  let wasmTrainMt = 0;
  let wasmRolloutMt = 0;
  if (WASM_THREADS > 1) {
    registerThreadedWasm(WASM_THREADS);
    if (await tf.setBackend('wasm')) {
      const threads = wasmThreadsInUse();
      const ms = sftStepMs({ custom: { dense: 'custom', kernel: true } }, WASM_BATCH, STEPS);
      wasmTrainMt = sftTokens(WASM_BATCH, ms.custom);
      wasmRolloutMt = genTokens(WASM_BATCH, generateMs(WASM_BATCH, STEPS, false).cached);
      results.push({ name: `wasm ${threads} threads: SFT step tokens/s`, value: wasmTrainMt, unit: 'tok/s', baseline: { name: 'wasm 1 thread', value: wasmTrain } });
      results.push({ name: `wasm ${threads} threads: rollout tokens/s`, value: wasmRolloutMt, unit: 'tok/s', baseline: { name: 'wasm 1 thread', value: wasmRollout } });
    }
  }
  console.log(`after the TF.js cases: ${loadLine()}`);
  if (torch) {
    const baseline = (value: number) => ({ name: `PyTorch CPU ${torch.threads} thread${torch.threads === 1 ? '' : 's'} (same run)`, value });
    const invalid = reference ? { invalid: `PyTorch on the reference BLAS ${reference}` } : {};
    results.push({ name: 'PyTorch model params (must equal ours)', value: torch.params, unit: 'params', baseline: { name: 'TF.js model', value: n } });
    if (wasmTrain > 0) {
      results.push({ name: `wasm SFT tokens/s vs PyTorch (B=${WASM_BATCH}, T=${SEQ - 1})`, value: wasmTrain, unit: 'tok/s', baseline: baseline(torch.sft_tokens_per_s), ...invalid });
      results.push({ name: `wasm rollout tokens/s vs PyTorch (B=${WASM_BATCH}, ${NEW} new)`, value: wasmRollout, unit: 'tok/s', baseline: baseline(torch.gen_tokens_per_s), ...invalid });
    }
    if (wasmTrainMt > 0) {
      results.push({ name: `wasm ${WASM_THREADS} threads SFT tokens/s vs PyTorch`, value: wasmTrainMt, unit: 'tok/s', baseline: baseline(torch.sft_tokens_per_s) });
      results.push({ name: `wasm ${WASM_THREADS} threads rollout tokens/s vs PyTorch`, value: wasmRolloutMt, unit: 'tok/s', baseline: baseline(torch.gen_tokens_per_s) });
    }
  } else if (wasmTrain > 0) {
    // RECIPE.md's PyTorch prototype: about 0.2 s per 128×31-token SFT step, 1 thread (not this run).
    results.push({ name: 'wasm SFT tokens/s vs PyTorch (RECIPE.md figure)', value: wasmTrain, unit: 'tok/s', baseline: { name: 'PyTorch 1 thread, quoted', value: (128 * 31) / 0.2 } });
  }
  return results;
};

export default suite;
