/**
 * A compact character/word tokenizer for the workbench's prompts and answers.
 *
 * Vocabulary (ids in this order, stable across versions of the word list's prefix):
 *   4 specials  <pad> <bos> <eos> <sep>   (never produced by encode; decode drops them by default)
 *   escape      <u> followed by 4 nibble tokens <h0>..<hf>: one UTF-16 code unit
 *   characters  printable ASCII 32..126, '\n' and '\t', one token each
 *   words       multi-character tokens: numbers 10..40 (so "10", "24", "13" are one token, as in
 *               RECIPE.md), field names and the frequent words of both tasks' prompts and feedback
 * Encoding is greedy longest match over the words, then single characters; any other code unit
 * (non-ASCII, control characters, lone surrogates) is escaped, so decode(encode(s)) === s for
 * every JavaScript string.
 */

export interface TokenizerSpec {
  /** Format version of the fixed part (specials, escapes, characters). */
  version: 1;
  /** Multi-character tokens in id order. */
  words: string[];
}

export interface Tokenizer {
  readonly vocabSize: number;
  readonly pad: number;
  readonly bos: number;
  readonly eos: number;
  readonly sep: number;
  encode(text: string): number[];
  /** Text of the ids; specials are dropped unless keepSpecial. Malformed escapes become U+FFFD. */
  decode(ids: readonly number[], opts?: { keepSpecial?: boolean }): string;
  /** Display form of one token (specials and escapes as <name>). */
  tokenText(id: number): string;
  /** The spec that rebuilds this exact vocabulary (store it with checkpoints). */
  toJSON(): TokenizerSpec;
}

const SPECIALS = ['<pad>', '<bos>', '<eos>', '<sep>'] as const;
const ESCAPE = '<u>';
const NIBBLES = Array.from({ length: 16 }, (_, i) => `<h${i.toString(16)}>`);
const CHARS: string[] = ['\n', '\t', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];

/** The default multi-character tokens: numbers, JSON field names, task and feedback words. */
export const DEFAULT_WORDS: readonly string[] = [
  ...Array.from({ length: 31 }, (_, i) => String(10 + i)),
  // answer formats (GeneralPoints JSON fields, V-IRL actions)
  '"cards"', '"number"', '"formula"', '"action"', '"current observation"', '"current instruction"',
  '": "', '", "', '": [', "', '", '", ', '"]', "']",
  'turn_direction', 'forward()', 'stop()', 'north', 'south', 'east', 'west',
  'northeast', 'northwest', 'southeast', 'southwest', 'slightly', 'left', 'right', 'turn',
  // prompt words
  'Rule', 'Target', 'Cards', 'Feedback', 'Attempt', 'Observation', 'Instruction', 'Action', 'Answer',
  'points', 'card', 'cards', 'number', 'numbers', 'formula', 'equals', 'target', 'face',
  'street', 'intersection', 'landmark', 'destination', 'route', 'meters', 'until', 'then', 'your',
  // verifier feedback (PAPER.md §1.5, §2.7)
  'You failed this trial because ', 'you used invalid numbers', 'too many times', "you didn't use numbers",
  'your formula does not match any solution', 'is partially correct but the full formula does not match any solution',
  'illegal characters', 'invalid sequence after', 'invalid sequence before', 'operator', 'unmatched closing parenthesis',
  'partial solution', 'Correct solution', 'you recognized wrong cards', 'you make incorrect action',
  'you are not at any intersection', 'you are at an intersection', 'Correct action', 'correct', 'incorrect', 'wrong',
  'the', 'you', 'used', 'use', 'and', 'not', 'with', 'this', 'that', 'is', 'are', 'at', 'to', 'of', 'on', 'in',
];

export function createTokenizer(opts: { extraWords?: readonly string[] } = {}): Tokenizer {
  return tokenizerFromSpec({ version: 1, words: [...DEFAULT_WORDS, ...(opts.extraWords ?? [])] });
}

export function tokenizerFromSpec(spec: TokenizerSpec): Tokenizer {
  if (spec.version !== 1) throw new Error(`unknown tokenizer version ${String(spec.version)}`);
  const fixed = [...SPECIALS, ESCAPE, ...NIBBLES, ...CHARS];
  const vocab = [...fixed, ...spec.words];
  const charId = new Map<string, number>();
  CHARS.forEach((c) => charId.set(c, fixed.indexOf(c)));
  // words grouped by first character, longest first, for greedy longest match
  const byFirst = new Map<string, { text: string; id: number }[]>();
  const seen = new Set<string>(CHARS);
  spec.words.forEach((w, i) => {
    if (w.length < 2) throw new Error(`tokenizer word "${w}" must have at least 2 characters (single characters are built in)`);
    if (seen.has(w)) throw new Error(`tokenizer word "${w}" appears twice`);
    seen.add(w);
    const list = byFirst.get(w[0] as string) ?? [];
    list.push({ text: w, id: fixed.length + i });
    byFirst.set(w[0] as string, list);
  });
  for (const list of byFirst.values()) list.sort((a, b) => b.text.length - a.text.length);
  const escapeId = SPECIALS.length;
  const nibble0 = escapeId + 1;
  const firstChar = nibble0 + 16;
  const firstWord = fixed.length;

  function encode(text: string): number[] {
    const out: number[] = [];
    let i = 0;
    while (i < text.length) {
      const ch = text[i] as string;
      const word = byFirst.get(ch)?.find((w) => text.startsWith(w.text, i));
      if (word) {
        out.push(word.id);
        i += word.text.length;
        continue;
      }
      const id = charId.get(ch);
      if (id !== undefined) out.push(id);
      else {
        const code = text.charCodeAt(i);
        out.push(escapeId, ...[12, 8, 4, 0].map((s) => nibble0 + ((code >> s) & 15)));
      }
      i++;
    }
    return out;
  }

  function decode(ids: readonly number[], opts: { keepSpecial?: boolean } = {}): string {
    let s = '';
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as number;
      if (!Number.isInteger(id) || id < 0 || id >= vocab.length) throw new Error(`token id ${id} is outside the vocabulary (0..${vocab.length - 1})`);
      if (id < escapeId) {
        if (opts.keepSpecial) s += vocab[id];
      } else if (id === escapeId) {
        let code = 0;
        let n = 0;
        while (n < 4 && k + 1 < ids.length && (ids[k + 1] as number) >= nibble0 && (ids[k + 1] as number) < firstChar) {
          code = (code << 4) | ((ids[++k] as number) - nibble0);
          n++;
        }
        s += n === 4 ? String.fromCharCode(code) : '\uFFFD';
      } else if (id < firstChar) {
        s += '\uFFFD'; // a nibble outside an escape: only a sampled sequence can produce this
      } else {
        s += vocab[id];
      }
    }
    return s;
  }

  return {
    vocabSize: vocab.length,
    pad: 0,
    bos: 1,
    eos: 2,
    sep: 3,
    encode,
    decode,
    tokenText: (id) => {
      const t = vocab[id];
      if (t === undefined) throw new Error(`token id ${id} is outside the vocabulary (0..${vocab.length - 1})`);
      return id >= firstChar && id < firstWord ? JSON.stringify(t).slice(1, -1) : t;
    },
    toJSON: () => ({ version: 1, words: spec.words.slice() }),
  };
}
