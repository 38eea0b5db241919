/**
 * The experiment runner's view of GeneralPoints (electron/ml/experiment/task.ts): maps each
 * phase and branch of the run graph onto the step functions of this folder.
 *   base            → baseStep, single-turn curriculum
 *   base-multiturn  → baseStep, synthetic wrong attempts with true feedback (V = the larger of RL's and eval's limit)
 *   init-sft, sft   → sftStep (`sft-diverse`: a random valid solution instead of the canonical one)
 *   rl              → rlStep (`rl-single-turn`: episodes of one attempt during training)
 */
import type { ExperimentConfig } from '../../../shared/experiments/config';
import type { EvalArgs, EvalOutput, StepArgs, StepOutput, TaskTrainer } from '../experiment/task';
import type { ModelConfig } from '../model';
import { createGpCodec, type GpCodec } from './codec';
import { evaluate } from './eval';
import { rlStep } from './rl';
import { baseStep, sftStep } from './sft';
import { gpModelConfig, type GpStepInput, type GpStepResult } from './train-common';

/** Attempts the model's context must hold for this experiment. */
export function experimentAttempts(config: ExperimentConfig): number {
  return Math.max(config.rl.verificationLimit, config.eval.verificationLimit);
}

function runStep(codec: GpCodec, args: StepArgs): GpStepResult {
  const { config, phase, method } = args;
  const input: GpStepInput = {
    model: args.model, optimizer: args.optimizer, codec, seed: args.seed, stageId: `${phase}/${method}`, step: args.step,
    lr: args.lr, maxGradNorm: args.maxGradNorm,
  };
  switch (phase) {
    case 'base':
      return baseStep(input, config.base, { phase: 'pretrain' });
    case 'base-multiturn':
      return baseStep(input, config.base, { phase: 'multiTurn', maxAttempts: experimentAttempts(config) });
    case 'init-sft':
      return sftStep(input, config.initSft);
    case 'sft':
      return sftStep(input, method === 'sft-diverse' ? { ...config.sft, expert: 'diverse' } : config.sft);
    case 'rl': {
      const rl = method === 'rl-single-turn' ? { ...config.rl, verificationLimit: 1 } : config.rl;
      return rlStep(input, rl, args.reference ? { reference: args.reference } : {});
    }
  }
}

export function createGpTrainer(codec: GpCodec = createGpCodec()): TaskTrainer {
  return {
    tokenizer: codec.tokenizer,
    modelConfig: (config: ExperimentConfig): ModelConfig => gpModelConfig(config.model, codec, config.seed, experimentAttempts(config)),
    async step(args: StepArgs): Promise<StepOutput> {
      const { metrics } = runStep(codec, args);
      return { metrics, trainTokens: metrics['train/tokens'] ?? 0, generatedTokens: metrics['gen/tokens'] ?? 0 };
    },
    async evaluate(args: EvalArgs): Promise<EvalOutput> {
      const r = evaluate(args.model, codec, args.config.eval, args.split, args.actor);
      return { metrics: r.metrics, episodes: r.episodes, generatedTokens: r.metrics[`eval/${args.split}/gen_tokens`] ?? 0 };
    },
  };
}
