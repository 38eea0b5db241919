/**
 * The paper's summary bar chart (Fig. 1 / 6 / 7): for each setting (facet) and method (group),
 * the change of a metric from the initial checkpoint to the end of training, summarised over
 * seeds with a bootstrap 95% CI as error bars.
 */
import { bootstrapCI, STATISTICS } from '../stats/aggregate';
import { captionFor } from './caption';
import { extractXY, groupKey } from './extract';
import { metricInfo, metricLabel, UNITS } from './metrics';
import type { PlotModel, RunInput, Trace } from './model';
import { PALETTES, type ViewSpec } from './spec';
import { facetValues } from './curves';

export interface Change {
  run: string;
  facet: string;
  group: string;
  initial: number;
  final: number;
  /** Where `initial` came from: the experiment's init run, or the branch's own first evaluation. */
  source: 'init-run' | 'first-eval';
}

/** Per branch run: final value minus initial (the init run's final value, else its own first). */
export function changes(runs: readonly RunInput[], spec: ViewSpec): Change[] {
  const metric = spec.metrics[0] as string;
  const initOf = new Map<string, number>();
  for (const r of runs) {
    if (r.fields.method !== 'init') continue;
    const c = extractXY(r, 'seq', metric);
    if (c.y.length) initOf.set(String(r.fields.experiment ?? r.id.replace(/-init$/, '')), c.y[c.y.length - 1] as number);
  }
  const out: Change[] = [];
  for (const r of runs) {
    if (r.fields.method === 'init') continue;
    const c = extractXY(r, 'seq', metric); // logged order: first and last evaluation
    if (c.y.length === 0) continue;
    // rl-no-sft starts from the base, not the init: its own first evaluation is its initial value.
    const fromInit = r.fields.parentCheckpoint === 'base' ? undefined : initOf.get(String(r.fields.experiment ?? ''));
    out.push({
      run: r.id, facet: spec.facet ? String(r.fields[spec.facet] ?? '—') : '', group: spec.groupBy.length ? groupKey(r.fields, spec.groupBy) : r.label,
      initial: fromInit ?? (c.y[0] as number), final: c.y[c.y.length - 1] as number, source: fromInit === undefined ? 'first-eval' : 'init-run',
    });
  }
  return out;
}

export function buildOodChange(runs: readonly RunInput[], spec: ViewSpec, samples = 2000): PlotModel {
  const metric = spec.metrics[0] as string;
  const palette = PALETTES[spec.style.palette];
  const list = changes(runs, spec);
  const facets = facetValues(runs.filter((r) => r.fields.method !== 'init'), spec.facet);
  const groups = [...new Set(list.map((c) => c.group))];
  const stat = STATISTICS[spec.statistic];
  const traces: Trace[] = [];
  const seedCounts: number[] = [];
  groups.forEach((g, gi) => {
    const y: number[] = [];
    const minus: number[] = [];
    const plus: number[] = [];
    for (const f of facets) {
      const deltas = list.filter((c) => c.group === g && c.facet === f).map((c) => c.final - c.initial);
      if (deltas.length) seedCounts.push(deltas.length);
      const v = stat(deltas);
      const ci = spec.band === 'ci95' && deltas.length > 1 ? bootstrapCI(deltas, spec.statistic, { samples, seed: spec.bootstrapSeed }) : { low: v, high: v };
      y.push(v);
      minus.push(Number.isFinite(v) ? v - ci.low : Number.NaN);
      plus.push(Number.isFinite(v) ? ci.high - v : Number.NaN);
    }
    traces.push({ panel: 0, name: g, group: g, color: palette[gi % palette.length] as string, role: 'bar', x: facets.map((f) => f || metricLabel(metric)), y, errorMinus: minus, errorPlus: plus, showLegend: true });
  });
  const notes: string[] = [];
  const fromBase = new Set(runs.filter((r) => r.fields.parentCheckpoint === 'base').map((r) => r.id));
  const fromFirst = list.filter((c) => c.source === 'first-eval' && !fromBase.has(c.run)).length;
  if (fromFirst) notes.push(`${fromFirst} run(s) without their init run selected: "initial" is the branch's own first evaluation (the init checkpoint at step 0).`);
  if (list.some((c) => fromBase.has(c.run))) notes.push('rl-no-sft starts from the base (before the initial SFT): its "initial" is its own first evaluation, the base checkpoint at step 0.');
  notes.push('"Final" is each run\'s last evaluation; runs of one setting should end at equal compute for the comparison to be fair.');
  const { unit: kind } = metricInfo(metric);
  const unit = kind === 'fraction' ? ' (percentage points)' : UNITS[kind].symbol ? ` (${UNITS[kind].symbol})` : '';
  return {
    kind: 'ood-change', rows: 1, cols: 1,
    panels: [{ row: 0, col: 0, title: '', xTitle: spec.facet ?? '', yTitle: `Δ ${metricLabel(metric)}${unit}` }],
    traces, notes, caption: captionFor(spec, seedCounts),
  };
}
