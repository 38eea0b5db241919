/**
 * GeneralPoints as the engine trains it (RECIPE.md parts 1–2, PAPER.md §3), text (GP-L) or
 * vision-language (GP-VL: the cards only as an image, named first in the answer; see gpVariants):
 * - training episodes and expert examples: in-distribution hands (J/Q/K = 10, every solvable hand);
 * - evaluation: fixed ID (J/Q/K = 10) and OOD (J/Q/K = 11/12/13) sets of hands with at least one
 *   face card (hands without one are the same under both rules), a pure function of (seed, split, index);
 * - base curriculum: random stated rules, never the ID or OOD rule (curriculum.ts);
 * - return: 1 if solved within the verification limit; PPO's reward: 1 on the solving attempt;
 * - metrics: the face-card diagnostics of RECIPE part 1 (does the model read J/Q/K as 10 out of distribution?).
 * One segment per episode: the hand, then each failed attempt's block with the verifier's feedback.
 */
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import type { GpVariant } from '../../../../shared/tasks/generalpoints/rules';
import { parseRankLabel, suitColor } from '../../../../shared/tasks/generalpoints/cards';
import { experimentAttempts } from '../../../../shared/experiments/plan';
import { drawHand } from '../../../../shared/tasks/generalpoints/deal';
import { GP_ENV_ID, type GpInfo, type GpObservation } from '../../../../shared/tasks/generalpoints/env';
import { gpEpisodeRecord } from '../../../../shared/tasks/generalpoints/episode';
import { handSolutions, makeHand, type GpHand } from '../../../../shared/tasks/generalpoints/hand';
import { GP_REWARDS } from '../../../../shared/tasks/generalpoints/rewards';
import { mustResolveVariant } from '../../../../shared/tasks/generalpoints/rules';
import { makeEnv } from '../../../../shared/tasks/registry';
import { verifyAnswer } from '../../../../shared/tasks/generalpoints';
import type { Rng } from '../../../../shared/util/rng';
import { drawSeed, mixSeed } from '../../engine/seed';
import type { Episode, Example, EpisodeSpec, Split, TrainingTask } from '../../engine/task';
import { createGpCodec, handOfObservation, type GpCodec } from './codec';
import { answerTokens, curriculumExample, randomSolution } from './curriculum';
import { vlCurriculumExample } from './curriculum-vl';

export type GpEpisode = Episode<GpObservation, GpInfo>;

/** The in-distribution training rule: J/Q/K = 10, every solvable hand (face card or not). */
export const ID_TRAIN_VARIANT = { rule: 'face10' } as const;

/** The variant of each evaluation split's hands. */
export const EVAL_VARIANTS = {
  id: { rule: 'face10', requireFace: true },
  ood: { rule: 'face11-13', requireFace: true },
} as const;

/** Which generalisation an experiment tests (the experiment config's `variant`). */
export type GpExperimentVariant = ExperimentConfig['variant'];

/** The env variants of an experiment: training hands and each evaluation split's hands. */
export interface GpVariants {
  train: Partial<GpVariant>;
  id: Partial<GpVariant>;
  ood: Partial<GpVariant>;
}

/**
 * GP-L: the rule variant above. GP-VL (PAPER.md §3.4): training and ID on black suits;
 * rule OOD = J/Q/K 11/12/13 on black suits (hands with a face card, as GP-L); visual OOD = red
 * suits under the ID rule (every solvable hand, as the reference's visual-OOD evaluation).
 */
export function gpVariants(vision: boolean, variant: GpExperimentVariant): GpVariants {
  if (!vision) {
    if (variant === 'visual') throw new Error('the visual variant of GeneralPoints shows card images: set modality to vision-language (with an image block)');
    return { train: { ...ID_TRAIN_VARIANT }, id: { ...EVAL_VARIANTS.id }, ood: { ...EVAL_VARIANTS.ood } };
  }
  const black = { colors: 'black', vision: true } as const;
  if (variant === 'rule') return { train: { rule: 'face10', ...black }, id: { rule: 'face10', requireFace: true, ...black }, ood: { rule: 'face11-13', requireFace: true, ...black } };
  return { train: { rule: 'face10', ...black }, id: { rule: 'face10', ...black }, ood: { rule: 'face10', colors: 'red', vision: true } };
}

/** The fixed evaluation hands of a split: env seeds derived from (seed, split, index). */
export function evalHands(evalSeed: number, split: Split, count: number, variants: Pick<GpVariants, 'id' | 'ood'> = EVAL_VARIANTS): EpisodeSpec[] {
  return Array.from({ length: count }, (_, i) => ({ seed: mixSeed(evalSeed, 'eval', split, i) & 0x7fffffff, variant: { ...variants[split] }, split }));
}

/**
 * The same hands in red suits. Dealing takes the same draws from a deck of the same order
 * (spades→hearts, clubs→diamonds, rank by rank), so the seed gives the same ranks in the same
 * places: recognition on these against the black originals is the colour shift alone.
 */
export function inRed(specs: readonly EpisodeSpec[]): EpisodeSpec[] {
  return specs.map((s) => ({ ...s, variant: { ...s.variant, colors: 'red' } }));
}

/** The expert's formula for a hand: the solver's canonical (first) solution, or a random valid one. */
export function expertFormula(hand: GpHand, expert: 'canonical' | 'diverse', rng: Rng): string {
  if (expert === 'diverse') return randomSolution(rng, hand);
  const first = handSolutions(hand)[0];
  if (first === undefined) throw new Error(`hand ${hand.values.join(',')} has no solution`);
  return first;
}

/** A batch of single-turn ID examples (prompt = hand, or its image with vision; answer = expert). */
export function sftExamples(rng: Rng, codec: GpCodec, batch: number, expert: 'canonical' | 'diverse', train: Partial<GpVariant> = ID_TRAIN_VARIANT): Example[] {
  const variant = mustResolveVariant(train);
  return Array.from({ length: batch }, () => {
    const dealt = drawHand(rng, variant);
    if (!dealt.ok) throw new Error(dealt.error);
    const hand = dealt.hand;
    const { tokens, image } = codec.encodeHand(hand);
    return { prompt: tokens, answer: answerTokens(codec, hand, expertFormula(hand, expert, rng)), ...(image ? { image } : {}) };
  });
}

/** How the first attempt read the cards (vision): all four right (as a multiset, as the verifier checks), and how many in place. */
export function cardsRead(codec: GpCodec, e: Pick<GpEpisode, 'segments' | 'initial'>): { all: boolean; inPlace: number; red: boolean } {
  const first = e.segments[0]?.attempts[0];
  const hand = episodeHand(e);
  const red = hand.cards.every((c) => suitColor(c.suit) === 'red');
  if (!first) return { all: false, inPlace: 0, red };
  const read = (codec.decodeAnswer(first.tokens).cards ?? []).map((l) => (l === null ? null : parseRankLabel(l)));
  const want = hand.cards.map((c) => c.rank);
  const key = (xs: readonly (number | null)[]) => xs.map((x) => x ?? 0).sort((a, b) => a - b).join(',');
  return { all: read.length === 4 && key(read) === key(want), inPlace: want.filter((r, i) => read[i] === r).length, red };
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


/** The GeneralPoints task of an experiment: GP-L, or GP-VL at the image block's size, for its variant. */
export function gpTaskFor(config: Pick<ExperimentConfig, 'modality' | 'variant' | 'image'>): ReturnType<typeof createGpTask> {
  if (config.modality === 'vision-language') {
    if (!config.image) throw new Error('a vision-language experiment needs an image block (the card image size and its encoder)');
    return createGpTask(createGpCodec(undefined, { imageSize: { width: config.image.width, height: config.image.height } }), config.variant);
  }
  return createGpTask(createGpCodec(), config.variant);
}

export function createGpTask(codec: GpCodec = createGpCodec(), variant: GpExperimentVariant = 'rule'): TrainingTask<GpObservation, GpInfo> & { readonly codec: GpCodec; readonly variants: GpVariants } {
  const imageSize = codec.imageSize;
  const variants = gpVariants(imageSize !== null, variant);
  return {
    id: 'generalpoints',
    codec,
    variants,
    ...(imageSize ? { imageSize: { ...imageSize } } : {}),
    attemptsNeeded: experimentAttempts,
    // Every step that does not end a GeneralPoints episode is a failed verification of the same hand.
    isRetry: () => true,
    makeEnv: (verificationLimit) => makeEnv(GP_ENV_ID, { verificationLimit, ...(imageSize ? { imageSize } : {}) }),
    trainingEpisodes: (rng, count) => Array.from({ length: count }, () => ({ seed: drawSeed(rng), variant: { ...variants.train }, split: 'id' as const })),
    evalEpisodes: (evalCfg, split, count) => evalHands(evalCfg.seed, split, count, variants),
    // With vision, the ID hands again in red suits: recognition and success on red cards at every evaluation.
    ...(imageSize ? { probeSets: (evalCfg, split, count) => (split === 'id' ? [{ name: 'red', episodes: inRed(evalHands(evalCfg.seed, split, count, variants)) }] : []) } : {}),
    expertExamples: (rng, batch, expert) => sftExamples(rng, codec, batch, expert, variants.train),
    curriculumExamples: (rng, batch, opts) => {
      const o = { maxAttempts: opts.multiTurn ? opts.maxAttempts : 1 };
      return Array.from({ length: batch }, () => (imageSize ? vlCurriculumExample(rng, codec, o) : curriculumExample(rng, codec, o))).map(({ prompt, answer, image }) => ({ prompt, answer, ...(image ? { image } : {}) }));
    },
    episodeReturn: (e) => (e.success ? 1 : 0),
    attemptRewards: (e) => (e.segments[0]?.attempts ?? []).map((_, k) => (k + 1 === solvedAt(e) ? 1 : 0)),
    // The paper's table (+5 right, −1 wrong value, −2 wrong numbers, −3 illegal), per attempt.
    gradedRewards: (e) => (e.segments[0]?.attempts ?? []).map((a) => a.result.reward / GP_REWARDS.correct),
    episodeRecord: ({ episode, verificationLimit, actor, createdAt }) =>
      gpEpisodeRecord({
        hand: episodeHand(episode), variant: episode.spec.variant, seed: episode.spec.seed, split: episode.spec.split, actor, verificationLimit, createdAt,
        maxSolutions: 20,
        // The image the model saw is re-rendered from the cards at this size (renderCards is deterministic).
        ...(imageSize ? { initial: { imageSize: { ...imageSize } } } : {}),
        steps: (episode.segments[0]?.attempts ?? []).map((a) => ({ prompt: a.prompt, output: codec.tokensToText(a.tokens), result: a.result, info: { envText: a.action } })),
      }),
    evalMetrics(episodes, split, V) {
      const p = `eval/${split}`;
      const n = Math.max(1, episodes.length);
      const metrics: Record<string, number> = {};
      for (let k = 1; k <= V; k++) metrics[`${p}/solved_at_${k}`] = episodes.filter((e) => solvedAt(e) === k).length;
      const diags = episodes.map((e) => faceDiagnostics(codec, e));
      metrics[`${p}/numbers_correct`] = diags.filter((d) => d.numbersCorrect).length / n;
      if (imageSize) {
        // The paper's recognition accuracy (Fig. 8): all four cards read right, at the first attempt.
        const reads = episodes.map((e) => cardsRead(codec, e));
        metrics[`${p}/recognition`] = reads.filter((r) => r.all).length / n;
        metrics[`${p}/card_accuracy`] = reads.reduce((s, r) => s + r.inPlace, 0) / (4 * n);
        const red = reads.filter((r) => r.red);
        if (red.length > 0) metrics[`${p}/recognition_red`] = red.filter((r) => r.all).length / red.length;
      }
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
