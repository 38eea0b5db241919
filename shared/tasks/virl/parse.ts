/**
 * Parsing the model's answer (PAPER.md §2.6–2.7). The reference tries `json.loads` and falls
 * back to a regex on `"action": "…"`. We accept the same, plus the usual format slips of small
 * models (code fences, trailing commas, single quotes, key case, spacing inside the action), but
 * never repair content: `turn_direction(nort)` stays a wrong action.
 */

export interface ParsedAnswer {
  /** The `current observation` field, or null when absent. */
  observation: string | null;
  /** The `current instruction` field, or null when absent. */
  instruction: string | null;
  /** The `action` field as written, or null when absent. */
  rawAction: string | null;
  /** The action normalised for comparison (lower case, canonical spacing), or null. */
  action: string | null;
}

const KEYS = { observation: 'current observation', instruction: 'current instruction', action: 'action' } as const;

/** Field names compared without case, spaces, underscores or dashes. */
function keyOf(k: string): string {
  return k.toLowerCase().replace(/[\s_-]+/g, '');
}

function fromJson(text: string): Record<string, string> | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  const body = text.slice(start, end + 1).replace(/,\s*}/g, '}');
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[keyOf(k)] = val;
    return out;
  } catch {
    return null;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Regex fallback: `"key": "value"` with either quote style, as the reference's `re_match`. */
function fromRegex(text: string, key: string): string | null {
  const k = escapeRe(key).replace(/ /g, '[\\s_-]*');
  const m = new RegExp(`["']${k}["']\\s*:\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(text);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/**
 * Canonical form of an action: lower case, no spaces around parentheses, quotes around the
 * argument removed, inner spaces collapsed (`turn_direction( 'Slightly  Left' )` →
 * `turn_direction(slightly left)`). Linear in the length: an answer is model output, and
 * backtracking patterns over thousands of `(` took seconds.
 */
export function normalizeAction(raw: string): string {
  let a = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  // Spaces are single now, so ` ?` cannot backtrack.
  a = a.replace(/ ?\( ?/g, '(').replace(/ ?\) ?/g, ')');
  if (!a.endsWith(')')) return a;
  // Quotes around the argument: the first `(` followed by the quote that also precedes the final `)`.
  const q = a[a.length - 2];
  if (q === '"' || q === "'") {
    const open = a.indexOf(`(${q}`);
    if (open >= 0 && open + 1 < a.length - 2) a = `${a.slice(0, open + 1)}${a.slice(open + 2, a.length - 2)})`;
  }
  // Spaces just inside the first `(` and the final `)`.
  const open = a.indexOf('(');
  return open < 0 ? a : `${a.slice(0, open + 1)}${a.slice(open + 1, -1).trim()})`;
}

/** Parses an answer; never throws. */
export function parseAnswer(text: string): ParsedAnswer {
  const unfenced = text.replace(/```(?:json)?/gi, '');
  const json = fromJson(unfenced);
  const get = (key: string) => (json ? (json[keyOf(key)] ?? null) : null) ?? fromRegex(unfenced, key);
  const rawAction = get(KEYS.action);
  return {
    observation: get(KEYS.observation),
    instruction: get(KEYS.instruction),
    rawAction,
    action: rawAction === null ? null : normalizeAction(rawAction),
  };
}

/**
 * Whether a stated observation claims an intersection. `intent` reads a negation ("no
 * intersection", "not at an intersection") as no claim; `reference` is the reference's plain
 * substring test.
 */
export function claimsIntersection(observation: string, mode: 'intent' | 'reference'): boolean {
  const o = observation.toLowerCase();
  if (!o.includes('intersection')) return false;
  if (mode === 'reference') return true;
  return o.split(/[;.]/).some((part) => part.includes('intersection') && !/\b(no|not|without|any)\b/.test(part));
}
