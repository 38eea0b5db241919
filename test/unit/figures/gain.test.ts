/**
 * The "OOD gain vs verification iterations" figure (paper Fig. 10): each branch read at the
 * compute every branch of its series reached, gain from its own first evaluation, mean and CI
 * over seeds per V; its CSV is the plotted data.
 */
import { describe, expect, it } from 'vitest';
import { changes } from '../../../shared/figures/bars';
import { buildFigure } from '../../../shared/figures/build';
import { parseCsv, toCsv } from '../../../shared/figures/csv';
import { gainsAtMatchedCompute, valueAt } from '../../../shared/figures/gain';
import type { FieldValue, RunInput } from '../../../shared/figures/model';
import { defaultViewSpec, isVerificationSweepMethod, paperOodChangePreset, VERIFICATION_FIELD, verificationGainPreset, viewSpecSchema } from '../../../shared/figures/spec';

/** A branch run: evaluations at (GFLOPs, OOD success) with a training line between each (no eval metric there). */
function run(id: string, fields: Record<string, FieldValue>, evals: [number, number][]): RunInput {
  const flops: (number | null)[] = [];
  const ood: (number | null)[] = [];
  evals.forEach(([g, s], i) => {
    if (i > 0) {
      flops.push((g - 0.01) * 1e9);
      ood.push(null);
    }
    flops.push(g * 1e9);
    ood.push(s);
  });
  return { id, label: id, fields, series: { id, points: flops.length, total: flops.length, columns: { seq: flops.map((_, i) => i), 'compute/flops': flops, 'eval/ood/success': ood }, segments: [], warnings: [] } };
}

const branch = (seed: number, v: number, evals: [number, number][], preset = 'gp-verification') =>
  run(`${preset}-s${seed}-rl-v${v}`, { preset, seed, method: `rl-v${v}`, experiment: `${preset}-s${seed}`, [VERIFICATION_FIELD]: v }, evals);

// V = 1 is cheapest per step: its last evaluation (3 GFLOPs) is the compute every branch reached.
const RUNS: RunInput[] = [
  branch(0, 1, [[1, 0.1], [2, 0.12], [3, 0.14]]),
  branch(0, 3, [[1, 0.1], [3, 0.2], [5, 0.3]]),
  branch(0, 10, [[1, 0.1], [4, 0.25], [7, 0.4]]),
  branch(1, 1, [[1, 0.2], [2, 0.2], [3.5, 0.2]]),
  branch(1, 3, [[1, 0.2], [3, 0.24], [5, 0.3]]),
  branch(1, 10, [[1, 0.2], [4, 0.38], [7, 0.5]]),
  run('gp-verification-s0-init', { preset: 'gp-verification', seed: 0, method: 'init', experiment: 'gp-verification-s0' }, [[1, 0.1]]),
];

describe('gain vs verification iterations at matched compute', () => {
  it('interpolates a curve between evaluations, and refuses to extrapolate', () => {
    const c = { x: [1, 4, 7], y: [10, 25, 40] };
    expect(valueAt(c, 3)).toBeCloseTo(20, 12);
    expect(valueAt(c, 4)).toBe(25);
    expect(valueAt(c, 0.5)).toBeNaN();
    expect(valueAt(c, 8)).toBeNaN();
  });

  it('reads every branch at the compute all reached and subtracts its starting checkpoint', () => {
    const spec = verificationGainPreset(RUNS.map((r) => r.id), defaultViewSpec());
    const { points, matchedCompute, skipped } = gainsAtMatchedCompute(RUNS, spec);
    expect(skipped).toEqual([]);
    expect([...matchedCompute.values()]).toEqual([3]); // min over the six runs' last evaluations (GFLOPs)
    const gain = (seed: number, v: number) => points.find((p) => p.run === `gp-verification-s${seed}-rl-v${v}`)?.gain;
    expect(gain(0, 1)).toBeCloseTo(4, 9); // 14% − 10%, percentage points
    expect(gain(0, 3)).toBeCloseTo(10, 9); // 20% at 3 GFLOPs
    expect(gain(0, 10)).toBeCloseTo(10, 9); // 10 + (2/3)·15 = 20% at 3 GFLOPs, not its final 40%
    expect(gain(1, 1)).toBeCloseTo(0, 9);
    expect(gain(1, 10)).toBeCloseTo(12, 9); // 20 + (2/3)·18 = 32%
    expect(points.every((p) => p.compute === 3)).toBe(true);
  });

  it('plots the mean gain per V with a CI over seeds, labelled, and the CSV is the plotted data', () => {
    const spec = { ...verificationGainPreset(RUNS.map((r) => r.id), defaultViewSpec()), showSeeds: true };
    const model = buildFigure(RUNS, spec);
    expect(model.kind).toBe('gain-vs');
    expect(model.panels[0]?.xTitle).toBe('Verification iterations in training (V)');
    expect(model.panels[0]?.yTitle).toBe('OOD success gain (percentage points)');
    expect(model.panels[0]?.xTicks).toEqual([1, 3, 10]);
    const mean = model.traces.find((t) => t.role === 'points');
    expect(mean?.name).toBe('gp-verification');
    expect(mean?.x).toEqual([1, 3, 10]);
    expect(mean?.y.map((v) => Number(v.toFixed(9)))).toEqual([2, 7, 11]);
    // Two seeds: a bootstrap CI of their gains, which contains the mean.
    mean?.y.forEach((_, i) => {
      expect(mean.errorMinus?.[i]).toBeGreaterThanOrEqual(0);
      expect(mean.errorPlus?.[i]).toBeGreaterThanOrEqual(0);
    });
    expect(mean?.errorMinus?.[1]).toBeGreaterThan(0);
    expect(model.traces.find((t) => t.role === 'seed-points')?.y).toHaveLength(6);
    expect(model.notes.join(' ')).toMatch(/read at 3\.000 GFLOPs, the training compute all of its runs reached/);
    expect(model.caption).toMatch(/2 seeds per group, mean gain from each branch's starting checkpoint at matched training compute with 95% percentile-bootstrap CI/);
    const rows = parseCsv(toCsv(model));
    const pointsRows = rows.filter((r) => r[2] === 'points');
    expect(pointsRows.map((r) => [Number(r[3]), Number(Number(r[4]).toFixed(9))])).toEqual([[1, 2], [3, 7], [10, 11]]);
  });

  it('matches compute within each series, and names the runs it leaves out', () => {
    const other = [branch(0, 1, [[10, 0.1], [20, 0.3]], 'gp-rule'), branch(0, 3, [[10, 0.1], [30, 0.5]], 'gp-rule')];
    const stray = run('x-sft', { preset: 'gp-rule', method: 'sft', seed: 0 }, [[1, 0.1], [2, 0.2]]);
    const spec = verificationGainPreset([...RUNS, ...other, stray].map((r) => r.id), defaultViewSpec());
    const { matchedCompute, points, skipped } = gainsAtMatchedCompute([...RUNS, ...other, stray], spec);
    expect(Object.fromEntries([...matchedCompute].map(([k, v]) => [k.split('\u0000')[1], v]))).toEqual({ 'gp-verification': 3, 'gp-rule': 20 });
    expect(points.find((p) => p.run === 'gp-rule-s0-rl-v3')?.gain).toBeCloseTo(20, 9); // 10% + (10/20)·40 = 30% at 20 GFLOPs
    expect(skipped).toEqual([`x-sft: no numeric ${VERIFICATION_FIELD}`]);
  });

  it('the preset takes the RL branches from the init, not rl-no-sft or SFT', () => {
    expect(['rl', 'rl-single-turn', 'rl-v1', 'rl-v10'].every(isVerificationSweepMethod)).toBe(true);
    expect(['rl-no-sft', 'sft', 'sft-diverse', 'init', undefined].some(isVerificationSweepMethod)).toBe(false);
  });

  it('a saved view spec from before this figure kind still opens (xField defaults to none)', () => {
    const { xField: _x, ...old } = defaultViewSpec();
    expect(viewSpecSchema.parse(old).xField).toBeNull();
    const spec = verificationGainPreset(['a'], defaultViewSpec());
    expect(viewSpecSchema.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });
});

describe('the OOD-change bars with rl-no-sft', () => {
  it('measure rl-no-sft from the base it started at, rl from the init run', () => {
    const exp = { preset: 'gp-rule', seed: 0, experiment: 'e' };
    const runs = [
      run('e-init', { ...exp, method: 'init' }, [[5, 0.3]]),
      run('e-rl', { ...exp, method: 'rl' }, [[5, 0.3], [9, 0.35]]),
      run('e-rl-no-sft', { ...exp, method: 'rl-no-sft', parentCheckpoint: 'base' }, [[2, 0.01], [6, 0.02]]),
    ];
    const list = changes(runs, paperOodChangePreset(runs.map((r) => r.id), defaultViewSpec()));
    expect(list.find((c) => c.run === 'e-rl')).toMatchObject({ initial: 30, source: 'init-run' });
    expect(list.find((c) => c.run === 'e-rl-no-sft')).toMatchObject({ initial: 1, final: 2, source: 'first-eval' });
    const notes = buildFigure(runs, paperOodChangePreset(runs.map((r) => r.id), defaultViewSpec())).notes.join(' ');
    expect(notes).toMatch(/rl-no-sft starts from the base/);
    expect(notes).not.toMatch(/without their init run selected/);
  });
});
