/** One entry point: a view spec and its runs' data to a plot model. */
import { buildOodChange } from './bars';
import { buildCurves, type CurveOptions } from './curves';
import { buildGainVs } from './gain';
import type { PlotModel, RunInput } from './model';
import type { ViewSpec } from './spec';

export function buildFigure(runs: readonly RunInput[], spec: ViewSpec, opts: CurveOptions = {}): PlotModel {
  const selected = new Set(spec.runs);
  const chosen = runs.filter((r) => selected.has(r.id));
  if (spec.kind === 'gain-vs') return buildGainVs(chosen, spec);
  return spec.kind === 'ood-change' ? buildOodChange(chosen, spec) : buildCurves(chosen, spec, opts);
}
