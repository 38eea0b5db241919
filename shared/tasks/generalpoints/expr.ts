/**
 * Expression trees and their canonical form. Two formulas that differ only by commutativity or
 * associativity of + and * (and the matching rearrangements of - and /, e.g. a-(b-c) = a+c-b,
 * a/(b/c) = a*c/b) get the same canonical text, which is how the solver deduplicates solutions.
 */
export type Op = '+' | '-' | '*' | '/';

/** A binary expression tree as produced by the solver or the formula parser. */
export type Tree = { kind: 'num'; value: number } | { kind: 'bin'; op: Op; left: Tree; right: Tree };

/** Flattened form: a sum of signed terms or a product of factors over a denominator. */
type Norm =
  | { kind: 'num'; value: number; key: string; v: number }
  | { kind: 'sum'; pos: Norm[]; neg: Norm[]; key: string; v: number }
  | { kind: 'prod'; num: Norm[]; den: Norm[]; key: string; v: number };

function terms(e: Norm): { pos: Norm[]; neg: Norm[] } {
  return e.kind === 'sum' ? e : { pos: [e], neg: [] };
}

function factors(e: Norm): { num: Norm[]; den: Norm[] } {
  return e.kind === 'prod' ? e : { num: [e], den: [] };
}

/**
 * Canonical order inside a sum or product: larger value first (reads naturally: `(10-4)*4`,
 * `13+11`), ties by text. The value is a float used only for ordering, never for correctness.
 */
function order(a: Norm, b: Norm): number {
  if (a.v !== b.v) return b.v - a.v;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function makeSum(pos: Norm[], neg: Norm[]): Norm {
  pos.sort(order);
  neg.sort(order);
  const key = pos.map((t) => t.key).join('+') + neg.map((t) => '-' + t.key).join('');
  const v = pos.reduce((s, t) => s + t.v, 0) - neg.reduce((s, t) => s + t.v, 0);
  return { kind: 'sum', pos, neg, key, v };
}

function wrapInProduct(t: Norm): string {
  return t.kind === 'sum' ? `(${t.key})` : t.key;
}

function makeProd(num: Norm[], den: Norm[]): Norm {
  num.sort(order);
  den.sort(order);
  const key = num.map(wrapInProduct).join('*') + den.map((t) => '/' + wrapInProduct(t)).join('');
  const v = num.reduce((s, t) => s * t.v, 1) / den.reduce((s, t) => s * t.v, 1);
  return { kind: 'prod', num, den, key, v };
}

function normalize(t: Tree): Norm {
  if (t.kind === 'num') return { kind: 'num', value: t.value, key: String(t.value), v: t.value };
  const l = normalize(t.left);
  const r = normalize(t.right);
  switch (t.op) {
    case '+': {
      const a = terms(l), b = terms(r);
      return makeSum([...a.pos, ...b.pos], [...a.neg, ...b.neg]);
    }
    case '-': {
      const a = terms(l), b = terms(r);
      return makeSum([...a.pos, ...b.neg], [...a.neg, ...b.pos]);
    }
    case '*': {
      const a = factors(l), b = factors(r);
      return makeProd([...a.num, ...b.num], [...a.den, ...b.den]);
    }
    case '/': {
      const a = factors(l), b = factors(r);
      return makeProd([...a.num, ...b.den], [...a.den, ...b.num]);
    }
  }
}

/**
 * Canonical formula text with minimal parentheses, e.g. `8/(3-8/3)`. Its value equals the
 * tree's value whenever the tree's value is defined (no factor moved into a denominator can be zero).
 */
export function canonicalText(t: Tree): string {
  return normalize(t).key;
}

const PRECEDENCE: Record<Op, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };

/** The tree printed as written (left-associative, minimal parentheses), without reordering. */
export function treeText(t: Tree): string {
  if (t.kind === 'num') return String(t.value);
  const p = PRECEDENCE[t.op];
  const l = t.left.kind === 'bin' && PRECEDENCE[t.left.op] < p ? `(${treeText(t.left)})` : treeText(t.left);
  const rightNeedsParens = t.right.kind === 'bin' && (PRECEDENCE[t.right.op] < p || (PRECEDENCE[t.right.op] === p && (t.op === '-' || t.op === '/')));
  const r = rightNeedsParens ? `(${treeText(t.right)})` : treeText(t.right);
  return l + t.op + r;
}

/** Leaf values in left-to-right order. */
export function leaves(t: Tree, out: number[] = []): number[] {
  if (t.kind === 'num') out.push(t.value);
  else {
    leaves(t.left, out);
    leaves(t.right, out);
  }
  return out;
}
