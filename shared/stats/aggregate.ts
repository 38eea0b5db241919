/** Statistics across seeds: mean, interquartile mean, and percentile-bootstrap confidence intervals. */
import { createRng } from '../util/rng';

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Interquartile mean: the mean of the middle 50% (rliable; scipy's trim_mean(x, 0.25), which
 * drops floor(n/4) values from each end). Robust to one diverged seed, unlike the mean.
 */
export function iqm(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.25);
  return mean(sorted.slice(cut, sorted.length - cut));
}

export type Statistic = 'mean' | 'iqm';
export const STATISTICS: Record<Statistic, (v: readonly number[]) => number> = { mean, iqm };

export interface BootstrapOptions {
  /** Resamples drawn (default 2000). */
  samples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed of the resampling, so a figure is reproducible. */
  seed?: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Percentile bootstrap CI of a statistic over the values (e.g. one value per seed). */
export function bootstrapCI(values: readonly number[], statistic: Statistic = 'mean', options: BootstrapOptions = {}): { low: number; high: number } {
  const { samples = 2000, level = 0.95, seed = 0 } = options;
  const n = values.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN };
  if (n === 1) return { low: values[0] as number, high: values[0] as number };
  const stat = STATISTICS[statistic];
  const rng = createRng(seed);
  const draws = new Array<number>(samples);
  const resample = new Array<number>(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) resample[i] = values[rng.int(n)] as number;
    draws[s] = stat(resample);
  }
  draws.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return { low: quantile(draws, alpha), high: quantile(draws, 1 - alpha) };
}
