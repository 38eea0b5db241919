/**
 * Rules (card values), variants and their validation. A variant is everything that decides which
 * hands are dealt and how they are shown; it is what an episode record stores under `variant`.
 */
import { RANKS, isFaceRank, rankLabel, type Rank, type SuitColors } from './cards';

/** `face10`: J, Q, K count 10 (in distribution). `face11-13`: J=11, Q=12, K=13 (out of distribution). */
export type GpRule = 'face10' | 'face11-13';

export const GP_RULES: readonly GpRule[] = ['face10', 'face11-13'];

/**
 * Value of each rank, index 0 = Ace .. 12 = King. Custom maps are for exploration; values are
 * integers 0..100 so every exact intermediate of a 4-card formula stays far inside float precision.
 */
export type ValueMap = readonly number[];

export const VALUE_MAPS: Readonly<Record<GpRule, ValueMap>> = {
  face10: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10],
  'face11-13': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
};

export const MAX_CARD_VALUE = 100;
export const MAX_TARGET = 1000;

/** How 4 cards are drawn. */
export type DrawMode = 'without-replacement' | 'with-replacement';

export interface GpVariant {
  /** Card-value rule; also decides the in-distribution/OOD split. Default `face10`. */
  rule: GpRule;
  /** Custom rank values (13 integers 0..100, Ace first) overriding the rule's map, for exploration. Default: the rule's map. */
  values?: ValueMap;
  /** The number the formula must reach. Default 24 (every experiment of the paper); integer 1..1000. */
  target: number;
  /** Which suits the cards may have: `black` (visual ID), `red` (visual OOD), `mixed` (GP-L). Default `mixed`. */
  colors: SuitColors;
  /** Vision variant (GP-VL): the cards are shown only as an image and the answer must name them. Default false. */
  vision: boolean;
  /**
   * `without-replacement` (default, the paper's text): 4 distinct cards from the deck of the allowed suits.
   * `with-replacement`: the reference code's draw (independent ranks and suits; under face11-13 three
   * uniform ranks plus one J/Q/K, shuffled), which can deal the same card twice.
   */
  draw: DrawMode;
  /** Only deal hands with at least one J, Q or K. Default: true under face11-13 (as the reference's OOD draw), false otherwise. */
  requireFace?: boolean;
}

export const DEFAULT_VARIANT: GpVariant = { rule: 'face10', target: 24, colors: 'mixed', vision: false, draw: 'without-replacement' };

/** A variant with every default filled in and checked. */
export interface ResolvedVariant extends Required<Omit<GpVariant, 'values'>> {
  values: ValueMap;
  /** True when `values` differs from the rule's own map. */
  customValues: boolean;
}

/** Fills defaults and checks every field; returns a message naming the bad field instead of throwing. */
export function resolveVariant(input: Partial<GpVariant> = {}): { ok: true; variant: ResolvedVariant } | { ok: false; error: string } {
  const v = { ...DEFAULT_VARIANT, ...stripUndefined(input) };
  if (!GP_RULES.includes(v.rule)) return { ok: false, error: `unknown rule "${String(v.rule)}" (use face10 or face11-13)` };
  if (!['black', 'red', 'mixed'].includes(v.colors)) return { ok: false, error: `unknown suit colours "${String(v.colors)}" (use black, red or mixed)` };
  if (!['without-replacement', 'with-replacement'].includes(v.draw)) return { ok: false, error: `unknown draw "${String(v.draw)}" (use without-replacement or with-replacement)` };
  if (!Number.isInteger(v.target) || v.target < 1 || v.target > MAX_TARGET) return { ok: false, error: `target must be an integer from 1 to ${MAX_TARGET}, got ${String(v.target)}` };
  if (typeof v.vision !== 'boolean') return { ok: false, error: 'vision must be true or false' };
  const base = VALUE_MAPS[v.rule];
  const values = v.values ?? base;
  if (values.length !== 13) return { ok: false, error: `a value map needs 13 values (A, 2..10, J, Q, K), got ${values.length}` };
  for (const [i, x] of values.entries()) {
    if (!Number.isInteger(x) || x < 0 || x > MAX_CARD_VALUE) return { ok: false, error: `value of ${rankLabel((i + 1) as Rank)} must be an integer from 0 to ${MAX_CARD_VALUE}, got ${String(x)}` };
  }
  const customValues = values.some((x, i) => x !== base[i]);
  const requireFace = v.requireFace ?? v.rule === 'face11-13';
  return { ok: true, variant: { rule: v.rule, target: v.target, colors: v.colors, vision: v.vision, draw: v.draw, requireFace, values: values.slice(), customValues } };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

/** Like resolveVariant but throws the message: for callers that already validated their input. */
export function mustResolveVariant(input: Partial<GpVariant> = {}): ResolvedVariant {
  const r = resolveVariant(input);
  if (!r.ok) throw new Error(r.error);
  return r.variant;
}

export function valueOf(values: ValueMap, rank: Rank): number {
  return values[rank - 1] as number;
}

/** Parses `--values` text: 13 comma-separated integers, or `J=11,Q=12,K=13`-style overrides of a base map. */
export function parseValueMap(text: string, base: ValueMap): { ok: true; values: number[] } | { ok: false; error: string } {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const out = base.slice();
  if (parts.every((p) => /^\d+$/.test(p))) {
    if (parts.length !== 13) return { ok: false, error: `expected 13 values (A, 2..10, J, Q, K), got ${parts.length}` };
    return { ok: true, values: parts.map(Number) };
  }
  for (const p of parts) {
    const m = /^(A|10|[2-9]|T|J|Q|K)\s*=\s*(\d+)$/i.exec(p);
    if (!m) return { ok: false, error: `cannot read "${p}" (write RANK=VALUE, e.g. J=11, or 13 comma-separated numbers)` };
    const label = (m[1] as string).toUpperCase();
    const rank = RANKS.find((r) => rankLabel(r) === (label === 'T' ? '10' : label)) as Rank;
    out[rank - 1] = Number(m[2]);
  }
  return { ok: true, values: out };
}

/** ID or OOD, as the paper's evaluation splits it: OOD if the rule, the custom values or the suit colours are out of distribution. */
export function variantSplit(v: ResolvedVariant): 'id' | 'ood' {
  const faceTen = v.values.every((x, i) => x === VALUE_MAPS.face10[i]);
  return !faceTen || v.colors === 'red' ? 'ood' : 'id';
}

/**
 * The prompt's `{face_card_msg}`. For the two paper rules it is the reference's exact text
 * (ending in a period, which gives the paper prompt's odd "'10'., and" punctuation).
 */
export function faceCardMessage(values: ValueMap): string {
  const [j, q, k] = [values[10], values[11], values[12]].map(String) as [string, string, string];
  let msg = j === q && q === k
    ? `'J', 'Q', and 'K' count as '${j}'.`
    : `'J', 'Q', and 'K' count as '${j}', '${q}', and '${k}' respectively.`;
  const others = RANKS.filter((r) => !isFaceRank(r) && valueOf(values, r) !== r);
  if (others.length > 0) msg += ' ' + others.map((r) => `'${rankLabel(r)}' counts as '${valueOf(values, r)}'.`).join(' ');
  return msg;
}

/** Short rule text for the compact prompt, e.g. `J=10 Q=10 K=10`. */
export function compactRuleText(values: ValueMap): string {
  const parts = [11, 12, 13].map((r) => `${rankLabel(r as Rank)}=${valueOf(values, r as Rank)}`);
  for (const r of RANKS) if (!isFaceRank(r) && valueOf(values, r) !== r) parts.push(`${rankLabel(r)}=${valueOf(values, r)}`);
  return parts.join(' ');
}
