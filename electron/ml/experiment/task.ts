/**
 * What the experiment runner needs from a task's training code (GeneralPoints today, V-IRL later).
 * Every step draws its data and sampling randomness from (seed, phase, step) alone, so a run
 * resumed at step k continues exactly as an uninterrupted one.
 */
import type { EpisodeRecord, Actor } from '../../../shared/api/episode';
import type { ExperimentConfig } from '../../../shared/experiments/config';
import type { Phase } from '../../../shared/experiments/plan';
import type { AdamWState, ModelConfig, PolicyModel } from '../model';
import type { Tokenizer } from '../tokenizer';

export interface StepArgs {
  model: PolicyModel;
  optimizer: AdamWState;
  /** Frozen starting checkpoint of the branch (for a KL penalty), when the config asks for one. */
  reference: PolicyModel | null;
  config: ExperimentConfig;
  /** Which branch runs (`rl-single-turn` trains with one attempt, `sft-diverse` with random solutions). */
  method: string;
  phase: Phase;
  /** Step within the phase, from 0. */
  step: number;
  /** Steps in the phase. */
  total: number;
  lr: number;
  /** Global gradient-norm clip of the phase. */
  maxGradNorm: number;
  seed: number;
}

export interface StepOutput {
  /** Namespaced metrics of the step (`train/loss`, `rl/reward`, …). */
  metrics: Record<string, number>;
  /** Tokens trained on (for 6·N·D). */
  trainTokens: number;
  /** Tokens generated (for 2·N·D). */
  generatedTokens: number;
}

export interface EvalArgs {
  model: PolicyModel;
  config: ExperimentConfig;
  split: 'id' | 'ood';
  actor: Actor;
}

export interface EvalOutput {
  /** `eval/<split>/…` metrics. */
  metrics: Record<string, number>;
  episodes: EpisodeRecord[];
  generatedTokens: number;
}

export interface TaskTrainer {
  readonly tokenizer: Tokenizer;
  modelConfig(config: ExperimentConfig): ModelConfig;
  step(args: StepArgs): Promise<StepOutput>;
  evaluate(args: EvalArgs): Promise<EvalOutput>;
}
