/**
 * GP-VL training steps with the image encoder (issue 11), at the gp-visual preset's size (d=96,
 * 3 layers, 96×48 card images through three 2×2 stride-2 convs to 24 visual tokens) on wasm:
 *   - the SFT step (B=128 expert examples, one image each, data generation included): tokens/s
 *     (visual tokens counted, as in 6·N·D), images/s, against the same-size language-only GP-L
 *     step alternated with it in the same run;
 *   - the GRPO step (16 hands × 8 episodes, V=3, without dynamic sampling so that every step of
 *     the freshly initialised model updates): training tokens/s, images/s (every image the step
 *     encoded: the rollout's prompts, attempt after attempt, and the update's rows);
 *   - the share of each step's time spent in the image encoder: the forward as timed in place
 *     (wasm runs each op when it is called), plus the backward of the images the update encoded,
 *     timed alone on a batch of the same images (encoder forward+backward minus forward) in the
 *     same run; the encoder alone is also given in images/s.
 * The model is freshly initialised: every episode fails and uses all its attempts, the worst case
 * for generation (as in gp-train).
 *
 * Env: BENCH_STEPS (timed steps per case, default 3).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { GP_RULE, GP_VISUAL } from '../shared/experiments/presets';
import { createRng } from '../shared/util/rng';
import { rlStep } from '../electron/ml/engine/rl';
import { policyModelConfig } from '../electron/ml/engine/runner';
import { sftStep } from '../electron/ml/engine/sft';
import type { StepInput } from '../electron/ml/engine/step';
import { createGpTask, gpTaskFor } from '../electron/ml/tasks/generalpoints/task';
import { paramCount } from '../electron/ml/flops';
import { createAdamW, createModel, disposeAdamW, disposeModel, encodeImages, imagesToTensor, observeImageEncoder, RECIPE_ADAMW, visualTokenCount, type EncoderCall, type PolicyModel } from '../electron/ml/model';
import { median, medianStepMetrics, type BenchResult, type BenchSuite } from './harness';

const STEPS = Number(process.env.BENCH_STEPS ?? 3);

/** The encoder's trainable variables (its convs, projection and slot positions). */
function encoderVariables(model: PolicyModel): tf.Variable[] {
  return Object.entries(model.params).filter(([name]) => name.startsWith('img.')).map(([, v]) => v);
}

/** Median ms of the encoder alone on `images`: forward only, and forward + backward to its weights. */
function encoderAlone(model: PolicyModel, images: readonly Uint8Array[], runs: number): { forward: number; forwardBackward: number } {
  const vars = encoderVariables(model);
  // A fixed random projection of the visual tokens as the loss: every token gets a gradient, as in a step.
  const weights = tf.randomNormal([images.length, visualTokenCount(model.config), model.config.dModel], 0, 1, 'float32', 1);
  const fwd: number[] = [];
  const both: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const x = imagesToTensor(model.config, images);
    let t0 = performance.now();
    tf.tidy(() => encodeImages(model, x).dataSync());
    const f = performance.now() - t0;
    t0 = performance.now();
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(encodeImages(model, x), weights)) as tf.Scalar, vars);
      for (const g of Object.values(grads)) g.dataSync();
    });
    const fb = performance.now() - t0;
    x.dispose();
    if (i > 0) {
      fwd.push(f);
      both.push(fb);
    }
  }
  weights.dispose();
  return { forward: median(fwd), forwardBackward: median(both) };
}

const suite: BenchSuite = async () => {
  const results: BenchResult[] = [];
  if (!(await tf.setBackend('wasm'))) return results;
  await tf.ready();
  const task = gpTaskFor(GP_VISUAL);
  const cfg = policyModelConfig(task, GP_VISUAL);
  const model = createModel(cfg);
  const optimizer = createAdamW(model, RECIPE_ADAMW);
  // The language-only model of the same size (GP-L): the baseline of the VL step's speed.
  const textTask = createGpTask();
  const textModel = createModel(policyModelConfig(textTask, { ...GP_RULE, model: GP_VISUAL.model }));
  const textOptimizer = createAdamW(textModel, RECIPE_ADAMW);
  const input = (m: PolicyModel, o: typeof optimizer, t: StepInput['task'], stageId: string, step: number): StepInput => ({ model: m, optimizer: o, task: t, seed: 0, stageId, step, lr: 1e-4, maxGradNorm: 1 });
  const n = paramCount(cfg);
  const encoderParams = encoderVariables(model).reduce((s, v) => s + v.size, 0);

  // Every encoder forward of the measured steps, with where it ran (rollout / reference or the update).
  let calls: EncoderCall[] = [];
  observeImageEncoder((c) => calls.push(c));
  try {
    // SFT: the VL step alternated with the text step, so load from other processes hits both alike.
    const B = GP_VISUAL.sft.batch;
    const text: number[] = [];
    const sftCalls: EncoderCall[][] = [];
    const sft = medianStepMetrics(STEPS, (s) => {
      text.push(sftStep(input(textModel, textOptimizer, textTask, 'sft-text', s), GP_RULE.sft).metrics['perf/tokens_per_s'] as number);
      calls = [];
      const m = sftStep(input(model, optimizer, task, 'sft', s), GP_VISUAL.sft).metrics;
      sftCalls.push(calls);
      return m;
    });
    const sftMs = (sft['perf/step_s'] as number) * 1000;
    results.push({
      name: `wasm: GP-VL SFT step tokens/s (B=${B}, N=${n}, encoder ${encoderParams})`, value: sft['perf/tokens_per_s'] as number, unit: 'tok/s',
      baseline: { name: 'GP-L step of the same size', value: median(text.slice(1)) },
    });
    // The images of one SFT batch, for the encoder alone.
    const sample = task.expertExamples(createRng(99), B, 'canonical').map((e) => (e.image as { data: Uint8Array }).data);
    const alone = encoderAlone(model, sample, STEPS);
    results.push({ name: 'wasm: GP-VL SFT step images/s', value: B / (sftMs / 1000), unit: 'img/s', baseline: { name: 'encoder forward+backward alone', value: B / (alone.forwardBackward / 1000) } });
    // In place: the step's own encoder forward (median over the timed steps), plus the backward timed alone.
    const backwardPerImage = Math.max(0, alone.forwardBackward - alone.forward) / B;
    const sftForward = median(sftCalls.slice(1).map((cs) => cs.reduce((t, c) => t + c.ms, 0)));
    const sftEncoder = sftForward + backwardPerImage * B;
    results.push({ name: `wasm: GP-VL SFT step, time in the image encoder (fwd ${sftForward.toFixed(0)} + bwd ${(backwardPerImage * B).toFixed(0)} ms)`, value: sftEncoder, unit: 'ms', baseline: { name: 'whole step', value: sftMs } });
    results.push({ name: 'wasm: GP-VL encoder alone, forward+backward (B=128)', value: alone.forwardBackward, unit: 'ms', baseline: { name: 'whole SFT step', value: sftMs } });

    // GRPO.
    const rlCfg = { ...GP_VISUAL.rl, dynamicSampling: false };
    const textRl: number[] = [];
    const rlCalls: EncoderCall[][] = [];
    const rl = medianStepMetrics(STEPS, (s) => {
      textRl.push(rlStep(input(textModel, textOptimizer, textTask, 'rl-text', s), rlCfg).metrics['perf/step_s'] as number);
      calls = [];
      const m = rlStep(input(model, optimizer, task, 'rl', s), rlCfg).metrics;
      rlCalls.push(calls);
      const images = calls.reduce((k, c) => k + c.images, 0);
      const taped = calls.filter((c) => c.taped).reduce((k, c) => k + c.images, 0);
      return { ...m, images, taped, encoderForward: calls.reduce((t, c) => t + c.ms, 0) };
    });
    const rlS = rl['perf/step_s'] as number;
    const episodes = rlCfg.promptsPerStep * rlCfg.groupSize;
    results.push({
      name: `wasm: GP-VL GRPO step ${rlCfg.promptsPerStep}×${rlCfg.groupSize}, V=${rlCfg.verificationLimit}`, value: rlS * 1000, unit: 'ms',
      baseline: { name: 'GP-L GRPO step of the same size', value: median(textRl.slice(1)) * 1000 },
    });
    results.push({ name: 'wasm: GP-VL GRPO update tokens/s', value: rl['perf/tokens_per_s'] as number, unit: 'tok/s' });
    results.push({ name: 'wasm: GP-VL GRPO rollout sampled tokens/s', value: (rl['gen/sampled_tokens'] as number) / (rl['perf/gen_s'] as number), unit: 'tok/s' });
    results.push({ name: `wasm: GP-VL GRPO images/s (${rl.images} per step, ${rl.taped} in the update)`, value: (rl.images as number) / rlS, unit: 'img/s', baseline: { name: 'encoder forward+backward alone', value: B / (alone.forwardBackward / 1000) } });
    results.push({ name: 'wasm: GP-VL GRPO step episodes/s', value: episodes / rlS, unit: 'episodes/s' });
    const rlEncoder = (rl.encoderForward as number) + backwardPerImage * (rl.taped as number);
    results.push({ name: `wasm: GP-VL GRPO step, time in the image encoder (fwd ${(rl.encoderForward as number).toFixed(0)} + bwd ${(backwardPerImage * (rl.taped as number)).toFixed(0)} ms)`, value: rlEncoder, unit: 'ms', baseline: { name: 'whole step', value: rlS * 1000 } });
    results.push({ name: 'wasm: GP-VL GRPO generation share', value: 100 * (rl['perf/gen_share'] as number), unit: '%' });
  } finally {
    observeImageEncoder(null);
    disposeAdamW(optimizer);
    disposeModel(model);
    disposeAdamW(textOptimizer);
    disposeModel(textModel);
  }
  return results;
};

export default suite;
