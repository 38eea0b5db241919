/**
 * Supervised steps: `sftStep` (single-turn ID hands with the canonical or a diverse expert, the
 * SFT branch and the initial SFT) and `baseStep` (the broad curriculum, single- or multi-turn).
 * One optimizer update per call, data drawn from stepRng(seed, stageId, step) only.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig, SftStageConfig } from '../../../shared/experiments/config';
import type { baseStageSchema } from '../../../shared/experiments/config';
import type { z } from 'zod';
import { drawHand } from '../../../shared/tasks/generalpoints/deal';
import { handSolutions, type GpHand } from '../../../shared/tasks/generalpoints/hand';
import { mustResolveVariant } from '../../../shared/tasks/generalpoints/rules';
import type { Rng } from '../../../shared/util/rng';
import { forward, maskedCrossEntropy, sftBatch, trainStep } from '../model';
import type { GpCodec } from './codec';
import { answerTokens, curriculumExample, randomSolution, type GpExample } from './curriculum';
import { stepRng } from './seed';
import { assertContext, stageLr, type GpStepInput, type GpStepResult } from './train-common';

export type BaseStageConfig = z.infer<typeof baseStageSchema>;

/** The in-distribution training rule: J/Q/K = 10, every solvable hand (face card or not). */
export const ID_TRAIN_VARIANT = { rule: 'face10' } as const;

/** The expert's formula for a hand: the solver's canonical (first) solution, or a random valid one. */
export function expertFormula(hand: GpHand, expert: 'canonical' | 'diverse', rng: Rng): string {
  if (expert === 'diverse') return randomSolution(rng, hand);
  const first = handSolutions(hand)[0];
  if (first === undefined) throw new Error(`hand ${hand.values.join(',')} has no solution`);
  return first;
}

/** A batch of single-turn ID examples (prompt = hand, answer = expert). */
export function sftExamples(rng: Rng, codec: GpCodec, batch: number, expert: 'canonical' | 'diverse'): GpExample[] {
  const variant = mustResolveVariant(ID_TRAIN_VARIANT);
  return Array.from({ length: batch }, () => {
    const dealt = drawHand(rng, variant);
    if (!dealt.ok) throw new Error(dealt.error);
    const hand = dealt.hand;
    return { prompt: codec.encodeHandPrompt(hand), answer: answerTokens(codec, hand, expertFormula(hand, expert, rng)) };
  });
}

/** One cross-entropy update on answer tokens; the metrics every supervised stage logs. */
export function supervisedUpdate(input: GpStepInput, examples: readonly GpExample[], lr: number, clipNorm: number): GpStepResult {
  const t0 = performance.now();
  const { model, optimizer, codec } = input;
  const b = sftBatch(examples, codec.tokenizer.pad);
  const res = trainStep(
    model,
    optimizer,
    () =>
      tf.tidy(() => {
        const out = forward(model, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad });
        return maskedCrossEntropy(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'), tf.tensor2d(b.mask, [b.batch, b.length]));
      }),
    { lr, maxGradNorm: clipNorm },
  );
  // Tokens the model read (prompt included, padding not): D in 6·N·D.
  const tokens = examples.reduce((s, e) => s + e.prompt.length + e.answer.length - 1, 0);
  const answerTokensN = examples.reduce((s, e) => s + e.answer.length, 0);
  const seconds = (performance.now() - t0) / 1000;
  return {
    metrics: {
      'train/loss': res.loss,
      'train/grad_norm': res.gradNorm,
      'train/lr': lr,
      'train/tokens': tokens,
      'train/answer_tokens': answerTokensN,
      'perf/tokens_per_s': tokens / Math.max(seconds, 1e-9),
      'perf/step_s': seconds,
    },
  };
}

/** One SFT update on `cfg.batch` ID hands with the configured expert. */
export function sftStep(input: GpStepInput, cfg: SftStageConfig): GpStepResult {
  assertContext(input.model, input.codec, 1);
  const rng = stepRng(input.seed, input.stageId, input.step);
  const examples = sftExamples(rng, input.codec, cfg.batch, cfg.expert);
  return supervisedUpdate(input, examples, input.lr ?? stageLr(cfg.optimizer, cfg.steps, input.step), input.maxGradNorm ?? cfg.optimizer.clipNorm);
}

export interface BaseStepOptions {
  /**
   * `pretrain`: single-turn curriculum, schedule over `cfg.steps`; `multiTurn`: continuation with
   * synthetic wrong attempts and true feedback, schedule over `cfg.multiTurnSteps`.
   */
  phase: 'pretrain' | 'multiTurn';
  /** Attempts the multi-turn examples must fit (the RL/eval verification limit; default 3). */
  maxAttempts?: number;
  /** Probabilities of 0, 1, 2… wrong attempts in the multi-turn phase (default 0.3/0.4/0.3). */
  wrongAttemptProbs?: readonly number[];
  /** Optimizer override for this phase (RECIPE part 2 ran the continuation at peak 5e-4, and recommends ≤ 2e-4). */
  optimizer?: OptimizerConfig;
}

/** One update on the broad curriculum (random rules, never the ID/OOD rules; random valid answers). */
export function baseStep(input: GpStepInput, cfg: BaseStageConfig, opts: BaseStepOptions): GpStepResult {
  const multi = opts.phase === 'multiTurn';
  const maxAttempts = multi ? (opts.maxAttempts ?? 3) : 1;
  assertContext(input.model, input.codec, maxAttempts);
  const rng = stepRng(input.seed, input.stageId, input.step);
  const examples = Array.from({ length: cfg.batch }, () =>
    curriculumExample(rng, input.codec, { maxAttempts, wrongAttemptProbs: opts.wrongAttemptProbs }),
  ).map(({ prompt, answer }) => ({ prompt, answer }));
  const optCfg = opts.optimizer ?? cfg.optimizer;
  const total = multi ? cfg.multiTurnSteps : cfg.steps;
  return supervisedUpdate(input, examples, input.lr ?? stageLr(optCfg, total, input.step), input.maxGradNorm ?? optCfg.clipNorm);
}
