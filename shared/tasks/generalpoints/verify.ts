/**
 * The default verifier: the paper's reward table (App. A.3) with one verdict per attempt, exact
 * evaluation and a feedback sentence that names the exact problem. The reference code's
 * behaviour lives in reference.ts, behind the `referenceQuirks` option.
 *
 * Order of checks (the first failing one decides): cards (vision variant only, as the reference),
 * a formula present, a legal formula, the card values each used once, the value.
 */
import { isFaceRank, parseRankLabel, rankLabel, type Rank } from './cards';
import { evaluateExact, parseFormula, stripFormula } from './formula';
import { describeCards, type GpHand } from './hand';
import { parseAnswer, type ParsedAnswer } from './answer-parse';
import { formatRational } from './rational';
import { GP_REWARDS, type GpVerdict } from './rewards';
import { valueOf } from './rules';

export interface VerifyResult {
  verdict: GpVerdict;
  reward: number;
  /** A sentence naming the exact problem (it follows "You failed this trial because …"), or the confirmation. */
  feedback: string;
  /** The answer's fields as read. */
  parsed: ParsedAnswer;
  /** The formula as read and cleaned (`8/(3-8/3)`), or null when no legal formula could be read. */
  formula: string | null;
  /** Exact value the formula reached (`24`, `71/3`), or null when not evaluated or dividing by zero. */
  value: string | null;
}

function result(verdict: keyof typeof GP_REWARDS, feedback: string, parsed: ParsedAnswer, formula: string | null = null, value: string | null = null): VerifyResult {
  return { verdict, reward: GP_REWARDS[verdict], feedback, parsed, formula, value };
}

function times(k: number): string {
  return k === 1 ? 'once' : k === 2 ? 'twice' : k === 3 ? 'three times' : `${k} times`;
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Checks the vision variant's `cards` field; returns the problem or null when it names the right cards. */
function checkCards(hand: GpHand, cards: string[] | null): string | null {
  if (cards === null) return 'the answer has no "cards" field; name the four cards you see in the image.';
  const ranks: Rank[] = [];
  for (const c of cards) {
    const r = parseRankLabel(c);
    if (r === null) return `"${c}" in the cards field is not a card (write A, 2-10, J, Q or K).`;
    ranks.push(r);
  }
  if (ranks.length !== hand.cards.length) return `the cards field names ${ranks.length} cards; the image shows ${hand.cards.length}.`;
  const want = hand.cards.map((c) => c.rank).sort((a, b) => a - b).join(',');
  if (ranks.slice().sort((a, b) => a - b).join(',') !== want) return `the cards field (${ranks.map(rankLabel).join(', ')}) does not match the cards in the image.`;
  return null;
}

/** Why a number that is not a card value might have been written, e.g. "J counts as 10 here". */
function valueHint(hand: GpHand, n: number): string | undefined {
  const card = hand.cards.find((c, i) => isFaceRank(c.rank) && hand.values[i] !== n && (n === 10 || n === c.rank));
  return card ? `${rankLabel(card.rank)} counts as ${valueOf(hand.variant.values, card.rank)} here` : undefined;
}

/** Multiset equality for a handful of numbers, without sorting or allocating (hot path). */
function sameMultiset(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length || a.length > 30) return a.length === b.length && a.slice().sort().join() === b.slice().sort().join();
  let taken = 0;
  outer: for (const v of b) {
    for (let i = 0; i < a.length; i++) {
      if ((taken & (1 << i)) === 0 && a[i] === v) {
        taken |= 1 << i;
        continue outer;
      }
    }
    return false;
  }
  return true;
}

/** For a letter in a formula: the value of the card it names, e.g. "K counts as 10 here". */
function letterHint(hand: GpHand, letter: string): string | undefined {
  const rank = parseRankLabel(letter);
  return rank === null ? undefined : `${letter} counts as ${valueOf(hand.variant.values, rank)} here`;
}

/** Compares the formula's numbers with the card values; returns the problem or null. */
function checkNumbers(hand: GpHand, used: number[]): string | null {
  if (sameMultiset(hand.values, used)) return null;
  const have = new Map<number, number>();
  for (const v of hand.values) have.set(v, (have.get(v) ?? 0) + 1);
  const got = new Map<number, number>();
  for (const v of used) got.set(v, (got.get(v) ?? 0) + 1);
  const parts: string[] = [];
  const notCards = [...got.keys()].filter((v) => !have.has(v));
  if (notCards.length > 0) {
    const hints = notCards.map((v) => valueHint(hand, v)).filter((h): h is string => h !== undefined);
    parts.push(`uses ${joinAnd(notCards.map(String))}, which ${notCards.length === 1 ? 'is not a card value' : 'are not card values'}${hints.length ? ` (${hints.join('; ')})` : ''}`);
  }
  for (const [v, k] of got) if (have.has(v) && k > (have.get(v) as number)) parts.push(`uses ${v} ${times(k)}`);
  const missing: string[] = [];
  for (const [v, n] of have) {
    const k = got.get(v) ?? 0;
    if (k === 0) missing.push(n === 1 ? String(v) : `${v} (${n} cards are ${v})`);
    else if (k < n) parts.push(`uses ${v} ${times(k)} but ${n} cards are ${v}`);
  }
  if (missing.length > 0) parts.push(`does not use ${joinAnd(missing)}`);
  if (parts.length === 0) return null;
  return `the formula ${joinAnd(parts)}; cards are ${describeCards(hand)}.`;
}

/** The default verifier. Never throws, whatever the text. */
export function verifyDefault(hand: GpHand, answerText: string): VerifyResult {
  const parsed = parseAnswer(answerText);
  if (hand.variant.vision) {
    const problem = checkCards(hand, parsed.cards);
    if (problem) return result('wrong_cards', problem, parsed);
  }
  if (parsed.formula === null) return result('parse_error', 'no formula was found in the answer; give it as "formula": "…" in the answer format.', parsed);
  const stripped = stripFormula(parsed.formula);
  const f = parseFormula(stripped);
  if (!f.ok) {
    const extra = f.letter === undefined ? undefined : letterHint(hand, f.letter);
    return result('illegal_formula', f.error + (extra ? ` (${extra}).` : '.'), parsed);
  }
  const numbersProblem = checkNumbers(hand, f.numbers);
  if (numbersProblem) return result('wrong_numbers', numbersProblem, parsed, f.text);
  const value = evaluateExact(f.tree);
  if (value === null) return result('wrong_value', `the formula ${f.text} divides by zero.`, parsed, f.text);
  const shown = formatRational(value);
  const target = hand.variant.target;
  if (value.d !== 1 || value.n !== target) return result('wrong_value', `the formula ${f.text} evaluates to ${shown}, not ${target}.`, parsed, f.text, shown);
  return result('correct', `correct: ${f.text} = ${target}.`, parsed, f.text, shown);
}
