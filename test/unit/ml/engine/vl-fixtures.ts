/** Fixtures of the vision-language engine tests: GP-VL (card images) as the task, and a tiny model with an image encoder. */
import type { ImageConfig } from '../../../../shared/experiments/config';
import type { StepInput } from '../../../../electron/ml/engine/step';
import { gpTaskFor } from '../../../../electron/ml/tasks/generalpoints/task';
import { createAdamW, createModel, RECIPE_ADAMW, type AdamWState, type ModelConfig, type PolicyModel } from '../../../../electron/ml/model';

/** 48×24 card images (the smallest the env draws; the presets use 96×48), a small encoder: 2 convs → 12×6, pooled to 1×6 visual tokens. */
export const VL_IMAGE: ImageConfig = { width: 48, height: 24, channels: [4, 8], gridH: 1, gridW: 6 };
export const vlTask = gpTaskFor({ modality: 'vision-language', variant: 'visual', image: VL_IMAGE });
export const vlCodec = vlTask.codec;

export function tinyVlConfig(initSeed = 1): ModelConfig {
  return {
    vocabSize: vlCodec.tokenizer.vocabSize, dModel: 16, nLayers: 2, nHeads: 2, contextLength: 88, ffnMult: 2, activation: 'gelu', dropout: 0, initSeed,
    image: { ...VL_IMAGE, channels: VL_IMAGE.channels.slice() },
  };
}

export function tinyVlModel(initSeed = 1): { model: PolicyModel; optimizer: AdamWState } {
  const model = createModel(tinyVlConfig(initSeed));
  return { model, optimizer: createAdamW(model, RECIPE_ADAMW) };
}

export function vlStepInput(model: PolicyModel, optimizer: AdamWState, step: number, stageId: string, seed: number, lr = 1e-3): StepInput {
  return { model, optimizer, task: vlTask, seed, stageId, step, lr, maxGradNorm: 1 };
}
