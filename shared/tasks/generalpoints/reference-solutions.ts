/**
 * The reference's solution strings (`GeneralPointEnv_oneline.solve`, adapted from Rosetta Code
 * "24 game/Solve"): every distinct permutation × every operator triple × 7 bracket placements,
 * kept when exactly equal to the target, written without spaces (e.g. `8/(3-8/3)`).
 * The referenceQuirks verifier needs them verbatim, because its +1 "partial solution" and its
 * −1 messages are string-prefix matches against this list.
 */
import { type Tree } from './expr';
import { parseFormula } from './formula';

/** Bracket insert points of the reference, for 4 numbers (expression length 7). */
const BRACKETS: readonly (readonly number[])[] = [[], [0, 4], [0, 6], [2, 6], [2, 8], [4, 8], [0, 4, 6, 10]];
const OPS = ['+', '-', '*', '/'] as const;

interface Template {
  /** Expression text with the placeholder digits 1..4 standing for the permuted numbers. */
  text: string;
  /** Its tree in postfix: 0..3 push that number, -1..-4 apply + - * / to the top two. */
  program: Int8Array;
}

const OP_CODE: Record<string, number> = { '+': -1, '-': -2, '*': -3, '/': -4 };

function postfix(t: Tree, out: number[]): number[] {
  if (t.kind === 'num') out.push(t.value - 1);
  else {
    postfix(t.left, out);
    postfix(t.right, out);
    out.push(OP_CODE[t.op] as number);
  }
  return out;
}

const STACK_N = new Float64Array(4);
const STACK_D = new Float64Array(4);

/** Whether the program on these numbers is exactly the target (unreduced fractions, exact for values ≤ 100). */
function hits(program: Int8Array, nums: readonly number[], target: number): boolean {
  let sp = 0;
  for (const code of program) {
    if (code >= 0) {
      STACK_N[sp] = nums[code] as number;
      STACK_D[sp++] = 1;
      continue;
    }
    const bn = STACK_N[--sp] as number, bd = STACK_D[sp] as number;
    const an = STACK_N[--sp] as number, ad = STACK_D[sp] as number;
    let n: number, d: number;
    if (code === -1) { n = an * bd + bn * ad; d = ad * bd; }
    else if (code === -2) { n = an * bd - bn * ad; d = ad * bd; }
    else if (code === -3) { n = an * bn; d = ad * bd; }
    else {
      if (bn === 0) return false; // ZeroDivisionError: the reference skips the expression
      n = an * bd; d = ad * bn;
    }
    STACK_N[sp] = n;
    STACK_D[sp++] = d;
  }
  return STACK_N[0] === target * (STACK_D[0] as number);
}

let templates: Template[] | null = null;

/** The 7 × 64 expression shapes, parsed once (operator precedence decides each tree, as Python's eval does). */
function allTemplates(): Template[] {
  if (templates) return templates;
  const out: Template[] = [];
  for (const o1 of OPS) for (const o2 of OPS) for (const o3 of OPS) {
    for (const b of BRACKETS) {
      const parts = ['1', o1, '2', o2, '3', o3, '4'];
      b.forEach((at, k) => parts.splice(at, 0, k % 2 === 0 ? '(' : ')'));
      const text = parts.join('');
      const parsed = parseFormula(text);
      if (!parsed.ok) throw new Error(`reference template ${text} does not parse: ${parsed.error}`);
      out.push({ text, program: Int8Array.from(postfix(parsed.tree, [])) });
    }
  }
  return (templates = out);
}

function distinctPermutations(values: readonly number[]): number[][] {
  if (values.length <= 1) return [values.slice()];
  const out: number[][] = [];
  const seen = new Set<number>();
  values.forEach((v, i) => {
    if (seen.has(v)) return;
    seen.add(v);
    for (const rest of distinctPermutations(values.filter((_, k) => k !== i))) out.push([v, ...rest]);
  });
  return out;
}

const cache = new Map<string, readonly string[]>();

/** The reference's solution list for 4 numbers (in a fixed order; the reference shuffles it, which only affects its order). */
export function referenceSolutionStrings(values: readonly number[], target: number): readonly string[] {
  if (values.length !== 4) throw new Error(`the reference solver takes 4 numbers, got ${values.length}`);
  const sorted = values.slice().sort((a, b) => a - b);
  const key = sorted.join(',') + '|' + target;
  const hit = cache.get(key);
  if (hit) return hit;
  const out: string[] = [];
  for (const perm of distinctPermutations(sorted)) {
    for (const t of allTemplates()) {
      if (hits(t.program, perm, target)) out.push(t.text.replace(/[1-4]/g, (c) => String(perm[Number(c) - 1])));
    }
  }
  const list = Object.freeze(out);
  cache.set(key, list);
  return list;
}
