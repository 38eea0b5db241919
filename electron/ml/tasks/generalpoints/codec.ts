/**
 * The in-app token format of GeneralPoints (RECIPE.md parts 1 and 2): one token per unit.
 *
 *   prompt (14)   <bos> rJ n10 rQ n10 rK n10 T n24 cJ c10 c4 c8 >
 *   answer (≤17)  n10 n10 n4 n8 | ( n10 * ( n8 / n10 ) ) * n4 <eos>
 *   block  (20)   <answer as generated, right-padded with _ to 17> F_val n32 >
 *
 * The vision-language format (GP-VL, PAPER.md §1.4) shows the cards only as the image the model
 * reads before the prompt, and the answer first names the cards it sees (the paper's "cards"
 * field, checked first by the verifier: a wrong list is −1.5 and nothing else is scored):
 *
 *   image         the env's card image (visual tokens)
 *   prompt (10)   <bos> rJ n10 rQ n10 rK n10 T n24 >
 *   answer (≤22)  cJ c10 c4 c8 | n10 n10 n4 n8 | ( n10 * ( n8 / n10 ) ) * n4 <eos>
 *   block  (25)   <answer, padded with _ to 22> F_card F_na >      (F_card: the cards were misread)
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
import { renderCards, type GpImageSize } from '../../../../shared/tasks/generalpoints/image';
import type { RgbImage } from '../../../../shared/tasks/image';
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
/** Units the vision-language format adds (appended, so every GP-L id keeps its meaning). */
export const GP_VL_EXTRA_WORDS: readonly string[] = ['F_card'];
// `R` starts the base curriculum's recognition prompts ("read the cards").
const CHAR_UNITS = ['T', '>', '|', '(', ')', '_', 'R', ...OPS];

/** The tokenizer of the GeneralPoints format (the default words plus GP_EXTRA_WORDS, and GP_VL_EXTRA_WORDS for vision). */
export function createGpTokenizer(vision = false): Tokenizer {
  return createTokenizer({ extraWords: vision ? [...GP_EXTRA_WORDS, ...GP_VL_EXTRA_WORDS] : GP_EXTRA_WORDS });
}

/** Verdict of a failed attempt as the block shows it. */
export type GpFeedbackToken = 'F_val' | 'F_num' | 'F_parse' | 'F_card';

/** What the env-facing decoder read from an answer. */
export interface DecodedAnswer {
  /** Values of the numbers field (null where a token there is not a number). */
  numbers: (number | null)[];
  /** Formula text (`(10+7)+9-4`); unknown units become `?`, which the verifier rejects. */
  formula: string;
  /** Whether the answer had the `|` separator. */
  hasSeparator: boolean;
  /** Vision-language format only: the card labels of the cards field (null where a token there is not a card). */
  cards?: (string | null)[];
}

export interface GpCodec extends TaskCodec<GpObservation, GpInfo> {
  readonly tokenizer: Tokenizer;
  /** Size of the card image the model reads (vision-language format); null for the text format. */
  readonly imageSize: GpImageSize | null;
  /** Prompt length (14; 10 with vision). */
  readonly promptTokens: number;
  /** Answer budget including <eos> (17): the longest solution is 4 + 1 + 11 + 1 tokens (22 with the cards field). */
  readonly maxAnswerTokens: number;
  /** Attempt block length (20; 25 with vision). */
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
  /** What the model reads for a hand: the prompt, and with vision the card image (the env's exact bytes). */
  encodeHand(hand: GpHand): { tokens: number[]; image?: RgbImage };
  /**
   * Answer tokens: the numbers field, `|`, the formula (solver text such as `10*(10-8)+4`), <eos>;
   * with vision the cards field (`ranks`, required) and `|` come first.
   */
  encodeAnswer(numbers: readonly number[], formula: string, ranks?: readonly Rank[]): number[];
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

/** Verdict token of a failed attempt (the env's verdicts folded into the recipe's three, plus F_card for misread cards with vision). */
export function feedbackToken(verdict: GpVerdict, vision = false): GpFeedbackToken {
  if (verdict === 'correct') throw new Error('a correct attempt ends the episode; it has no feedback block');
  if (verdict === 'wrong_value') return 'F_val';
  if (verdict === 'wrong_numbers') return 'F_num';
  if (verdict === 'wrong_cards' && vision) return 'F_card';
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

export interface GpCodecOptions {
  /** The vision-language format: cards shown as an image of this size, named in the answer. Default: the text format. */
  imageSize?: GpImageSize;
}

export function createGpCodec(tokenizer?: Tokenizer, options: GpCodecOptions = {}): GpCodec {
  const imageSize = options.imageSize ?? null;
  const vision = imageSize !== null;
  const tok = tokenizer ?? createGpTokenizer(vision);
  const words = vision ? [...GP_EXTRA_WORDS, ...GP_VL_EXTRA_WORDS] : GP_EXTRA_WORDS;
  const table = unitTable(tok, 'GeneralPoints', [...words, ...CHAR_UNITS], vision ? 'GP_EXTRA_WORDS and GP_VL_EXTRA_WORDS' : 'GP_EXTRA_WORDS');
  const { id, unit } = table;
  // RECIPE.md says 15, but its own example prompt is 14 tokens; its context figures (72 for V=3) add a token we do not need.
  // With vision the four card tokens leave the prompt and come back, with a separator, in the answer.
  const promptTokens = vision ? 10 : 14;
  const maxAnswerTokens = vision ? 22 : 17;
  const blockTokens = maxAnswerTokens + 3;
  const eos = tok.eos;

  const decodeAnswer = (tokens: readonly number[]): DecodedAnswer => {
    const end = tokens.indexOf(eos);
    let body = (end < 0 ? tokens : tokens.slice(0, end)).map((t) => (table.has(t) ? unit(t) : undefined));
    let cards: (string | null)[] | undefined;
    if (vision) {
      const cut = body.indexOf('|');
      const field = cut < 0 ? body : body.slice(0, cut);
      cards = field.map((u) => (u !== undefined && /^c(A|[2-9]|10|J|Q|K)$/.test(u) ? u.slice(1) : null));
      body = cut < 0 ? [] : body.slice(cut + 1);
    }
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
    return { numbers, formula: sep < 0 ? '' : formula, hasSeparator: sep >= 0, ...(cards ? { cards } : {}) };
  };

  return {
    tokenizer: tok,
    imageSize,
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
        ...(vision ? [] : ranks.map((r) => `c${rankLabel(r)}`)), '>',
      ].map(id);
    },
    encodeHandPrompt(hand) {
      const v = hand.variant.values;
      return this.encodePrompt([v[10] as number, v[11] as number, v[12] as number], hand.variant.target, hand.cards.map((c) => c.rank));
    },
    encodeHand(hand) {
      const tokens = this.encodeHandPrompt(hand);
      return imageSize ? { tokens, image: renderCards(hand.cards, imageSize) } : { tokens };
    },
    encodeAnswer(numbers, formula, ranks) {
      if (vision && !ranks) throw new Error('the vision-language answer starts with the cards field: give the ranks');
      const cardUnits = vision ? [...(ranks as readonly Rank[]).map((r) => `c${rankLabel(r)}`), '|'] : [];
      const out = [...cardUnits, ...numbers.map(numberUnit), '|', ...formulaUnits(formula), '<eos>'].map(id);
      if (out.length > maxAnswerTokens) throw new Error(`answer "${formula}" needs ${out.length} tokens (max ${maxAnswerTokens})`);
      return out;
    },
    encodeBlock(answer, verdict, value, formula) {
      if (answer.length > maxAnswerTokens) throw new Error(`an attempt has at most ${maxAnswerTokens} tokens, got ${answer.length}`);
      const pad = new Array<number>(maxAnswerTokens - answer.length).fill(id('_'));
      return [...answer, ...pad, id(feedbackToken(verdict, vision)), id(feedbackValueUnit(verdict, value, formula)), id('>')];
    },
    encodeObservation(observation) {
      const tokens = this.encodeHandPrompt(handOfObservation(observation));
      if (!imageSize) return { tokens };
      if (!observation.image) throw new Error('the vision-language codec needs the card image: reset the env with variant.vision = true');
      return { tokens, image: observation.image };
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
      // The paper's cards field: quoted rank labels (PAPER.md §1.5); an unreadable token stays visible as '?'.
      const cards = d.cards ? `"cards": [${d.cards.map((c) => `'${c ?? '?'}'`).join(', ')}], ` : '';
      return `{${cards}"number": [${nums}], "formula": "${d.formula}"}`;
    },
    tokensToText: (tokens) => tokens.map(unit).join(' '),
    textToTokens: (text) => (text === '' ? [] : text.split(' ').map(id)),
  };
}
