/** Aligning series logged at different x values (steps, FLOPs) onto one grid, without inventing data. */

export interface Series {
  x: readonly number[];
  y: readonly number[];
}

/**
 * Linear interpolation of a series (x ascending) at each grid point. Points outside the series'
 * own x range are NaN: a seed that stopped early contributes nothing there rather than a guess.
 */
export function interpolateOnto(series: Series, grid: readonly number[]): number[] {
  const { x, y } = series;
  const out: number[] = [];
  let j = 0;
  for (const g of grid) {
    if (x.length === 0 || g < (x[0] as number) || g > (x[x.length - 1] as number)) {
      out.push(Number.NaN);
      continue;
    }
    while (j < x.length - 2 && (x[j + 1] as number) < g) j++;
    while (j > 0 && (x[j] as number) > g) j--;
    const x0 = x[j] as number;
    const x1 = (x[j + 1] ?? x0) as number;
    const y0 = y[j] as number;
    const y1 = (y[j + 1] ?? y0) as number;
    out.push(x1 === x0 ? y0 : y0 + ((y1 - y0) * (g - x0)) / (x1 - x0));
  }
  return out;
}

/**
 * A common grid for a group: every x any series logged (so no logged step is dropped), capped at
 * `maxPoints` evenly spaced points over the union range when that is larger.
 */
export function commonGrid(series: readonly Series[], maxPoints = 2000): number[] {
  const xs = new Set<number>();
  for (const s of series) for (const v of s.x) xs.add(v);
  const all = [...xs].sort((a, b) => a - b);
  if (all.length <= maxPoints) return all;
  const lo = all[0] as number;
  const hi = all[all.length - 1] as number;
  return Array.from({ length: maxPoints }, (_, i) => lo + ((hi - lo) * i) / (maxPoints - 1));
}

/**
 * Downsamples a curve to at most `buckets` buckets keeping, for each, the mean and the min/max
 * envelope, so spikes stay visible and nothing is silently dropped.
 */
export function minMaxEnvelope(series: Series, buckets: number): { x: number[]; mean: number[]; min: number[]; max: number[]; downsampled: boolean } {
  const n = series.x.length;
  if (n <= buckets) {
    return { x: [...series.x], mean: [...series.y], min: [...series.y], max: [...series.y], downsampled: false };
  }
  const out = { x: [] as number[], mean: [] as number[], min: [] as number[], max: [] as number[], downsampled: true };
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let sx = 0, sy = 0, lo = Infinity, hi = -Infinity, count = 0;
    for (let i = start; i < end; i++) {
      const y = series.y[i] as number;
      sx += series.x[i] as number;
      if (Number.isFinite(y)) {
        sy += y;
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
        count++;
      }
    }
    out.x.push(sx / (end - start));
    out.mean.push(count ? sy / count : Number.NaN);
    out.min.push(count ? lo : Number.NaN);
    out.max.push(count ? hi : Number.NaN);
  }
  return out;
}
