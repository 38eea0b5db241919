/**
 * Exact solver: every formula over the four numbers (each used once, + - * / and any bracketing)
 * that equals the target, in exact rational arithmetic, deduplicated up to commutativity and
 * associativity (see expr.ts) and sorted so that the first one is the canonical expert answer.
 */
import { canonicalText, type Op, type Tree } from './expr';
import { isSolvableNumbers } from './solvable';

function bin(op: Op, left: Tree, right: Tree): Tree {
  return { kind: 'bin', op, left, right };
}

/*
 * Depth-first over every pair and operation, in unreduced fractions (exact for values ≤ 100, see
 * solvable.ts) with preallocated buffers per depth. A tree is built for intermediate results
 * only; at the last combination it is built only when the value hits the target.
 */
const BUF_N = [new Float64Array(4), new Float64Array(4), new Float64Array(4), new Float64Array(4)];
const BUF_D = [new Float64Array(4), new Float64Array(4), new Float64Array(4), new Float64Array(4)];
const BUF_T: Tree[][] = [[], [], [], []];
const OPS: readonly Op[] = ['+', '*', '-', '-', '/', '/'];

function record(tree: Tree, found: Map<string, Tree>): void {
  const key = canonicalText(tree);
  if (!found.has(key)) found.set(key, tree);
}

function search(level: number, len: number, t: number, found: Map<string, Tree>): void {
  const ns = BUF_N[level] as Float64Array, ds = BUF_D[level] as Float64Array, ts = BUF_T[level] as Tree[];
  if (len === 1) {
    if (ns[0] === t * (ds[0] as number)) record(ts[0] as Tree, found);
    return;
  }
  const nn = BUF_N[level + 1] as Float64Array, nd = BUF_D[level + 1] as Float64Array, nt = BUF_T[level + 1] as Tree[];
  const slot = len - 2;
  for (let i = 0; i < len; i++) {
    for (let j = i + 1; j < len; j++) {
      let m = 0;
      for (let k = 0; k < len; k++) if (k !== i && k !== j) { nn[m] = ns[k] as number; nd[m] = ds[k] as number; nt[m] = ts[k] as Tree; m++; }
      const an = ns[i] as number, ad = ds[i] as number, bn = ns[j] as number, bd = ds[j] as number;
      const at = ts[i] as Tree, bt = ts[j] as Tree;
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
        // Operations 3 and 5 take the operands the other way round (b-a, b/a).
        const swapped = op === 3 || op === 5;
        if (len === 2) {
          if (n === t * d) record(bin(OPS[op] as Op, swapped ? bt : at, swapped ? at : bt), found);
          continue;
        }
        nn[slot] = n; nd[slot] = d; nt[slot] = bin(OPS[op] as Op, swapped ? bt : at, swapped ? at : bt);
        search(level + 1, len - 1, t, found);
      }
    }
  }
}

function parenCount(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === '(') n++;
  return n;
}

/** Preference order of solutions: fewer brackets, then shorter, then text order. The first is canonical. */
export function compareSolutions(a: string, b: string): number {
  return parenCount(a) - parenCount(b) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const cache = new Map<string, readonly string[]>();

/**
 * All distinct solutions for these numbers (any order), canonical one first; empty when unsolvable.
 * Cached per value multiset and target, so repeated hands cost a map lookup.
 */
export function solveAll(numbers: readonly number[], target: number): readonly string[] {
  const sorted = numbers.slice().sort((x, y) => x - y);
  const key = sorted.join(',') + '|' + target;
  const hit = cache.get(key);
  if (hit) return hit;
  if (sorted.length < 1 || sorted.length > 4) throw new Error(`solveAll takes 1 to 4 numbers, got ${sorted.length}`);
  const found = new Map<string, Tree>();
  sorted.forEach((v, i) => {
    (BUF_N[0] as Float64Array)[i] = v;
    (BUF_D[0] as Float64Array)[i] = 1;
    (BUF_T[0] as Tree[])[i] = { kind: 'num', value: v };
  });
  // The allocation-free check first: unsolvable hands (about a third) then skip building trees.
  if (isSolvableNumbers(sorted, target)) search(0, sorted.length, target, found);
  const list = Object.freeze([...found.keys()].sort(compareSolutions));
  cache.set(key, list);
  return list;
}

/** The canonical (first) solution, or null when the numbers cannot reach the target. */
export function canonicalSolution(numbers: readonly number[], target: number): string | null {
  return solveAll(numbers, target)[0] ?? null;
}

/** Forgets cached solutions (for benchmarks that measure cold solving). */
export function clearSolverCache(): void {
  cache.clear();
}
