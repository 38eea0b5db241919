import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSeries } from '../../../electron/api/handlers/metrics';
import { listRuns } from '../../../electron/runs/store';
import { buildFigure } from '../../../shared/figures/build';
import { changes } from '../../../shared/figures/bars';
import { parseCsv, toCsv } from '../../../shared/figures/csv';
import type { RunInput } from '../../../shared/figures/model';
import { defaultViewSpec, isRecognitionBranch, paperCurvesPreset, paperOodChangePreset, recognitionPreset, viewSpecSchema } from '../../../shared/figures/spec';
import { tempDir } from '../../helpers/tmp';
import { writeSyntheticRuns } from '../../helpers/synthetic-runs';

function load(dataDir: string, ids: string[]): RunInput[] {
  return ids.map((id) => {
    const [, preset, seed, method] = /^synthetic-(.+)-s(\d+)-(.+)$/.exec(id) ?? [];
    return { id, label: id, fields: { preset: preset ?? '', seed: Number(seed), method: method ?? '', experiment: id.replace(/-[^-]+$/, '') }, series: readSeries(path.join(dataDir, id), id) };
  });
}

describe('figure pipeline on synthetic run folders', () => {
  const tmp = tempDir();
  afterEach(() => tmp.cleanup());

  it('reads metrics column-wise with stage labels and aligned columns', () => {
    const ids = writeSyntheticRuns(tmp.dir, { steps: 20, seeds: [0] });
    const s = readSeries(path.join(tmp.dir, ids[2] as string), ids[2] as string);
    expect(s.points).toBeGreaterThan(20);
    for (const col of Object.values(s.columns)) expect(col.length).toBe(s.points);
    expect(s.segments.every((g) => g.stage === 'rl')).toBe(true);
    expect(s.segments.slice(0, 2)).toEqual([{ start: 0, stage: 'rl', phase: null }, { start: 1, stage: 'rl', phase: 'rl' }]); // evaluations have no phase
    expect(s.columns['rl/reward']?.[0]).toBeNull(); // line 0 is the step-0 evaluation
  });

  it('with keys, sends only those keys and the x keys, on the lines that have them', () => {
    const ids = writeSyntheticRuns(tmp.dir, { steps: 20, seeds: [0], evalEvery: 5 });
    const s = readSeries(path.join(tmp.dir, ids[2] as string), ids[2] as string, ['eval/ood/success'], ['compute/flops']);
    expect(Object.keys(s.columns).sort()).toEqual(['compute/flops', 'eval/ood/success']);
    expect(s.points).toBe(5); // step 0 and every 5 of 20
    expect(s.total).toBeGreaterThan(20);
    expect(s.columns['eval/ood/success']?.every((v) => v !== null)).toBe(true);
    expect(s.segments).toEqual([{ start: 0, stage: 'rl', phase: null }]);
  });

  it('groups seeds into one mean line with a bootstrap band that contains it', () => {
    const ids = writeSyntheticRuns(tmp.dir, { steps: 30, seeds: [0, 1, 2] });
    const runs = load(tmp.dir, ids);
    const spec = defaultViewSpec({ runs: ids.filter((i) => !i.endsWith('-init')), metrics: ['eval/ood/success'], groupBy: ['method'] });
    const model = buildFigure(runs, spec);
    const means = model.traces.filter((t) => t.role === 'mean');
    expect(means.map((t) => t.name).sort()).toEqual(['rl (n=3)', 'sft (n=3)']);
    const low = model.traces.find((t) => t.role === 'band-low' && t.group === 'rl');
    const high = model.traces.find((t) => t.role === 'band-high' && t.group === 'rl');
    const mean = means.find((t) => t.group === 'rl');
    mean?.y.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual((low?.y[i] as number) - 1e-9);
      expect(v).toBeLessThanOrEqual((high?.y[i] as number) + 1e-9);
    });
    expect(model.caption).toBe('EMA 0.6 (time-weighted, debiased), 3 seeds per group, mean with 95% percentile-bootstrap CI (over seeds, seed 0).');
    // Regrouping is a pure function of the spec: same spec, same figure.
    expect(buildFigure(runs, spec)).toEqual(model);
  });

  it('draws a group aggregate only where every seed has data, so the mean never jumps to fewer seeds', () => {
    const ids = writeSyntheticRuns(tmp.dir, { steps: 30, seeds: [0, 1, 2] });
    const runs = load(tmp.dir, ids);
    // Seed 1's RL run stopped at step 20; the others reached 30.
    const cut = runs.find((r) => r.id.endsWith('-s1-rl')) as RunInput;
    const keep = Array.from(cut.series.columns.step ?? []).filter((st) => st !== null && st <= 20).length;
    cut.series = { ...cut.series, points: keep, columns: Object.fromEntries(Object.entries(cut.series.columns).map(([k, v]) => [k, Array.from(v).slice(0, keep)])) };
    const spec = defaultViewSpec({ runs: ids.filter((i) => !i.endsWith('-init')), x: 'step', metrics: ['train/loss'], groupBy: ['method'], smoothing: { kind: 'none', weight: 0.6, window: 9 } });
    const model = buildFigure(runs, spec);
    const rl = model.traces.find((t) => t.role === 'mean' && t.group === 'rl');
    const sft = model.traces.find((t) => t.role === 'mean' && t.group === 'sft');
    expect(Math.max(...(rl?.x as number[]))).toBe(20);
    expect(Math.max(...(sft?.x as number[]))).toBe(30);
    expect(model.traces.find((t) => t.role === 'band-high' && t.group === 'rl')?.x).toEqual(rl?.x);
    expect(model.notes.join(' ')).toMatch(/1 group aggregate\(s\) drawn over the x range all their seeds reached/);
  });

  it('draws long curves as a min/max envelope and says so; smoothing used every point', () => {
    const ids = writeSyntheticRuns(tmp.dir, { steps: 3000, seeds: [0], evalEvery: 1000 });
    const runs = load(tmp.dir, ids);
    const model = buildFigure(runs, defaultViewSpec({ runs: [ids[2] as string], metrics: ['rl/reward'], groupBy: [] }), { maxDisplayPoints: 500 });
    expect(model.traces.map((t) => t.role).sort()).toEqual(['envelope-high', 'envelope-low', 'mean', 'raw']);
    expect(model.traces.find((t) => t.role === 'mean')?.x.length).toBe(500);
    expect(model.notes.join()).toMatch(/min\/max envelope/);
  });

  it('builds the paper presets: ID/OOD by setting, and OOD change bars from the init run', () => {
    const ids = writeSyntheticRuns(tmp.dir, { steps: 20, seeds: [0, 1], presets: ['gp-rule', 'virl-rule'] });
    const runs = load(tmp.dir, ids);
    const curves = buildFigure(runs, paperCurvesPreset(ids.filter((i) => !i.endsWith('-init')), defaultViewSpec()));
    expect(curves.rows).toBe(2);
    expect(curves.cols).toBe(2);
    expect(curves.panels.map((p) => p.title)).toEqual(['gp-rule — ID success', 'virl-rule — ID success', 'gp-rule — OOD success', 'virl-rule — OOD success']);
    const spec = paperOodChangePreset(ids, defaultViewSpec());
    expect(changes(runs, spec).every((c) => c.source === 'init-run')).toBe(true);
    const bars = buildFigure(runs, spec);
    const rl = bars.traces.find((t) => t.name === 'rl');
    const sft = bars.traces.find((t) => t.name === 'sft');
    expect(rl?.x).toEqual(['gp-rule', 'virl-rule']);
    for (let i = 0; i < 2; i++) expect(rl?.y[i] as number).toBeGreaterThan(sft?.y[i] as number);
  });

  it('writes a CSV with exactly the plotted points, and the view spec round-trips', () => {
    const ids = writeSyntheticRuns(tmp.dir, { steps: 10, seeds: [0, 1] });
    const spec = defaultViewSpec({ runs: ids, metrics: ['eval/id/success'] });
    const model = buildFigure(load(tmp.dir, ids), spec);
    const rows = parseCsv(toCsv(model));
    expect(rows[0]).toEqual(['panel', 'series', 'role', 'x', 'y', 'error_minus', 'error_plus']);
    expect(rows.length - 1).toBe(model.traces.reduce((n, t) => n + t.x.length, 0));
    const first = model.traces[0];
    expect(Number(rows[1]?.[4])).toBe(first?.y[0]);
    expect(viewSpecSchema.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
  });
});

/** A shipped example folder's runs: all completed, read without warnings; the inits left out unless asked for. */
function shippedRuns(folder: string, preset: string, count: number, { inits = false } = {}): RunInput[] {
  const dataDir = path.resolve(import.meta.dirname, '../../../examples', folder, 'runs');
  const rows = listRuns(dataDir);
  expect(rows).toHaveLength(count);
  expect(rows.filter((r) => r.status !== 'completed')).toEqual([]);
  const runs: RunInput[] = rows.filter((r) => inits || r.method !== 'init').map((r) => ({ id: r.id, label: r.name, fields: { preset, method: r.method, seed: r.seed }, series: readSeries(path.join(dataDir, r.id), r.id) }));
  expect(runs.flatMap((r) => r.series.warnings)).toEqual([]);
  return runs;
}

describe('the shipped example runs (examples/gp-rule-results, examples/gp-rule-saturated-base, examples/gp-visual-results)', () => {
  it('the init-regime results load without warnings: 3 seeds per branch, RL above SFT and above its init out of distribution', () => {
    const runs = shippedRuns('gp-rule-results', 'gp-rule', 9);
    const base = defaultViewSpec({ smoothing: { kind: 'none', weight: 0.6, window: 9 } });
    const model = buildFigure(runs, { ...paperCurvesPreset(runs.map((r) => r.id), base), smoothing: base.smoothing });
    const ood = (g: string) => model.traces.find((t) => t.role === 'mean' && t.group === g && model.panels[t.panel]?.title.includes('OOD'))?.y as number[];
    expect(model.traces.filter((t) => t.role === 'mean').map((t) => t.name)).toContain('rl (n=3)');
    expect(ood('rl').at(-1)!).toBeGreaterThan(ood('sft').at(-1)!);
    // Both branches start at the same init; SFT ends below it.
    expect(ood('sft').at(-1)!).toBeLessThan(ood('sft')[0]!);
  });

  it('the saturated-base results load without warnings and give the paper figure: 5 seeds per branch, SFT below RL out of distribution', () => {
    const runs = shippedRuns('gp-rule-saturated-base', 'gp-rule', 29);
    const base = defaultViewSpec({ smoothing: { kind: 'none', weight: 0.6, window: 9 } });
    const spec = { ...paperCurvesPreset(runs.map((r) => r.id), base), smoothing: base.smoothing };
    const model = buildFigure(runs, spec);
    const finalOod = (g: string) => model.traces.find((t) => t.role === 'mean' && t.group === g && model.panels[t.panel]?.title.includes('OOD'))?.y.at(-1) as number;
    expect(model.traces.filter((t) => t.role === 'mean').map((t) => t.name)).toContain('rl (n=5)');
    expect(finalOod('rl')).toBeGreaterThan(finalOod('sft') + 0.05);
  });
});

describe('the shipped GP-VL runs (examples/gp-visual-results)', () => {
  it('load without warnings and give the Fig. 8 preset: the 6 branches, recognition at 100% throughout, RL and SFT above their init on red cards', () => {
    const all = shippedRuns('gp-visual-results', 'gp-visual', 9, { inits: true });
    const runs = all.filter((r) => isRecognitionBranch(r.fields.method as string, Object.keys(r.series.columns)));
    expect(runs.map((r) => r.fields.method).sort()).toEqual(['rl', 'rl', 'rl', 'sft', 'sft', 'sft']);
    const base = defaultViewSpec({ smoothing: { kind: 'none', weight: 0.6, window: 9 } });
    const model = buildFigure(runs, { ...recognitionPreset(runs.map((r) => r.id), base), smoothing: base.smoothing });
    expect(model.panels.map((p) => p.title)).toEqual(['gp-visual — ID recognition accuracy', 'gp-visual — OOD recognition accuracy', 'gp-visual — ID success', 'gp-visual — OOD success']);
    const mean = (g: string, title: string) => model.traces.find((t) => t.role === 'mean' && t.group === g && model.panels[t.panel]?.title === `gp-visual — ${title}`)?.y as number[];
    for (const g of ['sft', 'rl']) for (const split of ['ID', 'OOD']) expect(new Set(mean(g, `${split} recognition accuracy`))).toEqual(new Set([100])); // drawn in %
    for (const g of ['sft', 'rl']) expect(mean(g, 'OOD success').at(-1)!).toBeGreaterThan(mean(g, 'OOD success')[0]!);
  });
});

describe('figure pipeline: reused group aggregates', () => {
  const tmp = tempDir();
  afterEach(() => tmp.cleanup());

  it('a regroup back to a grouping drawn before gives the figure a fresh build gives (aggregates are reused, never stale)', () => {
    const ids = writeSyntheticRuns(tmp.dir, { steps: 30, seeds: [0, 1, 2, 3] }).filter((id) => !id.endsWith('-init'));
    const runs = load(tmp.dir, ids);
    const spec = defaultViewSpec({ runs: ids, metrics: ['train/loss'], x: 'step', groupBy: ['method'] });
    const first = buildFigure(runs, spec);
    buildFigure(runs, { ...spec, groupBy: ['method', 'seed'] });
    expect(buildFigure(runs, spec)).toEqual(first);
    // What the band depends on is part of what is reused: another seed, statistic or smoothing
    // gives what a build from new series objects gives.
    const fresh = () => runs.map((r) => ({ ...r, series: { ...r.series } }));
    for (const other of [{ ...spec, bootstrapSeed: 7 }, { ...spec, statistic: 'iqm' as const }, { ...spec, smoothing: { ...spec.smoothing, kind: 'savgol' as const } }]) {
      const reused = buildFigure(runs, other);
      expect(reused).toEqual(buildFigure(fresh(), other));
      expect(reused.traces.find((t) => t.role === 'band-high')?.y).not.toEqual(first.traces.find((t) => t.role === 'band-high')?.y);
    }
    const noRaw = buildFigure(runs, { ...spec, showRaw: false });
    expect(noRaw).toEqual(buildFigure(fresh(), { ...spec, showRaw: false }));
    expect(noRaw.traces.filter((t) => t.role === 'raw')).toEqual([]);
    expect(first.traces.filter((t) => t.role === 'raw').length).toBe(2);
  });
});
