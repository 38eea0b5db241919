/** Shared fixtures of the engine tests: GeneralPoints as the task, and a tiny model over its vocabulary. */
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import { GP_RULE } from '../../../../shared/experiments/presets';
import type { StepInput } from '../../../../electron/ml/engine/step';
import { createGpCodec, type GpCodec } from '../../../../electron/ml/tasks/generalpoints/codec';
import { createGpTask } from '../../../../electron/ml/tasks/generalpoints/task';
import { createAdamW, createModel, RECIPE_ADAMW, type AdamWState, type ModelConfig, type PolicyModel } from '../../../../electron/ml/model';

export const codec: GpCodec = createGpCodec();
export const task = createGpTask(codec);

/** d16, 2 layers, context 80 (V=3 episodes need 72). */
export function tinyGpConfig(initSeed = 1): ModelConfig {
  return { vocabSize: codec.tokenizer.vocabSize, dModel: 16, nLayers: 2, nHeads: 2, contextLength: 80, ffnMult: 2, activation: 'gelu', dropout: 0, initSeed };
}

export function tinyModel(initSeed = 1): { model: PolicyModel; optimizer: AdamWState } {
  const model = createModel(tinyGpConfig(initSeed));
  return { model, optimizer: createAdamW(model, RECIPE_ADAMW) };
}

/** A step's input as the runner builds it (the runner always names the learning rate and clip). */
export function stepInput(model: PolicyModel, optimizer: AdamWState, step: number, stageId: string, seed: number, lr = 1e-3): StepInput {
  return { model, optimizer, task, seed, stageId, step, lr, maxGradNorm: 1 };
}

/** The gp-rule preset, shrunk so one step takes well under a second on the cpu backend. */
export function smallConfig(): ExperimentConfig {
  const c = structuredClone(GP_RULE);
  c.sft = { ...c.sft, batch: 8, steps: 20, optimizer: { ...c.sft.optimizer, lr: 1e-2, minLr: 1e-2 } };
  c.base = { ...c.base, batch: 8, steps: 20, multiTurnSteps: 20 };
  // Without dynamic sampling: a tiny policy's groups are mostly dead, and these tests check what one update does.
  c.rl = { ...c.rl, dynamicSampling: false, promptsPerStep: 2, groupSize: 4, verificationLimit: 2, steps: 20, optimizer: { ...c.rl.optimizer, lr: 1e-3, minLr: 1e-3 } };
  c.eval = { ...c.eval, idEpisodes: 8, oodEpisodes: 8 };
  return c;
}

/** Metrics without the wall-clock ones (which differ run to run). */
export function stable(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('episodes_per_s')));
}
