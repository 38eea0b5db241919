import { describe, expect, it } from 'vitest';
import { bootstrapBand, bootstrapCI, mean } from '../../../shared/stats/aggregate';
import { createRng } from '../../../shared/util/rng';

describe('bootstrapBand (curves: resample seeds once per draw)', () => {
  it('matches the single-point bootstrap in distribution and brackets the mean', () => {
    const rng = createRng(7);
    const rows = Array.from({ length: 20 }, () => Array.from({ length: 5 }, (_, j) => j + rng.next()));
    const band = bootstrapBand(rows, 'mean', { samples: 4000, seed: 1 });
    for (let j = 0; j < 5; j++) {
      const col = rows.map((r) => r[j] as number);
      const ci = bootstrapCI(col, 'mean', { samples: 4000, seed: 2 });
      expect(band.low[j]).toBeLessThan(mean(col));
      expect(band.high[j]).toBeGreaterThan(mean(col));
      expect(band.low[j] as number).toBeCloseTo(ci.low, 1);
      expect(band.high[j] as number).toBeCloseTo(ci.high, 1);
    }
  });

  it('skips NaN (a seed outside its range) and gives a zero-width band for one value', () => {
    const band = bootstrapBand([[1, 5, Number.NaN], [3, Number.NaN, Number.NaN]], 'iqm', { samples: 200 });
    expect(band.low[0]).toBeGreaterThanOrEqual(1);
    expect(band.high[0]).toBeLessThanOrEqual(3);
    expect([band.low[1], band.high[1]]).toEqual([5, 5]);
    expect(Number.isNaN(band.low[2] as number)).toBe(true);
  });

  it('equals the plain definition: each draw picks n seeds, the statistic over those with a value, sorted percentiles', () => {
    // The direct computation, slow and obvious, against the fast paths (whole-row sums for the
    // mean where every seed has a value, selection instead of sorting).
    const reference = (rows: number[][], stat: 'mean' | 'iqm', samples: number, seed: number) => {
      const rng = createRng(seed);
      const n = rows.length;
      const picks = Array.from({ length: samples }, () => Array.from({ length: n }, () => rng.int(n)).sort((a, b) => a - b));
      const g = rows[0]?.length ?? 0;
      const low: number[] = [];
      const high: number[] = [];
      const q = (d: Float64Array, p: number) => { const pos = (d.length - 1) * p; const lo = Math.floor(pos); return (d[lo] as number) + ((d[Math.ceil(pos)] as number) - (d[lo] as number)) * (pos - lo); };
      for (let j = 0; j < g; j++) {
        const draws: number[] = [];
        for (const pick of picks) {
          const vals = pick.map((r) => rows[r]?.[j] as number).filter(Number.isFinite);
          if (vals.length === 0) continue;
          if (stat === 'mean') {
            // Summed seed by seed (a seed picked c times adds c·v), as the band does.
            let sum = 0;
            for (let r = 0; r < n; r++) { const v = rows[r]?.[j] as number; const c = pick.filter((p) => p === r).length; if (Number.isFinite(v)) sum += c * v; }
            draws.push(sum / vals.length);
          } else {
            vals.sort((a, b) => a - b);
            const cut = Math.floor(vals.length * 0.25);
            draws.push(vals.slice(cut, vals.length - cut).reduce((a, b) => a + b, 0) / (vals.length - 2 * cut));
          }
        }
        const d = Float64Array.from(draws).sort();
        const alpha = (1 - 0.95) / 2;
        low.push(d.length ? q(d, alpha) : Number.NaN);
        high.push(d.length ? q(d, 1 - alpha) : Number.NaN);
      }
      return { low, high };
    };
    const rng = createRng(11);
    for (const n of [1, 2, 7, 25]) {
      const rows = Array.from({ length: n }, () => Array.from({ length: 40 }, (_, j) => (rng.next() < 0.08 || (j > 35 && rng.next() < 0.5) ? Number.NaN : j * 0.1 + rng.next() * 3 - 1)));
      for (const stat of ['mean', 'iqm'] as const) {
        const got = bootstrapBand(rows, stat, { samples: 301, seed: n });
        const want = reference(rows, stat, 301, n);
        if (stat === 'mean') expect(got).toEqual(want); // bit for bit
        else {
          // The IQM adds a seed picked c times as c·v, the definition as v + … + v: last-bit differences.
          for (const side of ['low', 'high'] as const) {
            got[side].forEach((v, k) => {
              const w = want[side][k] as number;
              if (Number.isNaN(w)) expect(v).toBeNaN();
              else expect(Math.abs(v - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
            });
          }
        }
      }
    }
  });
});
