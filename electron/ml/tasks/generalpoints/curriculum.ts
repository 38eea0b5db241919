/**
 * The base stage's broad synthetic curriculum (RECIPE.md part 1 stage 0 and part 2 stage 1):
 * random face-card rules stated in the prompt, target 24, a uniformly random valid solution as the
 * answer; and the multi-turn continuation, where 0..V−1 synthetic wrong attempts with the TRUE
 * verifier's feedback precede the final answer (loss on the final answer only).
 *
 * The two rules of the experiment, J/Q/K = (10,10,10) (ID) and (11,12,13) (OOD), are never
 * emitted: the base learns to read a stated rule, never the post-training task itself.
 * Solutions come from the solver, which caches them per value multiset.
 */
import type { Rng } from '../../../../shared/util/rng';
import type { RgbImage } from '../../../../shared/tasks/image';
import { RANKS, type Card, type Rank } from '../../../../shared/tasks/generalpoints/cards';
import { type Tree, type Op, treeText } from '../../../../shared/tasks/generalpoints/expr';
import { makeHand, type GpHand } from '../../../../shared/tasks/generalpoints/hand';
import { mustResolveVariant, VALUE_MAPS } from '../../../../shared/tasks/generalpoints/rules';
import { isSolvableNumbers } from '../../../../shared/tasks/generalpoints/solvable';
import { solveAll } from '../../../../shared/tasks/generalpoints/solver';
import { verifyAnswer } from '../../../../shared/tasks/generalpoints';
import { formulaUnits, type GpCodec } from './codec';

/** J, Q, K values of a rule. */
export type FaceRule = readonly [number, number, number];

/** Rules the curriculum never shows: the experiment's ID and OOD rules. */
export const HELD_OUT_RULES: readonly FaceRule[] = [[10, 10, 10], [11, 12, 13]];
export const CURRICULUM_TARGET = 24;

/** Share of examples with 0, 1, 2… synthetic wrong attempts in the multi-turn phase (RECIPE part 2). */
export const DEFAULT_WRONG_ATTEMPT_PROBS: readonly number[] = [0.3, 0.4, 0.3];

/**
 * Wrong-attempt shares for episodes of up to `maxAttempts` attempts: the recipe's up to 3 attempts;
 * beyond that, 0.3 with no wrong attempt and the rest spread evenly over 1 … maxAttempts − 1, so
 * every position a longer episode reaches (V = 10: up to token 211) is trained in the base — the
 * position table is learned, and a position never trained is noise to the model.
 */
export function wrongAttemptProbs(maxAttempts: number): readonly number[] {
  if (maxAttempts <= DEFAULT_WRONG_ATTEMPT_PROBS.length) return DEFAULT_WRONG_ATTEMPT_PROBS.slice(0, Math.max(1, maxAttempts));
  const first = DEFAULT_WRONG_ATTEMPT_PROBS[0] as number;
  return [first, ...new Array<number>(maxAttempts - 1).fill((1 - first) / (maxAttempts - 1))];
}

const isHeldOut = (r: FaceRule) => HELD_OUT_RULES.some((h) => h[0] === r[0] && h[1] === r[1] && h[2] === r[2]);

/** 50% J,Q,K i.i.d. in 1..13; 25% all equal (v,v,v); 25% consecutive (v,v+1,v+2); held-out rules redrawn. */
export function sampleRule(rng: Rng): FaceRule {
  for (;;) {
    const u = rng.next();
    let r: FaceRule;
    if (u < 0.5) r = [1 + rng.int(13), 1 + rng.int(13), 1 + rng.int(13)];
    else if (u < 0.75) {
      const v = 1 + rng.int(13);
      r = [v, v, v];
    } else {
      const v = 1 + rng.int(11);
      r = [v, v + 1, v + 2];
    }
    if (!isHeldOut(r)) return r;
  }
}

/** A hand under a rule: ranks uniform with replacement (as the recipe), redrawn until solvable; `vision`: the verifier checks the cards field. */
export function drawCurriculumHand(rng: Rng, rule: FaceRule, target = CURRICULUM_TARGET, vision = false): GpHand {
  const values = VALUE_MAPS['face11-13'].slice();
  values[10] = rule[0];
  values[11] = rule[1];
  values[12] = rule[2];
  // A custom value map: the verifier and the prompt read the rule from the hand's variant.
  const variant = mustResolveVariant({ rule: 'face11-13', values, target, requireFace: false, vision });
  for (;;) {
    const ranks = [0, 1, 2, 3].map(() => rng.pick(RANKS));
    const vals = ranks.map((r) => values[r - 1] as number);
    if (!isSolvableNumbers(vals, target)) continue;
    const cards: Card[] = ranks.map((rank) => ({ rank: rank as Rank, suit: rng.pick(['S', 'H', 'D', 'C'] as const) }));
    return makeHand(cards, variant);
  }
}

/** A uniformly random valid solution (the "diverse expert" and the base's target). */
export function randomSolution(rng: Rng, hand: GpHand): string {
  const sols = solveAll(hand.values, hand.variant.target);
  if (sols.length === 0) throw new Error(`hand ${hand.values.join(',')} has no solution`);
  return rng.pick(sols);
}

const ALL_OPS: readonly Op[] = ['+', '-', '*', '/'];

function randomTree(rng: Rng, nums: number[]): Tree {
  if (nums.length === 1) return { kind: 'num', value: nums[0] as number };
  const cut = 1 + rng.int(nums.length - 1);
  return { kind: 'bin', op: rng.pick(ALL_OPS), left: randomTree(rng, nums.slice(0, cut)), right: randomTree(rng, nums.slice(cut)) };
}

/**
 * One synthetic wrong formula (RECIPE part 2): 50% a random formula on the right numbers, 25% a
 * valid solution with one operator changed, 15% with one number replaced, 10% with one token
 * dropped or duplicated. May occasionally be correct; the caller verifies and redraws.
 */
export function corruptFormula(rng: Rng, hand: GpHand): string {
  const u = rng.next();
  if (u < 0.5) return treeText(randomTree(rng, rng.shuffle(hand.values)));
  const units = formulaUnits(randomSolution(rng, hand));
  const at = (pred: (s: string) => boolean) => rng.pick(units.map((s, i) => (pred(s) ? i : -1)).filter((i) => i >= 0));
  if (u < 0.75) {
    const i = at((s) => (ALL_OPS as readonly string[]).includes(s));
    units[i] = rng.pick(ALL_OPS.filter((o) => o !== units[i]));
  } else if (u < 0.9) {
    const i = at((s) => s.startsWith('n'));
    const old = Number((units[i] as string).slice(1));
    let v = 1 + rng.int(13);
    if (v === old) v = (v % 13) + 1;
    units[i] = `n${v}`;
  } else {
    const i = rng.int(units.length);
    if (rng.next() < 0.5 || units.length >= 11) units.splice(i, 1);
    else units.splice(i, 0, units[i] as string);
  }
  return units.map((s) => (s.startsWith('n') ? ` ${s.slice(1)} ` : s)).join('').trim().replace(/\s+/g, ' ');
}

/** A training example: the loss covers `answer` only; vision-language examples carry the image the model reads first. */
export interface GpExample {
  prompt: number[];
  answer: number[];
  image?: RgbImage;
}

/** Answer tokens of a formula on a hand (numbers field = the card values in dealt order; with vision, the cards field first). */
export function answerTokens(codec: GpCodec, hand: GpHand, formula: string, ranks: readonly Rank[] = hand.cards.map((c) => c.rank)): number[] {
  return codec.encodeAnswer(hand.values, formula, ranks);
}

/** Share of the vision-language curriculum's wrong attempts that misread one card (the verifier's −1.5, "wrong cards"). */
export const WRONG_CARD_ATTEMPT_PROB = 0.25;

/** The hand's ranks with one card misread as another rank. */
function misreadRanks(rng: Rng, hand: GpHand): Rank[] {
  const ranks = hand.cards.map((c) => c.rank);
  const i = rng.int(ranks.length);
  ranks[i] = (((ranks[i] as number) + rng.int(12)) % 13 + 1) as Rank;
  return ranks;
}

/** A wrong attempt's block, with the true verifier's verdict and value. Redraws until actually wrong. */
export function wrongAttemptBlock(rng: Rng, codec: GpCodec, hand: GpHand): number[] {
  for (;;) {
    // With vision some wrong attempts misread a card; the rest read the cards right and err in the formula.
    const ranks = codec.imageSize && rng.next() < WRONG_CARD_ATTEMPT_PROB ? misreadRanks(rng, hand) : hand.cards.map((c) => c.rank);
    const formula = corruptFormula(rng, hand);
    let answer: number[];
    try {
      answer = answerTokens(codec, hand, formula, ranks);
    } catch {
      continue; // too long for the answer budget, or a number without a token
    }
    const r = verifyAnswer(hand, codec.answerToEnvText(answer));
    if (r.verdict === 'correct') continue;
    return codec.encodeBlock(answer, r.verdict, r.value, r.formula);
  }
}

/** Draws an index from unnormalised probabilities. */
function drawIndex(rng: Rng, probs: readonly number[]): number {
  const total = probs.reduce((s, p) => s + p, 0);
  let u = rng.next() * total;
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i] as number;
    if (u < 0) return i;
  }
  return probs.length - 1;
}

export interface CurriculumOptions {
  /** Attempts per episode the model must fit in its context: at most maxAttempts−1 wrong ones. 1 = single-turn. */
  maxAttempts: number;
  /** Probabilities of 0, 1, 2… wrong attempts (truncated to maxAttempts entries). Default wrongAttemptProbs(maxAttempts). */
  wrongAttemptProbs?: readonly number[];
}

/**
 * One curriculum example: random rule, random solvable hand (suits of every colour), optional
 * wrong attempts, random valid final answer. With vision the hand is shown as its card image and
 * the answer names its cards first.
 */
export function curriculumExample(rng: Rng, codec: GpCodec, opts: CurriculumOptions): GpExample & { hand: GpHand; rule: FaceRule } {
  const rule = sampleRule(rng);
  const hand = drawCurriculumHand(rng, rule, CURRICULUM_TARGET, codec.imageSize !== null);
  const probs = opts.wrongAttemptProbs ? opts.wrongAttemptProbs.slice(0, Math.max(1, opts.maxAttempts)) : wrongAttemptProbs(opts.maxAttempts);
  const wrong = opts.maxAttempts <= 1 ? 0 : drawIndex(rng, probs);
  const { tokens: prompt, image } = codec.encodeHand(hand);
  for (let i = 0; i < wrong; i++) prompt.push(...wrongAttemptBlock(rng, codec, hand));
  return { prompt, answer: answerTokens(codec, hand, randomSolution(rng, hand)), ...(image ? { image } : {}), hand, rule };
}
