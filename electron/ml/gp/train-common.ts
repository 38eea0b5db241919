/**
 * What every GeneralPoints stage step shares: the runner's per-step input, the learning-rate
 * schedule read from an experiment's optimizer config, and the optimizer and model built from it.
 */
import type { ModelConfig as ExperimentModelConfig, OptimizerConfig } from '../../../shared/experiments/config';
import {
  createAdamW, lrAt, RECIPE_ADAMW, type AdamWState, type LrSchedule, type ModelConfig, type PolicyModel,
} from '../model';
import { optimizerSchedule } from '../experiment/schedule';
import type { GpCodec } from './codec';

/** What the runner passes to every step function. */
export interface GpStepInput {
  /** The policy, trained in place. */
  model: PolicyModel;
  /** Its AdamW state (restored with the model when resuming). */
  optimizer: AdamWState;
  /** The token format; its tokenizer must match the model's vocabulary. */
  codec: GpCodec;
  /** The experiment seed. */
  seed: number;
  /**
   * Stage id mixed into the step seed (e.g. `base`, `base-mt`, `sft`, `rl`, `rl-v1`), so every
   * stage and branch draws its own data while staying a pure function of (seed, stageId, step).
   */
  stageId: string;
  /** 0-based update index within the stage; also the index into the LR schedule. */
  step: number;
  /** Learning rate of this update (the runner's schedule); default: from the stage's optimizer config at `step`. */
  lr?: number;
  /** Global gradient-norm clip; default: the stage's optimizer `clipNorm`. */
  maxGradNorm?: number;
}

/** Metrics of one step, with the namespaced keys of the run store (`train/loss`, `rl/reward`…). */
export interface GpStepResult {
  metrics: Record<string, number>;
}

/** The LR schedule of a stage (one definition for the runner and the step functions). */
export function stageSchedule(opt: OptimizerConfig, totalSteps: number): LrSchedule {
  return optimizerSchedule(opt, Math.max(1, totalSteps));
}

export function stageLr(opt: OptimizerConfig, totalSteps: number, step: number): number {
  return lrAt(stageSchedule(opt, totalSteps), step);
}

/** AdamW(0.9, 0.98) with the stage's weight decay (RECIPE.md). */
export function createStageOptimizer(model: PolicyModel, opt: OptimizerConfig): AdamWState {
  return createAdamW(model, { ...RECIPE_ADAMW, weightDecay: opt.weightDecay });
}

/**
 * The policy's model config from the experiment's: the vocabulary comes from the codec's
 * tokenizer; the context must hold `attempts` attempts (14 + 20(V−1) + 17 tokens).
 */
export function gpModelConfig(m: ExperimentModelConfig, codec: GpCodec, initSeed: number, attempts = 1): ModelConfig {
  const need = codec.contextFor(attempts);
  if (m.context < need) throw new Error(`context ${m.context} is too short for ${attempts} attempts (needs ${need} tokens)`);
  return {
    vocabSize: codec.tokenizer.vocabSize, dModel: m.width, nLayers: m.layers, nHeads: m.heads, contextLength: m.context,
    ffnMult: m.ffnMult, activation: 'gelu', dropout: 0, initSeed,
  };
}

/** Checks that an episode of `attempts` attempts fits the model. */
export function assertContext(model: PolicyModel, codec: GpCodec, attempts: number): void {
  const need = codec.contextFor(attempts);
  if (model.config.contextLength < need) {
    throw new Error(`the model's context (${model.config.contextLength}) cannot hold ${attempts} attempts (needs ${need} tokens)`);
  }
}
