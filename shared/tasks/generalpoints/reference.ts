/**
 * The reference verifier, reproduced for comparison runs (option `referenceQuirks: true`). It
 * ports `utils_general.re_match` / `robust_str_to_list` and `utils_rl.step_rewards` of
 * LeslieTrue/SFTvsRL (PAPER.md §1.5, §6), quirks included:
 * - penalties are summed (−3 per grammar violation, −2 per number problem: e.g. −7);
 * - the formula is evaluated in floats, so `8/(3-8/3)` gives 23.999… and earns 0 with message ".";
 * - +1 "partial solution" when evaluation fails and the formula is a prefix of a solver string;
 * - spaces or any character other than digits, + - * / ( ) make the formula illegal (−3);
 * - the regex fallback needs `"formula": "…"` in double quotes; strict-JSON card lists or
 *   all-digit card lists fail the vision check (−1.5).
 * Python's readers are reproduced where they differ from JavaScript's: `json.loads` accepts
 * `NaN` and `Infinity`, `.` in a pattern matches `\r` and U+2028, `\d` and `int` take any Unicode
 * decimal digit (which `eval` then refuses), and `eval` refuses more than 200 nested parentheses.
 * Deviation, where the reference would crash rather than answer: a non-string `formula` (a JSON
 * number, list or null) is treated as illegal characters (−3).
 */
import { handLabels, type GpHand } from './hand';
import { parseAnswer } from './answer-parse';
import { referenceSolutionStrings } from './reference-solutions';
import { REFERENCE_REWARD_FN as R, type GpVerdict } from './rewards';
import type { VerifyResult } from './verify';

const RE_PATTERNS: Record<'formula' | 'cards' | 'number', RegExp> = {
  // Python's `.` stops only at \n (JavaScript's also at \r, U+2028 and U+2029).
  formula: /"formula": "([^\n]*?)"/,
  cards: /"cards": \[([^\]]+)\]/,
  number: /"number": \[([^\]]+)\]/,
};

/** Python `int(s)` for the reference's card lists: optional spaces and sign around ASCII digits. */
function pyInt(s: string): number | null {
  return /^\s*[+-]?\d+\s*$/.test(s) ? Number(s) : null;
}

/**
 * The text with Python's JSON constants (`NaN`, `Infinity`, `-Infinity`) outside strings replaced
 * by `null`, which JSON.parse reads: `json.loads` accepts them, JSON.parse does not.
 */
function withoutPythonConstants(text: string): string {
  const out: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      if (c === '\\') {
        out.push(c, text[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') inString = false;
      out.push(c);
      continue;
    }
    if (c === '"') inString = true;
    const constant = text.startsWith('NaN', i) ? 3 : text.startsWith('Infinity', i) ? 8 : text.startsWith('-Infinity', i) ? 9 : 0;
    if (constant > 0) {
      out.push('null');
      i += constant - 1;
    } else out.push(c);
  }
  return out.join('');
}

/** `json.loads`, as far as the reference's answers need it. Throws where it raises. */
function pyJsonLoads(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    return JSON.parse(withoutPythonConstants(text));
  }
}

/** The value of a Unicode decimal digit: digits come in aligned runs of ten (0–9, 0–9, …). */
function digitValue(ch: string): number {
  const cp = ch.codePointAt(0) as number;
  let start = cp;
  while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Python `int()` of a token of Unicode decimal digits. */
function pyIntDigits(token: string): number {
  let v = 0;
  for (const ch of token) v = v * 10 + digitValue(ch);
  return v;
}

/** `re_match`: json.loads(text)[key], else the regex, else the string "None". */
export function reMatch(text: string, key: 'formula' | 'cards' | 'number'): unknown {
  try {
    const obj: unknown = pyJsonLoads(text);
    if (obj !== null && typeof obj === 'object' && !Array.isArray(obj) && Object.prototype.hasOwnProperty.call(obj, key)) return (obj as Record<string, unknown>)[key];
  } catch {
    // Not JSON: fall through to the regex, as the reference does.
  }
  const m = RE_PATTERNS[key].exec(text);
  if (!m) return 'None';
  const group = m[1] as string;
  if (key === 'cards') {
    const ints = group.split(', ').map(pyInt);
    return ints.every((x) => x !== null) ? ints : '[' + group + ']';
  }
  return group;
}

/** `robust_str_to_list`: only a string with exactly 4 comma-separated items works; anything else gives []. */
export function robustStrToList(x: unknown): string[] {
  if (typeof x !== 'string') return [];
  const items = x.replace(/[[\]' ]/g, '').split(',');
  return items.length === 4 ? items : [];
}

function pyList(xs: number[]): string {
  return '[' + xs.join(', ') + ']';
}

/** Python's `eval` of a grammar-checked token list, in floats. Throws where Python raises. */
function pyEval(tokens: string[]): number {
  let i = 0;
  const expr = (): number => {
    let v = term();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = factor();
    while (tokens[i] === '*' || tokens[i] === '/') {
      if (tokens[i++] === '*') v *= factor();
      else {
        const d = factor();
        if (d === 0) throw new Error('ZeroDivisionError');
        v /= d;
      }
    }
    return v;
  };
  let depth = 0;
  const factor = (): number => {
    const t = tokens[i++];
    if (t === '(') {
      // CPython's tokenizer refuses the 201st open parenthesis.
      if (++depth > 200) throw new Error('SyntaxError: too many nested parentheses');
      const v = expr();
      depth--;
      if (tokens[i++] !== ')') throw new Error('SyntaxError: unclosed parenthesis');
      return v;
    }
    if (t === undefined || !/^\d+$/.test(t)) throw new Error('SyntaxError');
    // Python 3 rejects leading zeros in decimal literals ("08"), but accepts "0" and "00".
    if (/^0+[1-9]/.test(t)) throw new Error('SyntaxError: leading zeros');
    return Number(t);
  };
  const v = expr();
  if (i !== tokens.length) throw new Error('SyntaxError');
  return v;
}

type TokenType = 'number' | 'operator' | 'open_paren' | 'close_paren';

function tokenType(t: string): TokenType {
  if (t === '(') return 'open_paren';
  if (t === ')') return 'close_paren';
  return '+-*/'.includes(t) ? 'operator' : 'number';
}

/** `step_rewards` of the reference, returning the summed reward and its message list. */
function stepRewards(hand: GpHand, formula: string, solutions: readonly string[]): { reward: number; messages: string[]; kinds: Set<string> } {
  let reward = 0;
  const messages: string[] = [];
  const kinds = new Set<string>();
  const add = (kind: keyof typeof R, msg: string): void => { reward += R[kind]; messages.push(msg); kinds.add(kind); };
  // Python's `\d` is any Unicode decimal digit.
  const tokens = formula.match(/\p{Nd}+|[+\-*/()]/gu) ?? [];
  if (tokens.join('') !== formula) {
    add('ILLEGAL_FORMULA', 'illegal characters');
    return { reward, messages, kinds };
  }
  let prev: TokenType | null = null;
  let open = 0;
  for (const t of tokens) {
    const type = tokenType(t);
    if (type === 'number' && !(prev === null || prev === 'operator' || prev === 'open_paren')) add('ILLEGAL_FORMULA', 'invalid sequence after number');
    else if (type === 'operator' && !(prev === 'number' || prev === 'close_paren')) add('ILLEGAL_FORMULA', 'invalid sequence after operator');
    else if (type === 'open_paren') {
      if (prev === null || prev === 'operator' || prev === 'open_paren') open++;
      else add('ILLEGAL_FORMULA', "invalid sequence before '('");
    } else if (type === 'close_paren') {
      if (prev === 'number' || prev === 'close_paren') {
        if (open > 0) open--;
        else add('ILLEGAL_FORMULA', 'unmatched closing parenthesis');
      } else add('ILLEGAL_FORMULA', "invalid sequence after ')'");
    }
    prev = type;
  }
  const used = new Map<number, number>();
  for (const t of tokens) {
    if (tokenType(t) !== 'number') continue;
    const n = pyIntDigits(t);
    used.set(n, (used.get(n) ?? 0) + 1);
  }
  const have = new Map<number, number>();
  for (const v of hand.values) have.set(v, (have.get(v) ?? 0) + 1);
  const invalid = [...used.keys()].filter((n) => !have.has(n));
  const over = [...used.keys()].filter((n) => (used.get(n) as number) > (have.get(n) ?? 0));
  if (invalid.length > 0) add('INCORRECT_NUMBER', `you used invalid numbers: ${pyList(invalid)}`);
  else if (over.length > 0) add('INCORRECT_NUMBER', `you used numbers: ${pyList(over)} too many times`);
  const under = [...have.keys()].filter((n) => (have.get(n) as number) > (used.get(n) ?? 0));
  if (under.length > 0) add('INCORRECT_NUMBER', `you didn't use numbers: ${pyList(under)}`);
  if (reward !== 0) return { reward, messages, kinds };
  try {
    if (pyEval(tokens) === hand.variant.target) {
      add('CORRECT_SOLUTION', 'Correct solution');
      return { reward, messages, kinds };
    }
  } catch {
    if (solutions.some((s) => s.startsWith(formula))) {
      add('PARTIAL_SOLUTION', 'partial solution');
      return { reward, messages, kinds };
    }
  }
  let register = '';
  for (const t of tokens) {
    const before = register;
    register += t;
    if (!solutions.some((s) => s.startsWith(register))) {
      add('NO_SOLUTION', before === '' ? 'your formula does not match any solution' : `${before} is partially correct but the full formula does not match any solution`);
      break;
    }
  }
  return { reward, messages, kinds };
}

/** The reference verifier (see the file comment). Never throws. */
export function verifyReference(hand: GpHand, answerText: string): VerifyResult {
  const parsed = parseAnswer(answerText);
  let formula = reMatch(answerText, 'formula');
  if (typeof formula === 'string') formula = formula.split('=')[0];
  if (hand.variant.vision) {
    const recognized = robustStrToList(reMatch(answerText, 'cards')).sort();
    const truth = handLabels(hand).sort();
    if (recognized.join('\u0000') !== truth.join('\u0000') || recognized.length !== truth.length) {
      return { verdict: 'wrong_cards', reward: R.INCORRECT_VISION, feedback: 'you recognized wrong cards', parsed, formula: null, value: null };
    }
  }
  if (typeof formula !== 'string') return { verdict: 'illegal_formula', reward: R.ILLEGAL_FORMULA, feedback: 'illegal characters.', parsed, formula: null, value: null };
  const { reward, messages, kinds } = stepRewards(hand, formula, referenceSolutionStrings(hand.values, hand.variant.target));
  let verdict: GpVerdict;
  if (kinds.has('CORRECT_SOLUTION')) verdict = 'correct';
  else if (kinds.has('PARTIAL_SOLUTION')) verdict = 'partial';
  else if (kinds.has('ILLEGAL_FORMULA')) verdict = formula === 'None' ? 'parse_error' : 'illegal_formula';
  else if (kinds.has('INCORRECT_NUMBER')) verdict = 'wrong_numbers';
  else if (kinds.has('NO_SOLUTION')) verdict = 'wrong_value';
  else verdict = 'float_miss';
  return { verdict, reward, feedback: messages.join(', ') + '.', parsed, formula, value: null };
}
