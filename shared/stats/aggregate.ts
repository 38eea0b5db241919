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

function quantile(sorted: ArrayLike<number>, q: number): number {
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
  const rng = createRng(seed);
  // Typed arrays and an inlined mean: this runs once per grid point of every band (hundreds of
  // times per redraw), so it must not allocate per resample. Same draws, same result as before.
  const draws = new Float64Array(samples);
  const resample = new Float64Array(n);
  const isMean = statistic === 'mean';
  const cut = Math.floor(n * 0.25);
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = values[rng.int(n)] as number;
      resample[i] = v;
      sum += v;
    }
    if (isMean) draws[s] = sum / n;
    else {
      resample.sort();
      let t = 0;
      for (let i = cut; i < n - cut; i++) t += resample[i] as number;
      draws[s] = t / (n - 2 * cut);
    }
  }
  draws.sort();
  const alpha = (1 - level) / 2;
  return { low: quantile(draws, alpha), high: quantile(draws, 1 - alpha) };
}

/**
 * The q-quantile (linear interpolation, as `quantile` on the sorted values) of `a`, found by
 * selection instead of a sort; reorders `a`. Exact: the same two order statistics.
 */
function selectQuantile(a: Float64Array, q: number): number {
  const pos = (a.length - 1) * q;
  const lo = Math.floor(pos);
  const v = selectKth(a, lo);
  if (pos === lo) return v;
  // After selecting the lo-th value, everything after it is at least as large: the next order
  // statistic is their minimum.
  let next = Infinity;
  for (let i = lo + 1; i < a.length; i++) if ((a[i] as number) < next) next = a[i] as number;
  return v + (next - v) * (pos - lo);
}

/** The k-th smallest value of `a` (Hoare's quickselect, middle pivot); partially reorders `a`. */
function selectKth(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k] as number;
}

/**
 * Pointwise bootstrap band for curves: each draw resamples whole seeds (rows) once and evaluates
 * the statistic at every grid point (columns), as rliable does for curves. One resample per draw
 * instead of one per grid point: B·n random numbers instead of B·n·G. NaN entries (a seed outside
 * its x range) are skipped at that point; a point with one value gets a zero-width band.
 *
 * A draw is kept as how often it picked each seed, so each statistic is a weighted walk over
 * the seeds (sorted by value once per point for the IQM): O(B·n·G) with no sort per draw. For
 * the mean at points where every seed has a value (nearly all of them), a draw is a weighted sum
 * of whole rows, accumulated row by row over contiguous memory (a regroup redraws these bands).
 * The quantiles are found by selection, not by sorting each point's draws.
 */
export function bootstrapBand(rows: readonly (readonly number[])[], statistic: Statistic = 'mean', options: BootstrapOptions = {}): { low: number[]; high: number[] } {
  const { samples = 1000, level = 0.95, seed = 0 } = options;
  const n = rows.length;
  const g = rows[0]?.length ?? 0;
  const low = new Array<number>(g).fill(Number.NaN);
  const high = new Array<number>(g).fill(Number.NaN);
  if (n === 0) return { low, high };
  const rng = createRng(seed);
  // counts[s·n + r]: how many times draw s picked seed r (same random stream as one pick per slot).
  const counts = new Int32Array(samples * n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const at = s * n + rng.int(n);
      counts[at] = (counts[at] as number) + 1;
    }
  }
  const alpha = (1 - level) / 2;
  const isMean = statistic === 'mean';
  // Points where every seed has a value.
  const full = new Uint8Array(g).fill(1);
  for (const row of rows) for (let j = 0; j < g; j++) if (!Number.isFinite(row[j] as number)) full[j] = 0;
  let fast: Float64Array | null = null; // fast[j·samples + s]: draw s at point j
  if (isMean && full.includes(1)) {
    fast = new Float64Array(g * samples);
    const acc = new Float64Array(g);
    const typed = rows.map((row) => Float64Array.from(row)); // one element kind in the hot loop
    for (let s = 0; s < samples; s++) {
      acc.fill(0);
      const base = s * n;
      // Seeds in ascending order, as the walk below adds them: the same sums, bit for bit.
      for (let r = 0; r < n; r++) {
        const c = counts[base + r] as number;
        if (c === 0) continue;
        const row = typed[r] as Float64Array;
        for (let j = 0; j < g; j++) acc[j] = (acc[j] as number) + c * (row[j] as number);
      }
      for (let j = 0; j < g; j++) fast[j * samples + s] = (acc[j] as number) / n;
    }
  }
  const draws = new Float64Array(samples);
  const order = new Int32Array(n);
  const vals = new Float64Array(n);
  for (let j = 0; j < g; j++) {
    if (fast && full[j]) {
      const d = fast.subarray(j * samples, (j + 1) * samples);
      low[j] = selectQuantile(d, alpha);
      high[j] = selectQuantile(d, 1 - alpha);
      continue;
    }
    // The seeds with a value here, ascending by value for the IQM's trimming.
    let f = 0;
    for (let r = 0; r < n; r++) {
      const v = (rows[r] as readonly number[])[j] as number;
      if (Number.isFinite(v)) order[f++] = r;
    }
    if (f === 0) continue;
    if (!isMean) {
      const part = order.subarray(0, f);
      part.sort((a, b) => ((rows[a] as readonly number[])[j] as number) - ((rows[b] as readonly number[])[j] as number));
    }
    for (let k = 0; k < f; k++) vals[k] = (rows[order[k] as number] as readonly number[])[j] as number;
    let m = 0;
    for (let s = 0; s < samples; s++) {
      const base = s * n;
      if (isMean) {
        let count = 0;
        let sum = 0;
        for (let k = 0; k < f; k++) {
          const c = counts[base + (order[k] as number)] as number;
          count += c;
          sum += c * (vals[k] as number);
        }
        if (count > 0) draws[m++] = sum / count;
      } else {
        // Every seed has a value here (the usual case): a draw always holds n of them.
        let count = n;
        if (f < n) {
          count = 0;
          for (let k = 0; k < f; k++) count += counts[base + (order[k] as number)] as number;
          if (count === 0) continue;
        }
        // Trimmed mean of the multiset: positions [cut, count - cut) of the sorted resample.
        const cut = Math.floor(count * 0.25);
        const end = count - cut;
        let pos = 0;
        let sum = 0;
        for (let k = 0; k < f && pos < end; k++) {
          const c = counts[base + (order[k] as number)] as number;
          if (c === 0) continue;
          const from = Math.max(pos, cut);
          const to = Math.min(pos + c, end);
          if (to > from) sum += (to - from) * (vals[k] as number);
          pos += c;
        }
        draws[m++] = sum / (end - cut);
      }
    }
    if (m === 0) continue;
    const d = draws.subarray(0, m);
    low[j] = selectQuantile(d, alpha);
    high[j] = selectQuantile(d, 1 - alpha);
  }
  return { low, high };
}
