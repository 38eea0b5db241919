/** Fixtures of the V-IRL-VL engine tests: street-view grids of 16 px views (the presets use 32 px) and a small encoder. */
import type { ImageConfig } from '../../../../shared/experiments/config';
import { virlTaskFor } from '../../../../electron/ml/tasks/virl/task';

/** A 32×32 grid (four 16 px views), 2 convs → 8×8, pooled to 2×2 = 4 visual tokens (one per view). */
export const VIRL_VL_IMAGE: ImageConfig = { width: 32, height: 32, channels: [4, 8], gridH: 2, gridW: 2 };
export const virlVlTask = virlTaskFor({ modality: 'vision-language', variant: 'visual', image: VIRL_VL_IMAGE });

import type { StepInput } from '../../../../electron/ml/engine/step';
import { createAdamW, createModel, RECIPE_ADAMW, type AdamWState, type PolicyModel } from '../../../../electron/ml/model';

export function tinyVirlVlModel(initSeed = 1): { model: PolicyModel; optimizer: AdamWState } {
  const model = createModel({
    vocabSize: virlVlTask.codec.tokenizer.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, contextLength: 96, ffnMult: 2, activation: 'gelu', dropout: 0, initSeed,
    image: { ...VIRL_VL_IMAGE, channels: VIRL_VL_IMAGE.channels.slice() },
  });
  return { model, optimizer: createAdamW(model, RECIPE_ADAMW) };
}

export function virlVlStepInput(model: PolicyModel, optimizer: AdamWState, step: number, stageId: string, seed: number, lr = 1e-3): StepInput {
  return { model, optimizer, task: virlVlTask, seed, stageId, step, lr, maxGradNorm: 1 };
}
