/**
 * Fast "is this hand solvable" and the statistics over the 1820 distinct 4-rank multisets.
 * The answer for a value map and target is computed once for all 1820 multisets (a few ms) and
 * cached, so dealing a hand is a table lookup.
 */
import { RANKS, isFaceRank, type Rank } from './cards';
import { valueOf, type ValueMap } from './rules';

/*
 * Can these numbers reach the target? Unreduced fractions: with values ≤ 100 every numerator and
 * denominator stays below 1e9 (each combination at most doubles the product of sizes), so
 * `n === target * d` is exact and no gcd is needed on this hot path. Preallocated buffers per
 * depth keep the search free of allocations (it runs 1820 times when a rule's table is built).
 */
const BUF_N = [new Float64Array(4), new Float64Array(4), new Float64Array(4), new Float64Array(4)];
const BUF_D = [new Float64Array(4), new Float64Array(4), new Float64Array(4), new Float64Array(4)];

/** Whether a and b combine (by any of the six operations) into exactly t. */
function pairHits(an: number, ad: number, bn: number, bd: number, t: number): boolean {
  const dd = ad * bd;
  const td = t * dd;
  if (an * bd + bn * ad === td || an * bn === td || an * bd - bn * ad === td || bn * ad - an * bd === td) return true;
  if (bn !== 0 && an * bd === t * ad * bn) return true;
  return an !== 0 && bn * ad === t * bd * an;
}

function reach(level: number, len: number, t: number): boolean {
  const ns = BUF_N[level] as Float64Array, ds = BUF_D[level] as Float64Array;
  if (len === 1) return ns[0] === t * (ds[0] as number);
  if (len === 2) return pairHits(ns[0] as number, ds[0] as number, ns[1] as number, ds[1] as number, t);
  const nn = BUF_N[level + 1] as Float64Array, nd = BUF_D[level + 1] as Float64Array;
  const slot = len - 2;
  for (let i = 0; i < len; i++) {
    for (let j = i + 1; j < len; j++) {
      let m = 0;
      for (let k = 0; k < len; k++) if (k !== i && k !== j) { nn[m] = ns[k] as number; nd[m] = ds[k] as number; m++; }
      const an = ns[i] as number, ad = ds[i] as number, bn = ns[j] as number, bd = ds[j] as number;
      for (let op = 0; op < 6; op++) {
        let n: number, d: number;
        switch (op) {
          case 0: n = an * bd + bn * ad; d = ad * bd; break;
          case 1: n = an * bn; d = ad * bd; break;
          case 2: n = an * bd - bn * ad; d = ad * bd; break;
          case 3: n = bn * ad - an * bd; d = ad * bd; break;
          case 4: if (bn === 0) continue; n = an * bd; d = ad * bn; break;
          default: if (an === 0) continue; n = bn * ad; d = bd * an; break;
        }
        nn[slot] = n; nd[slot] = d;
        if (reach(level + 1, len - 1, t)) return true;
      }
    }
  }
  return false;
}

/** Whether 1 to 4 numbers can make the target, without building any formula. */
export function isSolvableNumbers(numbers: readonly number[], target: number): boolean {
  if (numbers.length < 1 || numbers.length > 4) throw new Error(`isSolvableNumbers takes 1 to 4 numbers, got ${numbers.length}`);
  const ns = BUF_N[0] as Float64Array, ds = BUF_D[0] as Float64Array;
  numbers.forEach((v, i) => { ns[i] = v; ds[i] = 1; });
  return reach(0, numbers.length, target);
}

const MULTISETS: Rank[][] = [];
for (const a of RANKS) for (const b of RANKS) if (b >= a) for (const c of RANKS) if (c >= b) for (const d of RANKS) if (d >= c) MULTISETS.push([a, b, c, d]);
const INDEX = new Int16Array(14 * 14 * 14 * 14).fill(-1);
for (const [i, ranks] of MULTISETS.entries()) {
  const [a, b, c, d] = ranks as [Rank, Rank, Rank, Rank];
  INDEX[((a * 14 + b) * 14 + c) * 14 + d] = i;
}

/** The 1820 distinct sorted rank multisets of a 4-card hand. */
export function allRankMultisets(): readonly (readonly Rank[])[] {
  return MULTISETS;
}

/** Position (0..1819) of a 4-card rank multiset in allRankMultisets(), in any card order. */
export function rankMultisetIndex(ranks: readonly Rank[]): number {
  const [a, b, c, d] = ranks.slice().sort((x, y) => x - y) as [Rank, Rank, Rank, Rank];
  return INDEX[((a * 14 + b) * 14 + c) * 14 + d] as number;
}

const tables = new Map<string, Uint8Array>();

/** 1 where the rank multiset is solvable under this value map and target (cached per map+target). */
export function solvableTable(values: ValueMap, target: number): Uint8Array {
  const key = values.join(',') + '|' + target;
  let table = tables.get(key);
  if (table) return table;
  table = new Uint8Array(MULTISETS.length);
  const byValues = new Map<string, boolean>();
  MULTISETS.forEach((ranks, i) => {
    const nums = ranks.map((r) => valueOf(values, r)).sort((x, y) => x - y);
    const k = nums.join(',');
    let ok = byValues.get(k);
    if (ok === undefined) byValues.set(k, (ok = isSolvableNumbers(nums, target)));
    (table as Uint8Array)[i] = ok ? 1 : 0;
  });
  tables.set(key, table);
  return table;
}

export function isSolvableRanks(ranks: readonly Rank[], values: ValueMap, target: number): boolean {
  return solvableTable(values, target)[rankMultisetIndex(ranks)] === 1;
}

/** Forgets the cached tables (for benchmarks that measure cold computation). */
export function clearSolvableCache(): void {
  tables.clear();
}

/** How solvable a rule is, over distinct multisets and over random draws. */
export interface SolvableStats {
  /** Distinct 4-rank multisets (always 1820). */
  multisets: number;
  /** Of those, how many can make the target. */
  solvable: number;
  /** Multisets with at least one J, Q or K, and how many of them are solvable. */
  faceMultisets: number;
  solvableWithFace: number;
  /** P(solvable) for 4 distinct cards drawn uniformly from the 52-card deck (C(52,4) = 270725 hands). */
  pDeck: number;
  /** The same, conditioned on at least one face card. */
  pDeckGivenFace: number;
  /** P(solvable) for 4 ranks drawn independently and uniformly (the reference code's draw). */
  pWithReplacement: number;
}

function choose(n: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
}

export function solvableStats(values: ValueMap, target: number): SolvableStats {
  const table = solvableTable(values, target);
  let solvable = 0, faceMultisets = 0, solvableWithFace = 0;
  let deckAll = 0, deckSolv = 0, deckFace = 0, deckFaceSolv = 0, replSolv = 0;
  const fact = [1, 1, 2, 6, 24];
  MULTISETS.forEach((ranks, i) => {
    const ok = table[i] === 1;
    const face = ranks.some(isFaceRank);
    const counts = new Map<Rank, number>();
    for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
    let deckWays = 1, orderings = 24;
    for (const c of counts.values()) { deckWays *= choose(4, c); orderings /= fact[c] as number; }
    deckAll += deckWays;
    if (ok) { solvable++; deckSolv += deckWays; replSolv += orderings; }
    if (face) { faceMultisets++; deckFace += deckWays; if (ok) { solvableWithFace++; deckFaceSolv += deckWays; } }
  });
  return {
    multisets: MULTISETS.length, solvable, faceMultisets, solvableWithFace,
    pDeck: deckSolv / deckAll, pDeckGivenFace: deckFace === 0 ? 0 : deckFaceSolv / deckFace, pWithReplacement: replSolv / 13 ** 4,
  };
}
