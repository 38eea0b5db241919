/**
 * What the runner passes to every training step, and what a step returns. Steps are pure,
 * seeded functions over the policy: each draws its data and sampling from
 * stepRng(seed, stageId, step) only, and the runner alone decides the learning rate.
 */
import type { AdamWState, PolicyModel } from '../model';
import type { TrainingTask } from './task';

export interface StepInput<Obs = unknown, Info = unknown> {
  /** The policy, trained in place. */
  model: PolicyModel;
  /** Its AdamW state (restored with the model when resuming). */
  optimizer: AdamWState;
  task: TrainingTask<Obs, Info>;
  /** The phase's seed (seed.ts `phaseSeed`). */
  seed: number;
  /** Stage id mixed into the step seed (e.g. `sft/sft`, `rl/rl`), so every stage and branch draws its own data. */
  stageId: string;
  /** 0-based update index within the stage. */
  step: number;
  /** Learning rate of this update, from the runner's schedule. */
  lr: number;
  /** Global gradient-norm clip of the phase. */
  maxGradNorm: number;
}

/** Metrics of one step, with the namespaced keys of the run store (`train/loss`, `rl/reward`…). */
export interface StepResult {
  metrics: Record<string, number>;
}
