/** Pulling (x, y) pairs out of a run's columns, and smoothing them at full resolution. */
import { ema, savitzkyGolay } from '../stats/smoothing';
import type { Smoothing } from './spec';
import { displayScale } from './metrics';
import type { FieldValue, RunInput } from './model';

export interface XY {
  x: number[];
  y: number[];
}

/**
 * Results per series object, so a regroup or restyle over the same data (the dashboard keeps one
 * object per fetched run) neither re-extracts nor re-smooths 10k-point curves. Callers must
 * treat the returned arrays as read-only.
 */
const memo = new WeakMap<object, Map<string, XY | number[]>>();

function memoized<T extends XY | number[]>(owner: object, key: string, make: () => T): T {
  let m = memo.get(owner);
  if (!m) memo.set(owner, (m = new Map()));
  let v = m.get(key) as T | undefined;
  if (v === undefined) m.set(key, (v = make()));
  return v;
}

/** Every line that has both keys (a value, not null or NaN), sorted by x (stable, so equal x keep their logged order). */
export function extractXY(run: RunInput, xKey: string, yKey: string): XY {
  return memoized(run.series, `xy\u0000${xKey}\u0000${yKey}`, () => extractUncached(run, xKey, yKey));
}

function extractUncached(run: RunInput, xKey: string, yKey: string): XY {
  const xs = run.series.columns[xKey];
  const ys = run.series.columns[yKey];
  if (!xs || !ys) return { x: [], y: [] };
  // As shown: fractions in %, FLOPs in GFLOPs (the paper's axes).
  const sx = displayScale(xKey);
  const sy = displayScale(yKey);
  const x: number[] = [];
  const y: number[] = [];
  let sorted = true;
  for (let i = 0; i < ys.length; i++) {
    const xv = xs[i];
    const yv = ys[i];
    // Missing: null in JSON columns, NaN in decoded float64 ones.
    if (xv === null || xv === undefined || yv === null || yv === undefined || xv !== xv || yv !== yv) continue;
    const px = xv * sx;
    if (x.length && px < (x[x.length - 1] as number)) sorted = false;
    x.push(px);
    y.push(yv * sy);
  }
  if (sorted) return { x, y };
  const idx = x.map((_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number) || a - b);
  return { x: idx.map((i) => x[i] as number), y: idx.map((i) => y[i] as number) };
}

/** `smooth` of an extracted curve, remembered with the run's series. */
export function smoothRun(run: RunInput, xKey: string, yKey: string, s: Smoothing, unit?: number): number[] {
  const key = s.kind === 'ema' && s.weight > 0 ? `ema:${s.weight}:${unit}` : s.kind === 'savgol' ? `sg:${s.window}` : 'none';
  return memoized(run.series, `sm\u0000${xKey}\u0000${yKey}\u0000${key}`, () => smooth(extractXY(run, xKey, yKey), s, unit));
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

/**
 * A cubic Savitzky–Golay fit overshoots at steps (a success curve that jumps to 100% would be drawn
 * at 100.1%): its values are kept inside the range the raw values span. EMA needs no such clip,
 * being a weighted mean of them.
 */
function withinRange(smoothed: number[], raw: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of raw) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return lo <= hi ? smoothed.map((v) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : v)) : smoothed;
}

export function smooth(curve: XY, s: Smoothing, unit?: number): number[] {
  if (s.kind === 'ema' && s.weight > 0) return ema(curve.x, curve.y, s.weight, unit);
  if (s.kind === 'savgol') return curve.y.length >= s.window ? withinRange(savitzkyGolay(curve.y, s.window, 3), curve.y) : curve.y.slice();
  return curve.y.slice();
}

/** The label of a run's value for the given fields, e.g. `rl` or `gp-rule · rl`. */
export function groupKey(fields: Record<string, FieldValue>, by: readonly string[]): string {
  return by.map((f) => String(fields[f] ?? '—')).join(' · ');
}
