/**
 * Reads the fields of a model's answer the way a careful reader would. Accepted, among others:
 * strict JSON; the paper's own response format (single quotes, trailing comma); unquoted lists
 * (`[4, 3, 2, K]`); unquoted values (`formula: 8/(3-8/3)`); text inside a ``` block; a bare formula
 * (`8/(3-8/3)=24`) alone or on its own line. No JSON.parse: one scan serves every form and a
 * failed parse costs no exception (the verifier runs millions of times in training).
 */

/** What the verifier read from an answer (also stored as the episode step's `parsed`). */
export interface ParsedAnswer {
  /** The formula text as found (before stripping `=24`), or null if the answer has none. */
  formula: string | null;
  /** The `cards` field's items as written (quotes removed), or null if absent. */
  cards: string[] | null;
  /** The `number` field's items as written, or null if absent (informational: never rewarded, as in the paper). */
  number: string[] | null;
  /** Where the formula came from: a `formula` field, a bare formula answer, a formula-only line, or nowhere. */
  source: 'field' | 'bare' | 'line' | 'none';
}

type Value = { kind: 'list'; items: string[] } | { kind: 'text'; text: string };

const KEY_PATTERNS: Record<'formula' | 'cards' | 'number', RegExp> = {
  formula: /["'`]?\b(?:formula|equation)["'`]?\s*[:=]\s*/i,
  cards: /["'`]?\bcards["'`]?\s*[:=]\s*/i,
  number: /["'`]?\bnumbers?["'`]?\s*[:=]\s*/i,
};

function unescapeJson(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

function isQuote(ch: string | undefined): boolean {
  return ch === '"' || ch === "'" || ch === '`';
}

function stripItem(s: string): string {
  let a = 0, b = s.length;
  while (a < b && (s[a] === ' ' || s[a] === '\t' || s[a] === '\n' || isQuote(s[a]))) a++;
  while (b > a && (s[b - 1] === ' ' || s[b - 1] === '\t' || s[b - 1] === '\n' || isQuote(s[b - 1]))) b--;
  return s.slice(a, b);
}

/** Reads the value that starts at `pos`: a quoted string, a [list], or bare text up to , } or end of line. */
function readValue(text: string, pos: number): Value {
  const ch = text[pos];
  if (isQuote(ch)) {
    // Up to the closing quote, or the end of the line when it is missing.
    let end = text.indexOf(ch as string, pos + 1);
    const nl = text.indexOf('\n', pos + 1);
    if (end < 0 || (nl >= 0 && nl < end)) end = nl < 0 ? text.length : nl;
    let raw = text.slice(pos + 1, end);
    if (raw.includes('\\')) {
      // Escaped quotes inside: walk character by character.
      let j = pos + 1;
      while (j < text.length && text[j] !== ch && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      raw = text.slice(pos + 1, Math.min(j, text.length));
    }
    const inner = unescapeJson(raw);
    return inner.charCodeAt(0) === 91 /* [ */ || inner.trimStart().startsWith('[') ? readValue(inner.trim(), 0) : { kind: 'text', text: inner };
  }
  if (ch === '[') {
    // Split on commas by index (no split/map/regex: this runs twice per answer in training).
    let end = text.indexOf(']', pos);
    if (end < 0) end = text.length;
    const items: string[] = [];
    let start = pos + 1;
    for (let j = start; j <= end; j++) {
      if (j === end || text.charCodeAt(j) === 44 /* , */) {
        const item = stripItem(text.slice(start, j));
        if (item !== '' || j !== end || items.length > 0) items.push(item);
        start = j + 1;
      }
    }
    if (items.length > 0 && items[items.length - 1] === '') items.pop(); // a trailing comma
    return { kind: 'list', items };
  }
  let j = pos;
  while (j < text.length && text[j] !== ',' && text[j] !== '\n' && text[j] !== '}') j++;
  return { kind: 'text', text: text.slice(pos, j).trim() };
}

const KEY_WORDS: Record<'formula' | 'cards' | 'number', string> = { formula: 'formula', cards: 'cards', number: 'number' };

/**
 * Where the value of a key starts, or -1. Fast path: the key in lower case, as every answer in
 * the paper's format writes it; the case-insensitive regex (and aliases) only when that fails.
 */
function valueStart(text: string, key: 'formula' | 'cards' | 'number'): number {
  const word = KEY_WORDS[key];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (i > 0 && /\w/.test(text[i - 1] as string)) continue;
    let j = i + word.length;
    if (key === 'number' && text[j] === 's') j++;
    if (isQuote(text[j])) j++;
    while (text[j] === ' ') j++;
    if (text[j] !== ':' && text[j] !== '=') continue;
    j++;
    while (text[j] === ' ' || text[j] === '\t') j++;
    return j;
  }
  const m = KEY_PATTERNS[key].exec(text);
  return m ? m.index + m[0].length : -1;
}

function field(text: string, key: 'formula' | 'cards' | 'number'): Value | null {
  const at = valueStart(text, key);
  return at < 0 ? null : readValue(text, at);
}

function asList(v: Value | null): string[] | null {
  if (!v) return null;
  if (v.kind === 'list') return v.items;
  const t = v.text.trim();
  return t === '' ? [] : t.replace(/^\[|\]$/g, '').split(/\s*,\s*|\s+/).map(stripItem).filter((x) => x !== '');
}

const SHORT_ATTEMPT = /^[\w\s+\-*/()×÷=.−–·^%]+$/;
const FORMULA_LIKE = /^[\d\s+\-*/()×x÷=.−–·]+$/;

function looksLikeFormula(s: string, needOperator: boolean): boolean {
  return FORMULA_LIKE.test(s) && /\d/.test(s) && (!needOperator || /[+\-*/×x÷−–·]/.test(s));
}

export function parseAnswer(raw: string): ParsedAnswer {
  const text = raw.length > 20_000 ? raw.slice(0, 20_000) : raw;
  const cards = asList(field(text, 'cards'));
  const number = asList(field(text, 'number'));
  const f = field(text, 'formula');
  if (f) return { formula: f.kind === 'text' ? f.text : (f.items[0] ?? ''), cards, number, source: 'field' };
  const body = text.replace(/^\s*```[^\n]*$/gm, '').trim();
  const unquoted = body.replace(/^["'`]+|["'`]+$/g, '').trim();
  if (looksLikeFormula(unquoted, false)) return { formula: unquoted, cards, number, source: 'bare' };
  const lines = body.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] as string).trim().replace(/^["'`]+|["'`,]+$/g, '').trim();
    if (looksLikeFormula(line, true)) return { formula: line, cards, number, source: 'line' };
  }
  // A short one-line answer with an operator is a formula attempt, however wrong (`K*2`): the
  // formula reader then names its problem instead of a vague "no formula found".
  if (!unquoted.includes('\n') && unquoted.length <= 60 && SHORT_ATTEMPT.test(unquoted) && /[+\-*/×÷]/.test(unquoted) && /[\dAJQKT]/.test(unquoted)) {
    return { formula: unquoted, cards, number, source: 'bare' };
  }
  return { formula: null, cards, number, source: 'none' };
}
