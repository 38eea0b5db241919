/**
 * Gain against a config field at matched compute (paper Fig. 10: OOD gain against verification
 * iterations "at equal compute"). Branches with more attempts per episode spend more compute per
 * step, so comparing their last evaluations would credit them with more training: each series
 * (group) is read at the largest training compute every one of its runs reached, each run's
 * metric linearly interpolated between the two evaluations around it. The gain is that value
 * minus the run's first evaluation — its starting checkpoint (the init, or the base for
 * `rl-no-sft`) evaluated on the same hands under the same limit, at step 0.
 */
import { bootstrapCI, STATISTICS } from '../stats/aggregate';
import { captionFor } from './caption';
import { extractXY, groupKey, type XY } from './extract';
import { metricInfo, metricLabel, UNITS } from './metrics';
import type { Panel, PlotModel, RunInput, Trace } from './model';
import { PALETTES, VERIFICATION_FIELD, type ViewSpec } from './spec';

export interface GainPoint {
  run: string;
  facet: string;
  group: string;
  /** The run's value of the x field (e.g. its verification limit). */
  x: number;
  /** Training compute (GFLOPs) the run is read at: its series' matched compute. */
  compute: number;
  /** Metric at the first evaluation (the starting checkpoint) and at `compute`, as displayed (% for fractions). */
  initial: number;
  matched: number;
  gain: number;
}

export interface Gains {
  points: GainPoint[];
  /** Matched compute (GFLOPs) per series, keyed `facet \u0000 group`. */
  matchedCompute: Map<string, number>;
  /** Runs left out, with why. */
  skipped: string[];
}

/** Value of a curve at x by linear interpolation between its points (x within the curve's range). */
export function valueAt(curve: XY, x: number): number {
  const n = curve.x.length;
  for (let i = 0; i < n; i++) {
    const xi = curve.x[i] as number;
    if (xi === x) return curve.y[i] as number;
    if (xi > x) {
      if (i === 0) return Number.NaN;
      const x0 = curve.x[i - 1] as number;
      const y0 = curve.y[i - 1] as number;
      return y0 + ((x - x0) / (xi - x0)) * ((curve.y[i] as number) - y0);
    }
  }
  return Number.NaN;
}

const seriesKey = (facet: string, group: string) => `${facet}\u0000${group}`;

/** Every branch run's gain at its series' matched compute. */
export function gainsAtMatchedCompute(runs: readonly RunInput[], spec: ViewSpec): Gains {
  const metric = spec.metrics[0] as string;
  const field = spec.xField ?? VERIFICATION_FIELD;
  const skipped: string[] = [];
  const usable: { run: RunInput; x: number; facet: string; group: string; curve: XY }[] = [];
  for (const run of runs) {
    if (run.fields.method === 'init') continue;
    const x = Number(run.fields[field]);
    if (run.fields[field] === undefined || run.fields[field] === null || !Number.isFinite(x)) {
      skipped.push(`${run.label}: no numeric ${field}`);
      continue;
    }
    const curve = extractXY(run, 'compute/flops', metric);
    if (curve.x.length < 2) {
      skipped.push(`${run.label}: fewer than two evaluations of ${metric}`);
      continue;
    }
    const facet = spec.facet ? String(run.fields[spec.facet] ?? '—') : '';
    const group = spec.groupBy.length ? groupKey(run.fields, spec.groupBy) : metricLabel(metric);
    usable.push({ run, x, facet, group, curve });
  }
  const matchedCompute = new Map<string, number>();
  for (const u of usable) {
    const key = seriesKey(u.facet, u.group);
    const end = u.curve.x[u.curve.x.length - 1] as number;
    matchedCompute.set(key, Math.min(matchedCompute.get(key) ?? Infinity, end));
  }
  const points: GainPoint[] = [];
  for (const u of usable) {
    const compute = matchedCompute.get(seriesKey(u.facet, u.group)) as number;
    const matched = valueAt(u.curve, compute);
    if (!Number.isFinite(matched)) {
      skipped.push(`${u.run.label}: starts after the matched compute ${compute.toPrecision(4)} GFLOPs of ${u.group}`);
      continue;
    }
    const initial = u.curve.y[0] as number;
    points.push({ run: u.run.id, facet: u.facet, group: u.group, x: u.x, compute, initial, matched, gain: matched - initial });
  }
  return { points, matchedCompute, skipped };
}

function fieldTitle(field: string): string {
  return field === VERIFICATION_FIELD ? 'Verification iterations in training (V)' : field;
}

export function buildGainVs(runs: readonly RunInput[], spec: ViewSpec, samples = 2000): PlotModel {
  const metric = spec.metrics[0] as string;
  const palette = PALETTES[spec.style.palette];
  const { points, matchedCompute, skipped } = gainsAtMatchedCompute(runs, spec);
  const facets = [...new Set(points.map((p) => p.facet))].sort();
  const groups = [...new Set(points.map((p) => p.group))];
  const stat = STATISTICS[spec.statistic];
  const { unit: kind } = metricInfo(metric);
  const unit = kind === 'fraction' ? ' (percentage points)' : UNITS[kind].symbol ? ` (${UNITS[kind].symbol})` : '';
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const panels: Panel[] = (facets.length ? facets : ['']).map((f, i) => ({
    row: 0, col: i, title: spec.facet ? f : '', xTitle: fieldTitle(spec.xField ?? VERIFICATION_FIELD), yTitle: `${metricLabel(metric)} gain${unit}`, xTicks: xs,
  }));
  const traces: Trace[] = [];
  const seedCounts: number[] = [];
  facets.forEach((f, panel) => {
    groups.forEach((g, gi) => {
      const mine = points.filter((p) => p.facet === f && p.group === g);
      if (mine.length === 0) return;
      const color = palette[gi % palette.length] as string;
      const at = [...new Set(mine.map((p) => p.x))].sort((a, b) => a - b);
      const y: number[] = [];
      const minus: number[] = [];
      const plus: number[] = [];
      for (const x of at) {
        const gains = mine.filter((p) => p.x === x).map((p) => p.gain);
        seedCounts.push(gains.length);
        const v = stat(gains);
        const ci = spec.band === 'ci95' && gains.length > 1 ? bootstrapCI(gains, spec.statistic, { samples, seed: spec.bootstrapSeed }) : { low: v, high: v };
        y.push(v);
        minus.push(v - ci.low);
        plus.push(ci.high - v);
      }
      traces.push({ panel, name: g, group: g, color, role: 'points', x: at, y, errorMinus: minus, errorPlus: plus, showLegend: panel === 0 });
      if (spec.showSeeds) traces.push({ panel, name: `${g} (runs)`, group: g, color, role: 'seed-points', x: mine.map((p) => p.x), y: mine.map((p) => p.gain), showLegend: false });
    });
  });
  const notes = [...matchedCompute.entries()].map(([key, c]) => {
    const [facet, group] = key.split('\u0000') as [string, string];
    return `${facet ? `${facet} · ` : ''}${group}: every run read at ${c.toPrecision(4)} GFLOPs, the training compute all of its runs reached (interpolated between evaluations).`;
  });
  notes.push('Gain = the metric there minus the run\'s first evaluation (its starting checkpoint at step 0, same hands and attempt limit).');
  if (skipped.length) notes.push(`Left out: ${skipped.join('; ')}.`);
  return { kind: 'gain-vs', rows: 1, cols: panels.length, panels, traces, notes, caption: captionFor(spec, seedCounts) };
}
