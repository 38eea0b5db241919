/**
 * Curve smoothing, computed on full-resolution data (never on a downsampled curve, whose result
 * would depend on the screen: tensorflow/tensorboard#6829).
 */

/**
 * Debiased exponential moving average that accounts for uneven logging (W&B's time-weighted EMA):
 * the decay between two points is `weight^(Δx / typical Δx)`, so a run logged twice as often is
 * smoothed the same as one logged half as often. `weight` in [0, 1): 0 is no smoothing.
 * Debiasing (as TensorBoard) divides by the accumulated weight so the start is not pulled to 0.
 *
 * `unit` is the Δx that counts as one step of decay. It defaults to this series' mean spacing
 * (TensorBoard's behaviour on evenly logged data); pass one shared unit for every run in a plot so
 * that runs logged at different rates are smoothed alike.
 */
export function ema(xs: readonly number[], ys: readonly number[], weight: number, unit?: number): number[] {
  if (xs.length !== ys.length) throw new Error(`ema: ${xs.length} x values but ${ys.length} y values`);
  if (!(weight >= 0 && weight < 1)) throw new Error(`ema: weight must be in [0, 1), got ${weight}`);
  const n = xs.length;
  if (n === 0 || weight === 0) return ys.slice();
  const spacing = unit ?? (n > 1 ? ((xs[n - 1] as number) - (xs[0] as number)) / (n - 1) : 1);
  const out: number[] = [];
  let acc = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const y = ys[i] as number;
    if (!Number.isFinite(y)) {
      out.push(norm > 0 ? acc / norm : Number.NaN); // a missing value neither moves nor breaks the curve
      continue;
    }
    const dx = i === 0 || spacing <= 0 ? 1 : ((xs[i] as number) - (xs[i - 1] as number)) / spacing;
    const decay = Math.pow(weight, Math.max(0, dx));
    acc = acc * decay + (1 - decay) * y;
    norm = norm * decay + (1 - decay);
    out.push(acc / norm);
  }
  return out;
}

/** Solves the small dense system A·x = b by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[p] as number[])[c] as number)) p = r;
    [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
    const pivot = (m[c] as number[])[c] as number;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = ((m[r] as number[])[c] as number) / pivot;
      for (let k = c; k <= n; k++) (m[r] as number[])[k] = ((m[r] as number[])[k] as number) - f * ((m[c] as number[])[k] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / (row[i] as number));
}

/**
 * Least-squares polynomial fit of `order` to the points (t, y); returns the fitted value at `at`.
 * Used for Savitzky–Golay windows: exact for polynomials up to `order`.
 */
function polyFitAt(ts: number[], ys: number[], order: number, at: number): number {
  const k = order + 1;
  const ata = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const aty = new Array<number>(k).fill(0);
  ts.forEach((t, i) => {
    const powers = Array.from({ length: k }, (_, p) => t ** p);
    for (let r = 0; r < k; r++) {
      aty[r] = (aty[r] as number) + (powers[r] as number) * (ys[i] as number);
      for (let c = 0; c < k; c++) (ata[r] as number[])[c] = ((ata[r] as number[])[c] as number) + (powers[r] as number) * (powers[c] as number);
    }
  });
  const coef = solve(ata, aty);
  return coef.reduce((s, c, p) => s + c * at ** p, 0);
}

/**
 * Savitzky–Golay smoothing (the paper's App. C.3: polynomial order 3) over a centred window of
 * `window` points (odd). Near the ends the polynomial is fitted to the first/last window and
 * evaluated at each edge point (scipy's mode="interp"), so the curve keeps its length.
 */
export function savitzkyGolay(ys: readonly number[], window: number, order = 3): number[] {
  if (!Number.isInteger(window) || window < 3 || window % 2 === 0) throw new Error(`savitzkyGolay: window must be an odd integer ≥ 3, got ${window}`);
  if (!Number.isInteger(order) || order < 0 || order >= window) throw new Error(`savitzkyGolay: order must be an integer in [0, window), got ${order}`);
  const n = ys.length;
  if (n < window) return ys.slice();
  const half = (window - 1) / 2;
  const offsets = Array.from({ length: window }, (_, i) => i - half);
  // Interior: the same convolution weights everywhere; compute them once by fitting unit impulses.
  const weights = offsets.map((_, j) => polyFitAt(offsets, offsets.map((__, i) => (i === j ? 1 : 0)), order, 0));
  const out = new Array<number>(n);
  for (let i = half; i < n - half; i++) {
    let s = 0;
    for (let j = 0; j < window; j++) s += (weights[j] as number) * (ys[i - half + j] as number);
    out[i] = s;
  }
  const head = ys.slice(0, window) as number[];
  const tail = ys.slice(n - window) as number[];
  for (let i = 0; i < half; i++) {
    out[i] = polyFitAt(offsets, head, order, i - half);
    out[n - 1 - i] = polyFitAt(offsets, tail, order, half - i);
  }
  return out;
}
