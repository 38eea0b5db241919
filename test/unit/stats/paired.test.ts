import { describe, expect, it } from 'vitest';
import { exactSignTestP, pairedComparison } from '../../../shared/stats/paired';

describe('exact sign test', () => {
  it('matches hand-computed binomial tails', () => {
    expect(exactSignTestP(0, 5)).toBeCloseTo(2 / 32, 12);
    expect(exactSignTestP(1, 10)).toBeCloseTo((2 * 11) / 1024, 12);
    expect(exactSignTestP(9, 10)).toBeCloseTo((2 * 11) / 1024, 12);
    expect(exactSignTestP(2, 4)).toBe(1);
    expect(exactSignTestP(0, 0)).toBe(1);
    // Large n: tails far below 1e-300 become 0, never NaN; the middle stays a probability.
    expect(exactSignTestP(0, 2000)).toBe(0);
    expect(exactSignTestP(1000, 2000)).toBeCloseTo(1, 6);
    expect(exactSignTestP(950, 2000)).toBeCloseTo(0.0273, 3);
  });
});

describe('paired comparison', () => {
  it('finds no difference between identical methods', () => {
    const a = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const r = pairedComparison(a, a.slice(), { resamples: 2000 });
    expect(r.diff).toBe(0);
    expect(r.ci).toEqual({ low: 0, high: 0 });
    expect(r.pPermutation).toBe(1);
    expect(r.mcnemar).toEqual({ onlyA: 0, onlyB: 0, p: 1 });
  });

  it('detects B solving 30 more of 100 hands, with a CI around +0.3 that excludes 0', () => {
    const a = Array.from({ length: 100 }, (_, i) => (i < 40 ? 1 : 0));
    const b = Array.from({ length: 100 }, (_, i) => (i < 70 ? 1 : 0));
    const r = pairedComparison(a, b, { resamples: 4000, seed: 3 });
    expect(r.meanA).toBeCloseTo(0.4, 12);
    expect(r.meanB).toBeCloseTo(0.7, 12);
    expect(r.diff).toBeCloseTo(0.3, 12);
    expect(r.ci.low).toBeGreaterThan(0.18);
    expect(r.ci.high).toBeLessThan(0.42);
    expect(r.pPermutation).toBeCloseTo(1 / 4001, 12);
    expect(r.mcnemar).toEqual({ onlyA: 0, onlyB: 30, p: exactSignTestP(30, 30) });
  });

  it('keeps a weak, balanced difference insignificant and reports seed-averaged scores without McNemar', () => {
    // Scores averaged over 3 seeds: B ahead on 6 hands, behind on 5, by a third each time.
    const a = Array.from({ length: 60 }, (_, i) => (i < 5 ? 1 : i < 11 ? 1 / 3 : 0.5));
    const b = Array.from({ length: 60 }, (_, i) => (i < 5 ? 2 / 3 : i < 11 ? 2 / 3 : 0.5));
    const r = pairedComparison(a, b, { resamples: 4000, seed: 1 });
    expect(r.mcnemar).toBeUndefined();
    expect(r.ci.low).toBeLessThan(0);
    expect(r.ci.high).toBeGreaterThan(0);
    expect(r.pPermutation).toBeGreaterThan(0.3);
    expect(pairedComparison(a, b, { resamples: 4000, seed: 1 })).toEqual(r); // seeded: reproducible
    // Three seeds a side that agree on every hand give 0/1 averages, still not McNemar's one outcome per side.
    const allAgree = Array.from({ length: 60 }, (_, i) => (i < 30 ? 1 : 0));
    expect(pairedComparison(allAgree, allAgree.map((x, i) => (i < 40 ? 1 : x)), { resamples: 500, runsPerSide: { a: 3, b: 3 } }).mcnemar).toBeUndefined();
    expect(pairedComparison(allAgree, allAgree.map((x, i) => (i < 40 ? 1 : x)), { resamples: 500 }).mcnemar).toEqual({ onlyA: 0, onlyB: 10, p: exactSignTestP(10, 10) });
  });

  it('refuses unpaired or invalid scores with a message naming the problem', () => {
    expect(() => pairedComparison([1, 0], [1])).toThrow(/same hands.*2 and 1/);
    expect(() => pairedComparison([], [])).toThrow(/at least one hand/);
    expect(() => pairedComparison([0, 1.5], [0, 1])).toThrow(/hand 1 for A is 1.5/);
    expect(() => pairedComparison([0, 1], [NaN, 1])).toThrow(/hand 0 for B is NaN/);
  });
});
