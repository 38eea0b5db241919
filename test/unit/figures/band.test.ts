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
});
