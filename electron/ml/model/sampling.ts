/**
 * Token choice from one row of logits, on the CPU with the workbench's seeded RNG (tf.random
 * would need a backend-specific seed and is not reproducible across backends).
 */
import type { Rng } from '../../../shared/util/rng';

/** log Σ exp(row), computed in float64 for a stable log-prob. */
export function logSumExp(row: ArrayLike<number>, offset: number, n: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, row[offset + i] as number);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp((row[offset + i] as number) - max);
  return max + Math.log(s);
}

/** Index of the largest logit (the first one on ties). */
export function argmax(row: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if ((row[offset + i] as number) > (row[offset + best] as number)) best = i;
  return best;
}

/** Draws from softmax(row / temperature); temperature 0 means greedy. One rng.next() per draw. */
export function sampleToken(row: ArrayLike<number>, offset: number, n: number, temperature: number, rng?: Rng): number {
  if (temperature === 0) return argmax(row, offset, n);
  if (!rng) throw new Error('sampling at temperature > 0 needs an rng');
  const max = row[offset + argmax(row, offset, n)] as number;
  let total = 0;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p[i] = Math.exp(((row[offset + i] as number) - max) / temperature);
    total += p[i] as number;
  }
  let u = rng.next() * total;
  for (let i = 0; i < n; i++) {
    u -= p[i] as number;
    if (u < 0) return i;
  }
  return n - 1; // rounding left u ≥ 0 after the last bucket
}
