/**
 * GeneralPoints training stages at the recipe's size (d=96, 3 layers, 4 heads, context 80) on
 * wasm: SFT step tokens/s (batch 128, data generation included), multi-turn base step tokens/s,
 * the GRPO step (16 prompts × 8 episodes, V=3) with its generation share, and greedy evaluation
 * episodes/s. The model is freshly initialised, so every episode fails and uses all 3 attempts
 * of 17 tokens: the worst case for generation. Baselines are RECIPE.md's PyTorch prototype
 * figures (quoted, not measured here: PyTorch is not installed on this machine).
 *
 * Env: BENCH_STEPS (timed steps per case, default 3).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { GP_RULE } from '../shared/experiments/presets';
import { paramCount, trainingFlops } from '../electron/ml/flops';
import { createAdamW, createModel, disposeAdamW, disposeModel, RECIPE_ADAMW } from '../electron/ml/model';
import { evaluate } from '../electron/ml/engine/eval';
import { rlStep } from '../electron/ml/engine/rl';
import { policyModelConfig } from '../electron/ml/engine/runner';
import { baseStep, sftStep, supervisedUpdate } from '../electron/ml/engine/sft';
import type { StepInput } from '../electron/ml/engine/step';
import { createGpTask, sftExamples } from '../electron/ml/tasks/generalpoints/task';
import { createRng } from '../shared/util/rng';
import { median, medianStepMetrics, type BenchResult, type BenchSuite } from './harness';

const STEPS = Number(process.env.BENCH_STEPS ?? 3);

const suite: BenchSuite = async () => {
  const results: BenchResult[] = [];
  if (!(await tf.setBackend('wasm'))) return results;
  await tf.ready();
  const task = createGpTask();
  const { codec } = task;
  const cfg = policyModelConfig(task, { ...GP_RULE, seed: 0 });
  const n = paramCount(cfg);
  const model = createModel(cfg);
  const optimizer = createAdamW(model, RECIPE_ADAMW);
  const input = (stageId: string, step: number, lr = 1e-4): StepInput => ({ model, optimizer, task, seed: 0, stageId, step, lr, maxGradNorm: 1 });
  /** Median metrics of STEPS timed steps after one warm-up step. */
  const measure = (run: (step: number) => Record<string, number>) => medianStepMetrics(STEPS, run);

  // SFT step (data generation included) alternated with the bare update on a prebuilt batch of
  // the same shape, so load from other processes hits both alike.
  const prebuilt = sftExamples(createRng(99), codec, GP_RULE.sft.batch, 'canonical');
  const bare: number[] = [];
  const sft = measure((s) => {
    bare.push(supervisedUpdate(input('bare', s), prebuilt).metrics['perf/tokens_per_s'] as number);
    return sftStep(input('sft', s), GP_RULE.sft).metrics;
  });
  results.push({
    name: `wasm: SFT step tokens/s (B=128, N=${n})`, value: sft['perf/tokens_per_s'] as number, unit: 'tok/s',
    baseline: { name: 'bare update, prebuilt batch', value: median(bare.slice(1)) },
  });
  results.push({
    name: 'wasm: SFT step tokens/s vs PyTorch', value: sft['perf/tokens_per_s'] as number, unit: 'tok/s',
    baseline: { name: 'PyTorch 1 thread, RECIPE.md (0.2 s/step), quoted', value: (128 * 31) / 0.2 },
  });
  results.push({ name: 'wasm: SFT step achieved (6·N·D)', value: trainingFlops(n, sft['perf/tokens_per_s'] as number) / 1e9, unit: 'GFLOP/s' });
  results.push({ name: 'wasm: SFT step wall', value: (sft['perf/step_s'] as number) * 1000, unit: 'ms' });

  const base = measure((s) => baseStep(input('base-mt', s), GP_RULE.base, { multiTurn: true, maxAttempts: 3 }).metrics);
  results.push({ name: 'wasm: multi-turn base step tokens/s (B=128)', value: base['perf/tokens_per_s'] as number, unit: 'tok/s' });

  const rl = measure((s) => rlStep(input('rl', s), GP_RULE.rl).metrics);
  results.push({
    name: 'wasm: GRPO step 16×8 episodes, V=3 (all 3 attempts)', value: (rl['perf/step_s'] as number) * 1000, unit: 'ms',
    baseline: { name: 'PyTorch V=3 step, RECIPE.md part 2 (1.1 s, shared CPU)', value: 1100 },
  });
  results.push({ name: 'wasm: GRPO step generation share', value: 100 * (rl['perf/gen_share'] as number), unit: '%' });
  results.push({ name: 'wasm: GRPO rollout sampled tokens/s', value: (rl['gen/sampled_tokens'] as number) / (rl['perf/gen_s'] as number), unit: 'tok/s' });

  const evalCfg = { ...GP_RULE.eval, oodEpisodes: 200 };
  const actor = { kind: 'checkpoint' as const, name: 'bench' };
  evaluate(model, task, { ...evalCfg, oodEpisodes: 16 }, 'ood', actor); // warm-up
  const eps = median(Array.from({ length: Math.max(1, Math.min(STEPS, 2)) }, () => evaluate(model, task, evalCfg, 'ood', actor).metrics['eval/ood/episodes_per_s'] as number));
  results.push({ name: 'wasm: greedy eval episodes/s (200 OOD hands, V=3)', value: eps, unit: 'episodes/s' });

  disposeAdamW(optimizer);
  disposeModel(model);
  return results;
};

export default suite;
