/**
 * What the model reads and what the expert writes:
 * - the paper's prompts, verbatim (`prompt_lib/prompts.py` of LeslieTrue/SFTvsRL: GP-L, GP-VL and
 *   their `_EG` variants), and the chat they grow into over revision turns;
 * - the compact prompt for the in-app tiny models;
 * - the expert answer in the paper's response format (`ResponseEqn`).
 */
import { rankLabel } from './cards';
import { handLabels, handSolutions, type GpHand } from './hand';
import { compactRuleText, faceCardMessage } from './rules';
import type { GpVerdict } from './rewards';

/** Python's repr of a list of strings: `['A', '3', 'K', '6']`. */
export function pythonStrList(items: readonly string[]): string {
  return '[' + items.map((s) => `'${s}'`).join(', ') + ']';
}

/** Python's repr of a list of ints: `[1, 3, 10, 6]`. */
export function pythonIntList(items: readonly number[]): string {
  return '[' + items.join(', ') + ']';
}

const TASK = (target: number, faceMsg: string, intro: string): string =>
  `
[Task Description]
You are an expert ${target} points card game player. ${intro}
Note that ${faceMsg}, and each card must be used once.
Your goal is to output a formula that evaluates to ${target} using numbers from the cards and operators such as '+', '-', '*', '/', '(', ')', and '='.
`;

const OUTPUT_SKELETON = (target: number, faceMsg: string): string =>
  `{
  "cards": [x, y, z, w], where ${faceMsg},
  "number": [a, b, c, d], where a, b, c, and d are the numbers on the cards,
  "formula": 'an equation that equals ${target}',
}
`;

const EXAMPLE = `
[Output Example]
{
  "cards": [4, 3, 2, K],
  "number": [4, 3, 2, 10],
  "formula": "4*3+2+10=24",
}

Please only output the json.
`;

/**
 * The paper's first user message: `Q_GeneralPoint_EQN_L` (cards in the text) or, for the vision
 * variant, `Q_GeneralPoint_EQN_VL` (cards only in the image). `example` selects the `_EG` variant
 * the reference's API evaluator uses. Text is byte-for-byte the reference's, odd punctuation included.
 */
export function paperPrompt(hand: GpHand, example = false): string {
  const { target, values, vision } = hand.variant;
  const msg = faceCardMessage(values);
  if (vision) {
    const head = TASK(target, msg, 'You are observing these four cards in the image.');
    return head + `\n[Output]\nYour response should be a valid json file in the following format:\n` + OUTPUT_SKELETON(target, msg) + (example ? EXAMPLE : '\n');
  }
  const head = TASK(target, msg, 'You will receive a set of 4 cards.');
  return head + `\n[Input]\nCards: ${pythonStrList(handLabels(hand))}\n\n[Output]\n` + OUTPUT_SKELETON(target, msg) + (example ? EXAMPLE : '\n');
}

/** The revision message the reference appends after a failed attempt. */
export function failureMessage(feedback: string): string {
  return `You failed this trial because ${feedback}`;
}

/** One earlier attempt, as the prompts show it. */
export interface GpAttempt {
  /** The model's raw output. */
  output: string;
  verdict: GpVerdict;
  reward: number;
  feedback: string;
  /** The formula as read, if any. */
  formula: string | null;
  /** Exact value reached, if evaluated. */
  value: string | null;
}

/** A chat message of the paper's conversation; `image` marks the first user message of the vision variant. */
export interface GpChatMessage {
  role: 'user' | 'assistant';
  content: string;
  /** True where the card image goes before the text (first user message, vision variant only). */
  image?: boolean;
}

/** The paper's chat after these attempts: prompt, then (answer, "You failed this trial because …") per attempt. */
export function paperMessages(hand: GpHand, attempts: readonly GpAttempt[], example = false, firstPrompt?: string): GpChatMessage[] {
  const first: GpChatMessage = { role: 'user', content: firstPrompt ?? paperPrompt(hand, example) };
  if (hand.variant.vision) first.image = true;
  const out: GpChatMessage[] = [first];
  for (const a of attempts) {
    out.push({ role: 'assistant', content: a.output });
    if (a.verdict !== 'correct') out.push({ role: 'user', content: failureMessage(a.feedback) });
  }
  return out;
}

/** The short feedback of the compact prompt: the verdict and, where useful, the value reached. */
export function compactFeedback(a: Pick<GpAttempt, 'verdict' | 'value'>): string {
  if (a.verdict === 'wrong_value') return `wrong_value ${a.value ?? 'undefined'}`;
  return a.verdict;
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/**
 * The compact prompt for the in-app models: short, line-based, easy to tokenize. Example:
 * ```
 * target 24 rule J=10 Q=10 K=10
 * cards Q 9 7 4
 * try (10*9-7)/4 => wrong_value 83/4
 * ```
 * Line 1: target and the rule (face values, plus any custom values). Line 2: the card ranks in
 * dealt order (`cards image` in the vision variant, where the cards are only in the image).
 * Then one `try <formula> => <verdict>[ value]` line per earlier attempt, with the formula as read
 * (or the raw answer, shortened, when no formula could be read).
 */
export function compactPrompt(hand: GpHand, attempts: readonly GpAttempt[] = []): string {
  const lines = [`target ${hand.variant.target} rule ${compactRuleText(hand.variant.values)}`];
  lines.push(hand.variant.vision ? 'cards image' : `cards ${hand.cards.map((c) => rankLabel(c.rank)).join(' ')}`);
  for (const a of attempts) lines.push(`try ${a.formula ?? oneLine(a.output, 40)} => ${compactFeedback(a)}`);
  return lines.join('\n');
}

/** The formula the expert writes: the canonical solution, with `=target` as in the paper's example output. */
export function expertFormula(hand: GpHand, withEquals = true): string | null {
  const best = handSolutions(hand)[0];
  if (best === undefined) return null;
  return withEquals ? `${best}=${hand.variant.target}` : best;
}

/**
 * The expert's answer in the paper's response format (`ResponseEqn`: leading newline, Python-style
 * card list, trailing comma). Null only for an unsolvable hand, which is never dealt.
 */
export function expertAnswer(hand: GpHand, withEquals = true): string | null {
  const formula = expertFormula(hand, withEquals);
  if (formula === null) return null;
  return `\n{\n  "cards": ${pythonStrList(handLabels(hand))},\n  "number": ${pythonIntList(hand.values)},\n  "formula": "${formula}",\n}`;
}
