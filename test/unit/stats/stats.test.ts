import { describe, expect, it } from 'vitest';
import { bootstrapCI, iqm, mean } from '../../../shared/stats/aggregate';
import { commonGrid, interpolateOnto, minMaxEnvelope } from '../../../shared/stats/align';
import { ema, savitzkyGolay } from '../../../shared/stats/smoothing';
import { smooth } from '../../../shared/figures/extract';
import { createRng } from '../../../shared/util/rng';

describe('smoothing', () => {
  it('EMA with even spacing matches the debiased recurrence computed by hand', () => {
    // w = 0.5: acc = 0.5·1 = 0.5, norm 0.5 → 1; acc = 0.25+0.5·3 = 1.75, norm 0.75 → 2.333…
    const out = ema([0, 1, 2], [1, 3, 5], 0.5);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(1.75 / 0.75, 12);
    // acc = 0.875 + 2.5 = 3.375, norm 0.875 → 3.857…
    expect(out[2]).toBeCloseTo(3.375 / 0.875, 12);
  });

  it('EMA accounts for uneven logging: runs logged at different rates smooth alike with a shared unit', () => {
    const step = (x: number) => (x >= 5 ? 10 : 0);
    const sparseX = Array.from({ length: 11 }, (_, i) => i);
    const denseX = Array.from({ length: 41 }, (_, i) => i / 4);
    const sparse = ema(sparseX, sparseX.map(step), 0.6, 1);
    const dense = ema(denseX, denseX.map(step), 0.6, 1);
    // x = 8 in both: 8.79 (sparse) vs 8.18 (dense); they differ only by sampling of the jump.
    expect(Math.abs((dense[32] as number) - (sparse[8] as number))).toBeLessThan(0.7);
    // Per-point decay (no time weighting) would have the dense run saturated already (9.99):
    const untimed = ema(denseX, denseX.map(step), 0.6, 0.25);
    expect(untimed[32]).toBeGreaterThan(9.9);
    // A gap of two units decays by weight² at once: 0.5² → 0.75·10 / (1 − 0.5·0.25)
    expect(ema([0, 2], [0, 10], 0.5, 1)[1]).toBeCloseTo(7.5 / 0.875, 12);
  });

  it('EMA with weight 0 is the identity and rejects bad weights', () => {
    expect(ema([0, 1], [3, 4], 0)).toEqual([3, 4]);
    expect(() => ema([0], [1], 1)).toThrow(/weight must be in \[0, 1\)/);
    expect(() => ema([0, 1], [1], 0.5)).toThrow(/2 x values but 1 y values/);
  });

  it('Savitzky–Golay uses the textbook weights (window 5: −3, 12, 17, 12, −3 over 35)', () => {
    const ys = [0, 0, 0, 0, 35, 0, 0, 0, 0];
    const out = savitzkyGolay(ys, 5, 3);
    expect(out[2]).toBeCloseTo(-3, 10);
    expect(out[3]).toBeCloseTo(12, 10);
    expect(out[4]).toBeCloseTo(17, 10);
    expect(out[5]).toBeCloseTo(12, 10);
    expect(out[6]).toBeCloseTo(-3, 10);
  });

  it('Savitzky–Golay of order 3 reproduces a cubic exactly, edges included', () => {
    const ys = Array.from({ length: 12 }, (_, i) => 0.5 * i ** 3 - 2 * i ** 2 + i - 4);
    savitzkyGolay(ys, 7, 3).forEach((v, i) => expect(v).toBeCloseTo(ys[i] as number, 8));
    expect(() => savitzkyGolay(ys, 4)).toThrow(/odd integer/);
  });
});

describe('aggregation across seeds', () => {
  it('computes mean and interquartile mean', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(iqm([1, 2, 3, 4, 5, 6, 7, 100])).toBe(4.5); // drops 2 from each end: mean(3,4,5,6)
    expect(iqm([5])).toBe(5);
  });

  it('bootstrap 95% CI of the mean covers the true mean about 95% of the time (normal data)', () => {
    const rng = createRng(7);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const sample = Array.from({ length: 30 }, () => 10 + 2 * normal());
      const ci = bootstrapCI(sample, 'mean', { samples: 500, seed: t });
      if (ci.low <= 10 && 10 <= ci.high) covered++;
    }
    // Percentile bootstrap at n=30 under-covers slightly; 0.88–0.99 is the expected band.
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('bootstrap CI width shrinks like 1/sqrt(n) and is reproducible from its seed', () => {
    const rng = createRng(3);
    const draw = (n: number) => Array.from({ length: n }, () => rng.next());
    const small = bootstrapCI(draw(25), 'mean', { seed: 1 });
    const large = bootstrapCI(draw(400), 'mean', { seed: 1 });
    const ratio = (small.high - small.low) / (large.high - large.low);
    expect(ratio).toBeGreaterThan(2.8);
    expect(ratio).toBeLessThan(5.5);
    const v = [0.1, 0.4, 0.35, 0.8];
    expect(bootstrapCI(v, 'iqm', { seed: 9 })).toEqual(bootstrapCI(v, 'iqm', { seed: 9 }));
  });
});

describe('alignment of unequal series', () => {
  it('interpolates onto a common grid and never extrapolates past a series end', () => {
    const a = { x: [0, 10, 20, 30], y: [0, 1, 2, 3] };
    const b = { x: [0, 15], y: [10, 40] }; // stopped early
    const grid = commonGrid([a, b]);
    expect(grid).toEqual([0, 10, 15, 20, 30]);
    expect(interpolateOnto(a, grid)).toEqual([0, 1, 1.5, 2, 3]);
    expect(interpolateOnto(b, grid)).toEqual([10, 30, 40, Number.NaN, Number.NaN]);
  });

  it('caps the grid with evenly spaced points when there are too many', () => {
    const s = { x: Array.from({ length: 5000 }, (_, i) => i), y: Array.from({ length: 5000 }, (_, i) => i) };
    const grid = commonGrid([s], 101);
    expect(grid).toHaveLength(101);
    expect(grid[100]).toBe(4999);
  });

  it('downsamples with a min/max envelope that keeps a single spike', () => {
    const y = new Array(1000).fill(1);
    y[537] = 50;
    const env = minMaxEnvelope({ x: y.map((_, i) => i), y }, 100);
    expect(env.downsampled).toBe(true);
    expect(env.x).toHaveLength(100);
    expect(Math.max(...env.max)).toBe(50);
    expect(Math.max(...env.mean)).toBeCloseTo(5.9, 10);
    expect(minMaxEnvelope({ x: [1, 2], y: [3, 4] }, 10).downsampled).toBe(false);
  });
});

describe('smoothing a figure curve', () => {
  it('keeps a Savitzky–Golay curve inside the range of its raw values (no 100.1% success)', () => {
    const y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const x = y.map((_, i) => i);
    const raw = savitzkyGolay(y, 5, 3);
    expect(Math.max(...raw)).toBeGreaterThan(1); // the fit itself overshoots at the step
    expect(Math.min(...raw)).toBeLessThan(0);
    const drawn = smooth({ x, y }, { kind: 'savgol', window: 5, weight: 0.6 });
    expect(Math.max(...drawn)).toBe(1);
    expect(Math.min(...drawn)).toBe(0);
    // Away from the clip the fit is untouched.
    drawn.forEach((v, i) => { if (v > 0 && v < 1) expect(v).toBeCloseTo(raw[i] as number, 12); });
  });
});
