/**
 * The in-app token format of GeneralPoints (RECIPE.md parts 1 and 2): one token per unit.
 *
 *   prompt (14)   <bos> rJ n10 rQ n10 rK n10 T n24 cJ c10 c4 c8 >
 *   answer (≤17)  n10 n10 n4 n8 | ( n10 * ( n8 / n10 ) ) * n4 <eos>
 *   block  (20)   <answer as generated, right-padded with _ to 17> F_val n32 >
 *
 * Numbers 0..40, cards, rule slots and verdicts are words of the shared tokenizer, so one
 * tokenizer spec (stored with checkpoints) covers the format. Everything is encoded from
 * structured state, never by tokenizing prose. Fixed-size blocks make every prompt of turn k
 * the same length (14 + 20(k−1)), so batched sampling needs no padding, and the log-probs of all
 * attempts can be read off one forward pass over the final sequence of an episode.
 */
import { rankLabel, type Rank } from '../../../../shared/tasks/generalpoints/cards';
import { evaluateExact, parseFormula, stripFormula } from '../../../../shared/tasks/generalpoints/formula';
import type { GpInfo, GpObservation } from '../../../../shared/tasks/generalpoints/env';
import { makeHand, type GpHand } from '../../../../shared/tasks/generalpoints/hand';
import type { GpVerdict } from '../../../../shared/tasks/generalpoints/rewards';
import type { TaskCodec } from '../../engine/task';
import { createTokenizer, type Tokenizer } from '../../tokenizer';
import { unitTable } from '../unit-table';

/** Largest number with its own token (targets, card values and feedback values). */
export const GP_MAX_NUMBER = 40;
const RANK_LABELS = ['A', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K'];
const OPS = ['+', '-', '*', '/'] as const;

/** Multi-character units the codec adds to the tokenizer (single characters are built in). */
export const GP_EXTRA_WORDS: readonly string[] = [
  ...Array.from({ length: GP_MAX_NUMBER + 1 }, (_, i) => `n${i}`),
  ...RANK_LABELS.map((l) => `c${l}`),
  'rJ', 'rQ', 'rK',
  'F_val', 'F_num', 'F_parse', 'F_na',
];
const CHAR_UNITS = ['T', '>', '|', '(', ')', '_', ...OPS];

/** The tokenizer of the GeneralPoints format (the default words plus GP_EXTRA_WORDS). */
export function createGpTokenizer(): Tokenizer {
  return createTokenizer({ extraWords: GP_EXTRA_WORDS });
}

/** Verdict of a failed attempt as the block shows it. */
export type GpFeedbackToken = 'F_val' | 'F_num' | 'F_parse';

/** What the env-facing decoder read from an answer. */
export interface DecodedAnswer {
  /** Values of the numbers field (null where a token there is not a number). */
  numbers: (number | null)[];
  /** Formula text (`(10+7)+9-4`); unknown units become `?`, which the verifier rejects. */
  formula: string;
  /** Whether the answer had the `|` separator. */
  hasSeparator: boolean;
}

export interface GpCodec extends TaskCodec<GpObservation, GpInfo> {
  readonly tokenizer: Tokenizer;
  /** Prompt length (14). */
  readonly promptTokens: number;
  /** Answer budget including <eos> (17): the longest solution is 4 + 1 + 11 + 1 tokens. */
  readonly maxAnswerTokens: number;
  /** Attempt block length (20). */
  readonly blockTokens: number;
  /** Token id of a unit (`n10`, `cK`, `(`, `<eos>`…); throws for an unknown unit. */
  id(unit: string): number;
  /** Unit text of a token id (specials as `<eos>`). */
  unit(id: number): string;
  /** Context length needed for episodes of up to `attempts` attempts. */
  contextFor(attempts: number): number;
  /** Prompt for J/Q/K values, target and card ranks in dealt order. */
  encodePrompt(faceValues: readonly [number, number, number], target: number, ranks: readonly Rank[]): number[];
  encodeHandPrompt(hand: GpHand): number[];
  /** Answer tokens: the numbers field, `|`, the formula (solver text such as `10*(10-8)+4`), <eos>. */
  encodeAnswer(numbers: readonly number[], formula: string): number[];
  /** Attempt block: the answer as generated, `_` padding, verdict, value (or F_na), `>`. */
  encodeBlock(answer: readonly number[], verdict: GpVerdict, value: string | null, formula: string | null): number[];
  decodeAnswer(tokens: readonly number[]): DecodedAnswer;
  /** The answer as the env reads it: the paper's `{"number": [...], "formula": "..."}`. */
  answerToEnvText(tokens: readonly number[]): string;
  /**
   * Raw text of tokens (the episode record's `output`): units joined by spaces. textToTokens inverts
   * it for codec units; other vocabulary entries a model may emit are shown by their token text.
   */
  tokensToText(tokens: readonly number[]): string;
  textToTokens(text: string): number[];
}

function numberUnit(v: number): string {
  if (!Number.isInteger(v) || v < 0 || v > GP_MAX_NUMBER) throw new Error(`no token for the number ${v} (0..${GP_MAX_NUMBER})`);
  return `n${v}`;
}

/** Splits solver/verifier formula text into units (`10*(10-8)` → n10 * ( n10 - n8 )). */
export function formulaUnits(formula: string): string[] {
  const out: string[] = [];
  for (const m of formula.matchAll(/\d+|[()+\-*/]|\S/g)) {
    const t = m[0];
    out.push(/^\d+$/.test(t) ? numberUnit(Number(t)) : t);
  }
  return out;
}

/** Verdict token of a failed attempt (the env's verdicts folded into the recipe's three). */
export function feedbackToken(verdict: GpVerdict): GpFeedbackToken {
  if (verdict === 'correct') throw new Error('a correct attempt ends the episode; it has no feedback block');
  if (verdict === 'wrong_value') return 'F_val';
  if (verdict === 'wrong_numbers') return 'F_num';
  return 'F_parse';
}

/**
 * Value token of a failed attempt: the exact value reached when it is an integer in 0..40.
 * The env does not evaluate a formula with wrong numbers, so it is evaluated here: the value is
 * part of the recipe's feedback for F_num too.
 */
export function feedbackValueUnit(verdict: GpVerdict, value: string | null, formula: string | null): string {
  let v = value;
  if (verdict === 'wrong_numbers' && v === null && formula !== null) {
    const f = parseFormula(stripFormula(formula));
    const r = f.ok ? evaluateExact(f.tree) : null;
    v = r && r.d === 1 ? String(r.n) : null;
  }
  if (verdict !== 'wrong_value' && verdict !== 'wrong_numbers') return 'F_na';
  if (v === null || !/^\d+$/.test(v)) return 'F_na';
  const n = Number(v);
  return n <= GP_MAX_NUMBER ? numberUnit(n) : 'F_na';
}

/** The hand an observation shows (cards under its resolved variant). */
export function handOfObservation(observation: GpObservation): GpHand {
  return makeHand(observation.state.cards, observation.state.variant);
}

export function createGpCodec(tokenizer: Tokenizer = createGpTokenizer()): GpCodec {
  const table = unitTable(tokenizer, 'GeneralPoints', [...GP_EXTRA_WORDS, ...CHAR_UNITS], 'GP_EXTRA_WORDS');
  const { id, unit } = table;
  // RECIPE.md says 15, but its own example prompt is 14 tokens; its context figures (72 for V=3) add a token we do not need.
  const promptTokens = 14;
  const maxAnswerTokens = 17;
  const blockTokens = maxAnswerTokens + 3;
  const eos = tokenizer.eos;

  const decodeAnswer = (tokens: readonly number[]): DecodedAnswer => {
    const end = tokens.indexOf(eos);
    const body = (end < 0 ? tokens : tokens.slice(0, end)).map((t) => (table.has(t) ? unit(t) : undefined));
    const sep = body.indexOf('|');
    const numField = sep < 0 ? [] : body.slice(0, sep);
    const numbers = numField.map((u) => (u !== undefined && /^n\d+$/.test(u) ? Number(u.slice(1)) : null));
    let formula = '';
    let prevNumber = false;
    for (const u of sep < 0 ? body : body.slice(sep + 1)) {
      const isNum = u !== undefined && /^n\d+$/.test(u);
      const text = isNum ? (u as string).slice(1) : u !== undefined && (OPS as readonly string[]).concat(['(', ')']).includes(u) ? u : '?';
      // Two numbers in a row stay two numbers ("10 4"), which the verifier rejects, not "104".
      formula += (isNum && prevNumber ? ' ' : '') + text;
      prevNumber = isNum;
    }
    return { numbers, formula: sep < 0 ? '' : formula, hasSeparator: sep >= 0 };
  };

  return {
    tokenizer,
    promptTokens,
    maxAnswerTokens,
    blockTokens,
    id,
    unit,
    contextFor: (attempts) => promptTokens + blockTokens * (attempts - 1) + maxAnswerTokens,
    encodePrompt(faceValues, target, ranks) {
      if (ranks.length !== 4) throw new Error(`a hand has 4 cards, got ${ranks.length}`);
      const [j, q, k] = faceValues;
      return [
        '<bos>', 'rJ', numberUnit(j), 'rQ', numberUnit(q), 'rK', numberUnit(k), 'T', numberUnit(target),
        ...ranks.map((r) => `c${rankLabel(r)}`), '>',
      ].map(id);
    },
    encodeHandPrompt(hand) {
      const v = hand.variant.values;
      return this.encodePrompt([v[10] as number, v[11] as number, v[12] as number], hand.variant.target, hand.cards.map((c) => c.rank));
    },
    encodeAnswer(numbers, formula) {
      const out = [...numbers.map(numberUnit), '|', ...formulaUnits(formula), '<eos>'].map(id);
      if (out.length > maxAnswerTokens) throw new Error(`answer "${formula}" needs ${out.length} tokens (max ${maxAnswerTokens})`);
      return out;
    },
    encodeBlock(answer, verdict, value, formula) {
      if (answer.length > maxAnswerTokens) throw new Error(`an attempt has at most ${maxAnswerTokens} tokens, got ${answer.length}`);
      const pad = new Array<number>(maxAnswerTokens - answer.length).fill(id('_'));
      return [...answer, ...pad, id(feedbackToken(verdict)), id(feedbackValueUnit(verdict, value, formula)), id('>')];
    },
    encodeObservation(observation) {
      return { tokens: this.encodeHandPrompt(handOfObservation(observation)) };
    },
    encodeRetry(answer, result) {
      return this.encodeBlock(answer, result.info.verdict ?? 'parse_error', result.info.value, result.info.formula);
    },
    answerToAction(tokens) {
      return this.answerToEnvText(tokens);
    },
    decodeAnswer,
    answerToEnvText(tokens) {
      const d = decodeAnswer(tokens);
      const nums = d.numbers.map((n) => (n === null ? '?' : String(n))).join(', ');
      return `{"number": [${nums}], "formula": "${d.formula}"}`;
    },
    tokensToText: (tokens) => tokens.map(unit).join(' '),
    textToTokens: (text) => (text === '' ? [] : text.split(' ').map(id)),
  };
}
