/**
 * GeneralPoints facade: what the API layer, the card inspector, the CLI and the trainers call.
 * Functions taking user input return `{ ok: false, error }` with a readable message instead of throwing.
 */
import { SUITS_BY_COLORS, cardDisplay, parseCardText, rankLabel, type Card, type CardDisplay, type Suit } from './cards';
import { dealWithSeed } from './deal';
import { handSolutions, makeHand, type GpHand } from './hand';
import { renderCards, type RgbImage, type GpImageSize } from './image';
import { compactPrompt, expertAnswer, paperPrompt } from './prompts';
import { resolveVariant, variantSplit, type GpVariant } from './rules';
import { verifyAnswerWith } from './verify-any';
import type { VerifyResult } from './verify';

export type GpResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Everything the inspector shows about a hand. */
export interface DealtHand {
  hand: GpHand;
  /** Rank labels in dealt order. */
  labels: string[];
  values: number[];
  /** Display models for drawing the cards as SVG. */
  display: CardDisplay[];
  /** All solutions, canonical first. */
  solutions: readonly string[];
  /** The expert's answer in the paper's response format. */
  expertAnswer: string | null;
  compactPrompt: string;
  paperPrompt: string;
  /** The card image the model sees (vision variant only). */
  image: RgbImage | null;
  split: 'id' | 'ood';
}

export interface DealOptions extends Partial<GpVariant> {
  /** Seed of the deal (integer). */
  seed: number;
  /** Image size for the vision variant. Default 96×48. */
  imageSize?: GpImageSize;
  /** Paper prompt with the `_EG` output example. Default false. */
  paperPromptExample?: boolean;
}

/** The inspector's view of a hand. */
export function describeHand(hand: GpHand, options: { imageSize?: GpImageSize; paperPromptExample?: boolean } = {}): DealtHand {
  return {
    hand,
    labels: hand.cards.map((c) => rankLabel(c.rank)),
    values: hand.values.slice(),
    display: hand.cards.map(cardDisplay),
    solutions: handSolutions(hand),
    expertAnswer: expertAnswer(hand),
    compactPrompt: compactPrompt(hand),
    paperPrompt: paperPrompt(hand, options.paperPromptExample ?? false),
    image: hand.variant.vision ? renderCards(hand.cards, options.imageSize) : null,
    split: variantSplit(hand.variant),
  };
}

/** Deals the hand of a seed under a variant (only solvable hands are dealt). */
export function dealHand(options: DealOptions): GpResult<DealtHand> {
  const { seed, imageSize, paperPromptExample, ...variant } = options;
  const v = resolveVariant(variant);
  if (!v.ok) return v;
  const dealt = dealWithSeed(seed, v.variant);
  if (!dealt.ok) return dealt;
  try {
    return { ok: true, value: describeHand(dealt.hand, { imageSize, paperPromptExample }) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/**
 * A hand from typed cards (`"J,3,7,2"`, `"QS 10H 4 A♣"`), for the inspector's playground and the
 * CLI. Cards without a suit get one of the allowed colour, distinct per rank where possible.
 * The hand need not be solvable (its solution list is then empty).
 */
export function handFromCards(cards: string | readonly string[], variant: Partial<GpVariant> = {}): GpResult<GpHand> {
  const v = resolveVariant(variant);
  if (!v.ok) return v;
  const items = typeof cards === 'string' ? cards.split(/[\s,]+/).filter((s) => s !== '') : cards;
  if (items.length !== 4) return { ok: false, error: `a hand has 4 cards, got ${items.length} (${items.join(', ') || 'none'})` };
  const allowed = SUITS_BY_COLORS[v.variant.colors];
  const out: Card[] = [];
  for (const item of items) {
    const c = parseCardText(item);
    if (!c) return { ok: false, error: `cannot read the card "${item}" (write A, 2-10, J, Q or K, optionally with a suit: QS, 10H, A♣)` };
    const taken = out.filter((o) => o.rank === c.rank).map((o) => o.suit);
    const suit: Suit = c.suit ?? allowed.find((s) => !taken.includes(s)) ?? (allowed[0] as Suit);
    out.push({ rank: c.rank, suit });
  }
  return { ok: true, value: makeHand(out, v.variant) };
}

/** Verifies an answer against a hand exactly as the environment would (one attempt, no episode state). */
export function verifyAnswer(hand: GpHand, answerText: string, options: { referenceQuirks?: boolean } = {}): VerifyResult {
  return verifyAnswerWith(hand, answerText, options.referenceQuirks ?? false);
}

export { cardDisplay, rankLabel, parseCardText, deck, type Card, type CardDisplay, type Rank, type Suit, type SuitColors } from './cards';
export { GP_RULES, VALUE_MAPS, DEFAULT_VARIANT, resolveVariant, parseValueMap, variantSplit, faceCardMessage, type GpRule, type GpVariant, type ResolvedVariant, type ValueMap, type DrawMode } from './rules';
export { makeHand, handLabels, handSolutions, type GpHand } from './hand';
export { solveAll, canonicalSolution } from './solver';
export { solvableStats, isSolvableNumbers, allRankMultisets, type SolvableStats } from './solvable';
export { parseAnswer, type ParsedAnswer } from './answer-parse';
export type { VerifyResult } from './verify';
export { GP_REWARDS, REFERENCE_REWARD_FN, GP_REWARD_BOUNDS, ALL_VERDICTS, type GpVerdict } from './rewards';
export { compactPrompt, paperPrompt, paperMessages, expertAnswer, expertFormula, failureMessage, type GpAttempt, type GpChatMessage } from './prompts';
export { renderCards, DEFAULT_IMAGE_SIZE, type RgbImage, type GpImageSize } from './image';
export { GeneralPointsEnv, createGeneralPointsEnv, GP_ENV_ID, type GpEnvOptions, type GpResetOptions, type GpObservation, type GpInfo, type GpState } from './env';
export { referenceSolutionStrings } from './reference-solutions';
export { runConformance, type ConformanceOptions } from './conformance';
