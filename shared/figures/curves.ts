/**
 * The curves figure: one panel per (metric row × facet column), one line per group. Smoothing is
 * done per run at full resolution; groups of several runs are aligned on a common x grid and
 * summarised by mean or IQM with a percentile-bootstrap 95% band; long curves are drawn as a
 * mean line plus min/max envelope, and the figure says so.
 */
import { bootstrapBand, STATISTICS } from '../stats/aggregate';
import { commonGrid, interpolateOnto, minMaxEnvelope } from '../stats/align';
import { extractXY, groupKey, sharedUnit, smoothRun, type XY } from './extract';
import { axisTitle, metricLabel } from './metrics';
import type { Panel, PlotModel, RunInput, Trace } from './model';
import { PALETTES, type ViewSpec } from './spec';
import { captionFor } from './caption';

export interface CurveOptions {
  /** Most points drawn per line before the min/max envelope takes over. */
  maxDisplayPoints?: number;
  /** Most grid points a group aggregate is evaluated at. */
  maxGridPoints?: number;
  bootstrapSamples?: number;
}

/** Facet values in first-seen order of the runs (stable across regroups). */
export function facetValues(runs: readonly RunInput[], facet: string | null): string[] {
  if (!facet) return [''];
  return [...new Set(runs.map((r) => String(r.fields[facet] ?? '—')))];
}

interface Drawn {
  traces: Trace[];
  envelopes: number;
}

/** A single curve, enveloped when it is longer than the display budget. */
function drawLine(base: Omit<Trace, 'x' | 'y' | 'role'>, role: 'mean' | 'raw' | 'seed', curve: XY, maxPoints: number, envelope: boolean): Drawn {
  if (curve.x.length <= maxPoints) return { traces: [{ ...base, role, x: curve.x, y: curve.y }], envelopes: 0 };
  const env = minMaxEnvelope(curve, maxPoints);
  const traces: Trace[] = [{ ...base, role, x: env.x, y: env.mean }];
  if (envelope) {
    traces.unshift(
      { ...base, name: `${base.name} (min)`, role: 'envelope-low', x: env.x, y: env.min, showLegend: false },
      { ...base, name: `${base.name} (max)`, role: 'envelope-high', x: env.x, y: env.max, showLegend: false },
    );
  }
  return { traces, envelopes: 1 };
}

/**
 * commonGrid, without building the union of every x when one series alone already has more
 * distinct x than the grid may hold (then the union does too, and the grid is evenly spaced):
 * that union is 250k values for 25 seeds × 10k steps, and cost more than all the statistics.
 */
function gridFor(series: readonly XY[], maxGrid: number): number[] & { evenly?: boolean } {
  let lo = Infinity;
  let hi = -Infinity;
  let widest = 0;
  for (const s of series) {
    if (s.x.length === 0) continue;
    lo = Math.min(lo, s.x[0] as number);
    hi = Math.max(hi, s.x[s.x.length - 1] as number);
    let distinct = 1;
    for (let i = 1; i < s.x.length; i++) if (s.x[i] !== s.x[i - 1]) distinct++;
    widest = Math.max(widest, distinct);
  }
  if (widest <= maxGrid) {
    const grid: number[] & { evenly?: boolean } = commonGrid(series, maxGrid);
    grid.evenly = grid.length === maxGrid && new Set(series.flatMap((s) => s.x)).size > maxGrid;
    return grid;
  }
  const grid: number[] & { evenly?: boolean } = Array.from({ length: maxGrid }, (_, i) => lo + ((hi - lo) * i) / (maxGrid - 1));
  grid.evenly = true;
  return grid;
}

/**
 * Points drawn per figure across every full-resolution trace (raw lines, single runs with their
 * min/max envelope, individual seeds), before lines are bucketed harder: plotly's draw time grows
 * with the points, and a regroup to 50 single-seed lines is drawn under a tenth of a second.
 */
const DISPLAY_BUDGET = 40_000;

/** How many full-resolution traces (single runs with their envelopes, raw curves, individual seeds) the figure draws. */
function countTraces(runs: readonly RunInput[], spec: ViewSpec, facets: readonly string[]): number {
  const withRaw = spec.showRaw && spec.smoothing.kind !== 'none' ? 1 : 0;
  let traces = 0;
  for (const facet of facets) {
    const inPanel = runs.filter((r) => !spec.facet || String(r.fields[spec.facet] ?? '—') === facet);
    const sizes = new Map<string, number>();
    for (const r of inPanel) {
      const g = spec.groupBy.length ? groupKey(r.fields, spec.groupBy) : r.label;
      sizes.set(g, (sizes.get(g) ?? 0) + 1);
    }
    // A single run: its line with a min/max envelope (3 traces), and its raw line.
    for (const n of sizes.values()) traces += n === 1 ? 3 + withRaw : spec.showSeeds ? n : 0;
  }
  return traces * spec.metrics.length;
}

interface Aggregate {
  grid: number[];
  center: number[];
  low: number[];
  high: number[];
  rawCenter: number[] | null;
  evenly: boolean;
  trimmed: boolean;
  disjoint: boolean;
}

/** A stable number per curve object (curves are memoised per run's series: extract.ts). */
const curveIds = new WeakMap<object, number>();
let nextCurveId = 1;
function curveId(o: object): number {
  let id = curveIds.get(o);
  if (id === undefined) curveIds.set(o, (id = nextCurveId++));
  return id;
}

/**
 * Group aggregates already computed, by their inputs: regrouping back to a grouping drawn before,
 * or restyling, reuses them instead of re-running the bootstrap (the slowest step of a figure).
 */
const aggregates = new Map<string, Aggregate>();
const MAX_AGGREGATES = 64;

/** Forget the reused aggregates (the benchmark times a regroup that cannot reuse them). */
export function clearAggregates(): void {
  aggregates.clear();
}

/**
 * A group's statistic and band over the x range all its seeds reached, on a common grid: past
 * the first seed's end the mean would jump to a different set of seeds and the band would flare
 * from fewer of them.
 */
function groupAggregate(series: readonly XY[], raw: readonly XY[], spec: ViewSpec, maxGrid: number, samples: number): Aggregate {
  const withRaw = spec.showRaw && spec.smoothing.kind !== 'none';
  const key = [
    series.map((s) => `${curveId(s.x)}:${curveId(s.y)}`).join(','), withRaw ? raw.map((s) => curveId(s.y)).join(',') : '-',
    spec.statistic, spec.band, spec.bootstrapSeed, samples, maxGrid,
  ].join('|');
  const hit = aggregates.get(key);
  if (hit) {
    aggregates.delete(key);
    aggregates.set(key, hit); // most recently used last
    return hit;
  }
  const fullGrid = gridFor(series, maxGrid);
  const lo = Math.max(...series.map((s) => s.x[0] as number));
  const hi = Math.min(...series.map((s) => s.x[s.x.length - 1] as number));
  const grid = lo <= hi ? fullGrid.filter((x) => x >= lo && x <= hi) : fullGrid;
  const aligned = series.map((s) => interpolateOnto(s, grid));
  const stat = STATISTICS[spec.statistic];
  const center: number[] = [];
  const column = new Array<number>();
  grid.forEach((_, i) => {
    column.length = 0;
    for (const a of aligned) { const v = a[i] as number; if (Number.isFinite(v)) column.push(v); }
    center.push(stat(column));
  });
  const { low, high } = spec.band === 'ci95' ? bootstrapBand(aligned, spec.statistic, { samples, seed: spec.bootstrapSeed }) : { low: [], high: [] };
  let rawCenter: number[] | null = null;
  if (withRaw) {
    const rawAligned = raw.map((c) => interpolateOnto(c, grid));
    rawCenter = grid.map((_, i) => stat(rawAligned.map((a) => a[i] as number).filter(Number.isFinite)));
  }
  const agg: Aggregate = {
    grid, center, low, high, rawCenter,
    evenly: fullGrid.length === maxGrid && fullGrid.evenly === true, trimmed: lo <= hi && grid.length < fullGrid.length, disjoint: lo > hi,
  };
  aggregates.set(key, agg);
  if (aggregates.size > MAX_AGGREGATES) aggregates.delete(aggregates.keys().next().value as string);
  return agg;
}

export function buildCurves(runs: readonly RunInput[], spec: ViewSpec, opts: CurveOptions = {}): PlotModel {
  const facets = facetValues(runs, spec.facet);
  const tracesDrawn = countTraces(runs, spec, facets);
  // Points per drawn trace: 1500 for a few lines, fewer when many share the figure (50 seeds each
  // drawn alone with raw line and envelope would be 300k points, and plotly's draw time grows
  // with them); at least 200 buckets, each with its min and max, across a panel ~600 px wide.
  const maxDisplay = opts.maxDisplayPoints ?? Math.max(200, Math.min(1500, Math.floor(DISPLAY_BUDGET / Math.max(1, tracesDrawn))));
  const maxGrid = opts.maxGridPoints ?? 600;
  const samples = opts.bootstrapSamples ?? 1000;
  const palette = PALETTES[spec.style.palette];
  const groupNames = [...new Set(runs.map((r) => (spec.groupBy.length ? groupKey(r.fields, spec.groupBy) : r.label)))];
  const colorOf = (g: string) => palette[groupNames.indexOf(g) % palette.length] as string;
  const panels: Panel[] = [];
  const traces: Trace[] = [];
  const notes: string[] = [];
  const seedCounts: number[] = [];
  let enveloped = 0;
  let gridded = 0;
  let empty = 0;
  let trimmed = 0;
  let disjoint = 0;

  spec.metrics.forEach((metric, row) => {
    facets.forEach((facet, col) => {
      const panel = panels.length;
      panels.push({ row, col, title: [facet, spec.metrics.length > 1 || facets.length > 1 ? metricLabel(metric) : ''].filter(Boolean).join(' — '), xTitle: axisTitle(spec.x), yTitle: axisTitle(metric, spec.metrics.length > 1) }); // several rows: the panel title names the metric
      const inPanel = runs.filter((r) => !spec.facet || String(r.fields[spec.facet] ?? '—') === facet);
      const curves = new Map(inPanel.map((r) => [r.id, extractXY(r, spec.x, metric)]));
      const unit = sharedUnit([...curves.values()]);
      const smoothed = new Map(inPanel.map((r) => [r.id, { x: (curves.get(r.id) as XY).x, y: smoothRun(r, spec.x, metric, spec.smoothing, unit) }]));
      for (const g of groupNames) {
        const members = inPanel.filter((r) => (spec.groupBy.length ? groupKey(r.fields, spec.groupBy) : r.label) === g && (curves.get(r.id)?.x.length ?? 0) > 0);
        if (members.length === 0) continue;
        const base = { panel, group: g, color: colorOf(g), showLegend: !traces.some((t) => t.group === g && t.showLegend) };
        const name = members.length > 1 ? `${g} (n=${members.length})` : g;
        if (members.length === 1) {
          const only = members[0] as RunInput;
          if (spec.showRaw && spec.smoothing.kind !== 'none') {
            const d = drawLine({ ...base, name: `${name} (raw)`, showLegend: false }, 'raw', curves.get(only.id) as XY, maxDisplay, false);
            traces.push(...d.traces);
          }
          const d = drawLine({ ...base, name }, 'mean', smoothed.get(only.id) as XY, maxDisplay, true);
          traces.push(...d.traces);
          enveloped += d.envelopes;
          seedCounts.push(1);
          continue;
        }
        seedCounts.push(members.length);
        const series = members.map((r) => smoothed.get(r.id) as XY);
        const agg = groupAggregate(series, members.map((r) => curves.get(r.id) as XY), spec, maxGrid, samples);
        if (agg.evenly) gridded++;
        if (agg.disjoint) disjoint++;
        else if (agg.trimmed) trimmed++;
        const { grid, center, low, high } = agg;
        if (agg.rawCenter) traces.push({ ...base, name: `${name} (raw)`, role: 'raw', x: grid, y: agg.rawCenter, showLegend: false });
        if (spec.band === 'ci95') {
          traces.push({ ...base, name: `${name} 95% CI (low)`, role: 'band-low', x: grid, y: low, showLegend: false });
          traces.push({ ...base, name: `${name} 95% CI (high)`, role: 'band-high', x: grid, y: high, showLegend: false });
        }
        if (spec.showSeeds) {
          members.forEach((r) => {
            const d = drawLine({ ...base, name: `${r.label}`, showLegend: false }, 'seed', smoothed.get(r.id) as XY, maxDisplay, false);
            traces.push(...d.traces);
          });
        }
        traces.push({ ...base, name, role: 'mean', x: grid, y: center });
      }
      if (!traces.some((t) => t.panel === panel)) empty++;
    });
  });

  if (enveloped) notes.push(`Downsampled for display: ${enveloped} curve(s) longer than ${maxDisplay} points are drawn as bucket means with a min/max envelope; smoothing used every logged point.`);
  if (gridded) notes.push(`${gridded} group aggregate(s) evaluated on a ${maxGrid}-point common grid (linear interpolation between logged points; a seed counts only inside its own x range).`);
  if (trimmed) notes.push(`${trimmed} group aggregate(s) drawn over the x range all their seeds reached (individual seeds show the rest).`);
  if (disjoint) notes.push(`${disjoint} group(s) have seeds with no x range in common: their aggregate uses whichever seeds cover each point.`);
  if (empty) notes.push(`${empty} panel(s) have no data for the chosen metric and x axis.`);
  return { kind: 'curves', rows: spec.metrics.length, cols: facets.length, panels, traces, notes, caption: captionFor(spec, seedCounts) };
}
