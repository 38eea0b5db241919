/**
 * Paired comparison of two methods on the same evaluation hands. Evaluating every run on one fixed
 * set (same eval seed) makes each hand a matched pair: hand difficulty varies far more than the
 * methods do, so comparing per hand is much more sensitive than comparing two success rates.
 *
 * A method's score on a hand is its success averaged over its runs (seeds), in [0, 1]. The
 * difference of means gets a percentile bootstrap CI over hands and a two-sided paired
 * sign-flip permutation test; with one run per side every score is 0 or 1 and McNemar's exact
 * test on the discordant hands is reported too.
 */
import { createRng } from '../util/rng';

export interface PairedOptions {
  /** Bootstrap resamples and permutation draws (default 10,000). */
  resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  level?: number;
  seed?: number;
  /**
   * Runs averaged into each side's scores. McNemar's test is for one binary outcome per side and
   * hand: with several runs a side, scores that happen to be all 0 or 1 (every seed agreeing) are
   * no such outcome, so it is reported only when both sides are one run (default 1).
   */
  runsPerSide?: { a: number; b: number };
}

export interface PairedResult {
  hands: number;
  meanA: number;
  meanB: number;
  /** mean(B) − mean(A). */
  diff: number;
  ci: { low: number; high: number };
  /** Sign-flip permutation p-value of the mean difference (two-sided). */
  pPermutation: number;
  /** Hands where only A succeeded / only B succeeded, and the exact McNemar p (binary scores only). */
  mcnemar?: { onlyA: number; onlyB: number; p: number };
}

const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return xs.length === 0 ? NaN : s / xs.length;
};

/** Two-sided exact binomial test of k successes in n trials at p = 1/2. */
export function exactSignTestP(k: number, n: number): number {
  if (n === 0) return 1;
  const lo = Math.min(k, n - k);
  // log C(n, i) by running sums keeps large n exact enough without overflow.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= lo; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** Compares per-hand scores of A and B (index i is the same hand in both). */
export function pairedComparison(a: readonly number[], b: readonly number[], options: PairedOptions = {}): PairedResult {
  if (a.length !== b.length) throw new Error(`paired comparison needs the same hands on both sides (got ${a.length} and ${b.length})`);
  if (a.length === 0) throw new Error('paired comparison needs at least one hand');
  for (const [name, xs] of [['A', a], ['B', b]] as const) {
    const bad = xs.findIndex((x) => !Number.isFinite(x) || x < 0 || x > 1);
    if (bad >= 0) throw new Error(`score of hand ${bad} for ${name} is ${xs[bad]}: scores are success rates in [0, 1]`);
  }
  const n = a.length;
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  const rng = createRng(options.seed ?? 0);
  const d = Float64Array.from(a, (x, i) => (b[i] as number) - x);
  const observed = mean(d);

  const boot = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[rng.int(n)] as number;
    boot[r] = s / n;
  }
  boot.sort();
  const q = (p: number) => boot[Math.min(resamples - 1, Math.max(0, Math.floor(p * resamples)))] as number;
  const alpha = (1 - level) / 2;

  // Under H0 (no difference) each hand's difference is as likely negated: flip signs at random.
  let extreme = 0;
  const tol = 1e-12;
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rng.next() < 0.5 ? -(d[i] as number) : (d[i] as number);
    if (Math.abs(s / n) >= Math.abs(observed) - tol) extreme++;
  }

  const oneRunEach = (options.runsPerSide?.a ?? 1) === 1 && (options.runsPerSide?.b ?? 1) === 1;
  const binary = oneRunEach && [...a, ...b].every((x) => x === 0 || x === 1);
  let mcnemar: PairedResult['mcnemar'];
  if (binary) {
    let onlyA = 0;
    let onlyB = 0;
    for (let i = 0; i < n; i++) {
      if (a[i] === 1 && b[i] === 0) onlyA++;
      if (a[i] === 0 && b[i] === 1) onlyB++;
    }
    mcnemar = { onlyA, onlyB, p: exactSignTestP(onlyB, onlyA + onlyB) };
  }
  return {
    hands: n,
    meanA: mean(a),
    meanB: mean(b),
    diff: observed,
    ci: { low: q(alpha), high: q(1 - alpha) },
    // +1: the observed assignment is one of the permutations (never report p = 0).
    pPermutation: (extreme + 1) / (resamples + 1),
    ...(mcnemar ? { mcnemar } : {}),
  };
}
