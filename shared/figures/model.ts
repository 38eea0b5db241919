/**
 * The plot model: what a figure draws, independent of plotly. The renderer maps each trace to
 * exactly one plotly trace and the CSV writer writes each trace's points, so the CSV is the
 * plotted data by construction.
 */
import type { RunSeries } from '../api/channels/metrics';

export type FieldValue = string | number | boolean | null;

/**
 * A run's series as the pipeline reads it: the wire's JSON columns (null where a line has no such
 * key), or float64 columns decoded from the compact transfer (NaN there), which the dashboard
 * keeps as they arrive instead of boxing a million values into arrays.
 */
export type SeriesInput = Omit<RunSeries, 'columns' | 'packed'> & { columns: Record<string, ArrayLike<number | null>> };

/** A run as the pipeline sees it: its metadata fields and its series. */
export interface RunInput {
  id: string;
  label: string;
  /** Summary and config fields (`method`, `seed`, `preset`, `experiment`, …). */
  fields: Record<string, FieldValue>;
  series: SeriesInput;
}

/** `points`: a group's statistic at each x with error bars (gain-vs); `seed-points`: each run's value there. */
export type TraceRole = 'mean' | 'band-low' | 'band-high' | 'raw' | 'seed' | 'envelope-low' | 'envelope-high' | 'bar' | 'points' | 'seed-points';

export interface Trace {
  /** Index into PlotModel.panels. */
  panel: number;
  name: string;
  /** Traces of one group share a colour and a legend entry. */
  group: string;
  color: string;
  role: TraceRole;
  x: (number | string)[];
  y: number[];
  /** Bars: half-widths of the error bar below and above y. */
  errorMinus?: number[];
  errorPlus?: number[];
  showLegend: boolean;
}

export interface Panel {
  row: number;
  col: number;
  title: string;
  xTitle: string;
  yTitle: string;
  /** Tick positions of a numeric x axis whose values are few and meaningful (gain-vs: the V values). */
  xTicks?: number[];
}

export interface PlotModel {
  kind: 'curves' | 'ood-change' | 'gain-vs';
  rows: number;
  cols: number;
  panels: Panel[];
  traces: Trace[];
  /** Things the reader must know: downsampling, missing data, what "initial" means. */
  notes: string[];
  caption: string;
}

// Names and units of metrics live in ./metrics.ts (one registry); re-exported for the pipeline.
export { metricLabel } from './metrics';
