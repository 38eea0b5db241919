/**
 * GeneralPoints as the engine trains it (RECIPE.md parts 1–2, PAPER.md §3):
 * - training episodes and expert examples: in-distribution hands (J/Q/K = 10, every solvable hand);
 * - evaluation: fixed ID (J/Q/K = 10) and OOD (J/Q/K = 11/12/13) sets of hands with at least one
 *   face card (hands without one are the same under both rules), a pure function of (seed, split, index);
 * - base curriculum: random stated rules, never the ID or OOD rule (curriculum.ts);
 * - return: 1 if solved within the verification limit; PPO's reward: 1 on the solving attempt;
 * - metrics: the face-card diagnostics of RECIPE part 1 (does the model read J/Q/K as 10 out of distribution?).
 * One segment per episode: the hand, then each failed attempt's block with the verifier's feedback.
 */
import { experimentAttempts } from '../../../../shared/experiments/plan';
import { drawHand } from '../../../../shared/tasks/generalpoints/deal';
import { GP_ENV_ID, type GpInfo, type GpObservation } from '../../../../shared/tasks/generalpoints/env';
import { gpEpisodeRecord } from '../../../../shared/tasks/generalpoints/episode';
import { handSolutions, makeHand, type GpHand } from '../../../../shared/tasks/generalpoints/hand';
import { mustResolveVariant } from '../../../../shared/tasks/generalpoints/rules';
import { makeEnv } from '../../../../shared/tasks/registry';
import { verifyAnswer } from '../../../../shared/tasks/generalpoints';
import type { Rng } from '../../../../shared/util/rng';
import { drawSeed, mixSeed } from '../../engine/seed';
import type { Episode, Example, EpisodeSpec, Split, TrainingTask } from '../../engine/task';
import { createGpCodec, handOfObservation, type GpCodec } from './codec';
import { answerTokens, curriculumExample, randomSolution } from './curriculum';

export type GpEpisode = Episode<GpObservation, GpInfo>;

/** The in-distribution training rule: J/Q/K = 10, every solvable hand (face card or not). */
export const ID_TRAIN_VARIANT = { rule: 'face10' } as const;

/** The variant of each evaluation split's hands. */
export const EVAL_VARIANTS = {
  id: { rule: 'face10', requireFace: true },
  ood: { rule: 'face11-13', requireFace: true },
} as const;

/** The fixed evaluation hands of a split: env seeds derived from (seed, split, index). */
export function evalHands(evalSeed: number, split: Split, count: number): EpisodeSpec[] {
  return Array.from({ length: count }, (_, i) => ({ seed: mixSeed(evalSeed, 'eval', split, i) & 0x7fffffff, variant: { ...EVAL_VARIANTS[split] }, split }));
}

/** The expert's formula for a hand: the solver's canonical (first) solution, or a random valid one. */
export function expertFormula(hand: GpHand, expert: 'canonical' | 'diverse', rng: Rng): string {
  if (expert === 'diverse') return randomSolution(rng, hand);
  const first = handSolutions(hand)[0];
  if (first === undefined) throw new Error(`hand ${hand.values.join(',')} has no solution`);
  return first;
}

/** A batch of single-turn ID examples (prompt = hand, answer = expert). */
export function sftExamples(rng: Rng, codec: GpCodec, batch: number, expert: 'canonical' | 'diverse'): Example[] {
  const variant = mustResolveVariant(ID_TRAIN_VARIANT);
  return Array.from({ length: batch }, () => {
    const dealt = drawHand(rng, variant);
    if (!dealt.ok) throw new Error(dealt.error);
    const hand = dealt.hand;
    return { prompt: codec.encodeHandPrompt(hand), answer: answerTokens(codec, hand, expertFormula(hand, expert, rng)) };
  });
}

/** The hand of an episode. */
export const episodeHand = (e: Pick<GpEpisode, 'initial'>): GpHand => handOfObservation(e.initial.observation);

/** 1-based attempt that solved the hand; 0 when unsolved. */
export function solvedAt(e: Pick<GpEpisode, 'segments' | 'success'>): number {
  return e.success ? (e.segments[0]?.attempts.length ?? 0) : 0;
}

const FACE10 = mustResolveVariant({ rule: 'face10' });

/** Diagnostics of the first attempt on a hand with face cards (RECIPE part 1 "mechanism"). */
function faceDiagnostics(codec: GpCodec, e: GpEpisode): { faceCards: number; faceAs10: number; numbersCorrect: boolean; solvedAsFace10: boolean } {
  const first = e.segments[0]?.attempts[0];
  if (!first) return { faceCards: 0, faceAs10: 0, numbersCorrect: false, solvedAsFace10: false };
  const hand = episodeHand(e);
  const numbers = codec.decodeAnswer(first.tokens).numbers;
  let faceCards = 0;
  let faceAs10 = 0;
  hand.cards.forEach((c, i) => {
    if (c.rank < 11) return;
    faceCards++;
    if (numbers[i] === 10 && hand.values[i] !== 10) faceAs10++;
  });
  const numbersCorrect = numbers.length === 4 && numbers.every((n, i) => n === hand.values[i]);
  // "Solved as if J/Q/K = 10": right under the ID rule, wrong under the hand's own.
  const solvedAsFace10 = first.result.info.verdict !== 'correct' && verifyAnswer(makeHand(hand.cards, FACE10), first.action).verdict === 'correct';
  return { faceCards, faceAs10, numbersCorrect, solvedAsFace10 };
}


export function createGpTask(codec: GpCodec = createGpCodec()): TrainingTask<GpObservation, GpInfo> & { readonly codec: GpCodec } {
  return {
    id: 'generalpoints',
    codec,
    attemptsNeeded: experimentAttempts,
    // Every step that does not end a GeneralPoints episode is a failed verification of the same hand.
    isRetry: () => true,
    makeEnv: (verificationLimit) => makeEnv(GP_ENV_ID, { verificationLimit }),
    trainingEpisodes: (rng, count) => Array.from({ length: count }, () => ({ seed: drawSeed(rng), variant: { ...ID_TRAIN_VARIANT }, split: 'id' as const })),
    evalEpisodes: (evalCfg, split, count) => evalHands(evalCfg.seed, split, count),
    expertExamples: (rng, batch, expert) => sftExamples(rng, codec, batch, expert),
    curriculumExamples: (rng, batch, opts) =>
      Array.from({ length: batch }, () => curriculumExample(rng, codec, { maxAttempts: opts.multiTurn ? opts.maxAttempts : 1 })).map(({ prompt, answer }) => ({ prompt, answer })),
    episodeReturn: (e) => (e.success ? 1 : 0),
    attemptRewards: (e) => (e.segments[0]?.attempts ?? []).map((_, k) => (k + 1 === solvedAt(e) ? 1 : 0)),
    episodeRecord: ({ episode, verificationLimit, actor, createdAt }) =>
      gpEpisodeRecord({
        hand: episodeHand(episode), variant: episode.spec.variant, seed: episode.spec.seed, split: episode.spec.split, actor, verificationLimit, createdAt,
        maxSolutions: 20,
        steps: (episode.segments[0]?.attempts ?? []).map((a) => ({ prompt: a.prompt, output: codec.tokensToText(a.tokens), result: a.result, info: { envText: a.action } })),
      }),
    evalMetrics(episodes, split, V) {
      const p = `eval/${split}`;
      const n = Math.max(1, episodes.length);
      const metrics: Record<string, number> = {};
      for (let k = 1; k <= V; k++) metrics[`${p}/solved_at_${k}`] = episodes.filter((e) => solvedAt(e) === k).length;
      const diags = episodes.map((e) => faceDiagnostics(codec, e));
      metrics[`${p}/numbers_correct`] = diags.filter((d) => d.numbersCorrect).length / n;
      if (split === 'ood') {
        const faceCards = diags.reduce((s, d) => s + d.faceCards, 0);
        metrics[`${p}/face_as_10`] = diags.filter((d) => d.faceAs10 > 0).length / n;
        metrics[`${p}/face_card_as_10`] = diags.reduce((s, d) => s + d.faceAs10, 0) / Math.max(1, faceCards);
        metrics[`${p}/solved_as_face10`] = diags.filter((d) => d.solvedAsFace10).length / n;
      }
      return metrics;
    },
  };
}
