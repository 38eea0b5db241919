/**
 * V-IRL-L training steps at the virl-rule preset's size (d=96, 3 layers, context 96) on wasm,
 * beside gp-train's GeneralPoints figures: the SFT step on expert examples of training routes
 * (tokens/s, data generation included), the GRPO step (8 routes × 8 samples, verification
 * limit 2; episodes/s and its generation share) and greedy evaluation (routes/s). The model is
 * freshly initialised, so most routes end at their first point: the RL figure is per episode.
 * Baseline: the same SFT update on a prebuilt batch, alternated with it in the same run.
 *
 * Env: BENCH_STEPS (timed steps per case, default 3).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { VIRL_RULE } from '../shared/experiments/presets';
import { createRng } from '../shared/util/rng';
import { evaluate } from '../electron/ml/engine/eval';
import { rlStep } from '../electron/ml/engine/rl';
import { policyModelConfig } from '../electron/ml/engine/runner';
import { sftStep, supervisedUpdate } from '../electron/ml/engine/sft';
import type { StepInput } from '../electron/ml/engine/step';
import { createVirlTask } from '../electron/ml/tasks/virl/task';
import { paramCount } from '../electron/ml/flops';
import { createAdamW, createModel, disposeAdamW, disposeModel, RECIPE_ADAMW } from '../electron/ml/model';
import { median, medianStepMetrics, type BenchResult, type BenchSuite } from './harness';

const STEPS = Number(process.env.BENCH_STEPS ?? 3);

const suite: BenchSuite = async () => {
  const results: BenchResult[] = [];
  if (!(await tf.setBackend('wasm'))) return results;
  await tf.ready();
  const task = createVirlTask();
  const cfg = policyModelConfig(task, VIRL_RULE);
  const n = paramCount(cfg);
  const model = createModel(cfg);
  const optimizer = createAdamW(model, RECIPE_ADAMW);
  const input = (stageId: string, step: number): StepInput => ({ model, optimizer, task, seed: 0, stageId, step, lr: 1e-4, maxGradNorm: 1 });
  const measure = (run: (step: number) => Record<string, number>) => medianStepMetrics(STEPS, run);

  const prebuilt = task.expertExamples(createRng(99), VIRL_RULE.sft.batch, 'canonical');
  const bare: number[] = [];
  const sft = measure((s) => {
    bare.push(supervisedUpdate(input('bare', s), prebuilt).metrics['perf/tokens_per_s'] as number);
    return sftStep(input('sft', s), VIRL_RULE.sft).metrics;
  });
  results.push({
    name: `wasm: V-IRL SFT step tokens/s (B=${VIRL_RULE.sft.batch}, N=${n})`, value: sft['perf/tokens_per_s'] as number, unit: 'tok/s',
    baseline: { name: 'bare update, prebuilt batch', value: median(bare.slice(1)) },
  });

  const rl = measure((s) => rlStep(input('rl', s), VIRL_RULE.rl).metrics);
  const episodes = VIRL_RULE.rl.promptsPerStep * VIRL_RULE.rl.groupSize;
  results.push({ name: `wasm: V-IRL GRPO step episodes/s (${VIRL_RULE.rl.promptsPerStep}×${VIRL_RULE.rl.groupSize}, V=2)`, value: episodes / (rl['perf/step_s'] as number), unit: 'episodes/s' });
  results.push({ name: 'wasm: V-IRL GRPO step generation share', value: 100 * (rl['perf/gen_share'] as number), unit: '%' });

  const actor = { kind: 'checkpoint' as const, name: 'bench' };
  evaluate(model, task, { ...VIRL_RULE.eval, oodEpisodes: 8 }, 'ood', actor); // warm-up
  const eps = median(Array.from({ length: Math.max(1, Math.min(STEPS, 2)) }, () => evaluate(model, task, { ...VIRL_RULE.eval, oodEpisodes: 50 }, 'ood', actor).metrics['eval/ood/episodes_per_s'] as number));
  results.push({ name: 'wasm: V-IRL greedy eval routes/s (50 OOD routes)', value: eps, unit: 'routes/s' });

  disposeAdamW(optimizer);
  disposeModel(model);
  return results;
};

export default suite;
