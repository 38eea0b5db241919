/** Pulling (x, y) pairs out of a run's columns, and smoothing them at full resolution. */
import { ema, savitzkyGolay } from '../stats/smoothing';
import type { Smoothing } from './spec';
import { isPercent, xScale, type FieldValue, type RunInput } from './model';

export interface XY {
  x: number[];
  y: number[];
}

/** Every line that has both keys, sorted by x (stable, so equal x keep their logged order). */
export function extractXY(run: RunInput, xKey: string, yKey: string): XY {
  const xs = run.series.columns[xKey];
  const ys = run.series.columns[yKey];
  if (!xs || !ys) return { x: [], y: [] };
  const sx = xScale(xKey);
  const sy = isPercent(yKey) ? 100 : 1;
  const pairs: [number, number][] = [];
  for (let i = 0; i < ys.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (x !== null && x !== undefined && y !== null && y !== undefined) pairs.push([x * sx, y * sy]);
  }
  let sorted = true;
  for (let i = 1; i < pairs.length && sorted; i++) if ((pairs[i] as [number, number])[0] < (pairs[i - 1] as [number, number])[0]) sorted = false;
  if (!sorted) pairs.sort((a, b) => a[0] - b[0]);
  return { x: pairs.map((p) => p[0]), y: pairs.map((p) => p[1]) };
}

/**
 * A shared EMA unit for all curves of a panel: the median of their mean spacings, so runs logged
 * at different rates are smoothed alike (W&B's time-weighted EMA; TensorBoard #6829).
 */
export function sharedUnit(curves: readonly XY[]): number | undefined {
  const spacings = curves
    .filter((c) => c.x.length > 1)
    .map((c) => ((c.x[c.x.length - 1] as number) - (c.x[0] as number)) / (c.x.length - 1))
    .filter((s) => s > 0)
    .sort((a, b) => a - b);
  return spacings.length ? spacings[Math.floor(spacings.length / 2)] : undefined;
}

export function smooth(curve: XY, s: Smoothing, unit?: number): number[] {
  if (s.kind === 'ema' && s.weight > 0) return ema(curve.x, curve.y, s.weight, unit);
  if (s.kind === 'savgol') return curve.y.length >= s.window ? savitzkyGolay(curve.y, s.window, 3) : curve.y.slice();
  return curve.y.slice();
}

/** The label of a run's value for the given fields, e.g. `rl` or `gp-rule · rl`. */
export function groupKey(fields: Record<string, FieldValue>, by: readonly string[]): string {
  return by.map((f) => String(fields[f] ?? '—')).join(' · ');
}
