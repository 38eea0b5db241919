/**
 * The plot model: what a figure draws, independent of plotly. The renderer maps each trace to
 * exactly one plotly trace and the CSV writer writes each trace's points, so the CSV is the
 * plotted data by construction.
 */
import type { RunSeries } from '../api/channels/metrics';

export type FieldValue = string | number | boolean | null;

/** A run as the pipeline sees it: its metadata fields and its series. */
export interface RunInput {
  id: string;
  label: string;
  /** Summary and config fields (`method`, `seed`, `preset`, `experiment`, …). */
  fields: Record<string, FieldValue>;
  series: RunSeries;
}

export type TraceRole = 'mean' | 'band-low' | 'band-high' | 'raw' | 'seed' | 'envelope-low' | 'envelope-high' | 'bar';

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
}

export interface PlotModel {
  kind: 'curves' | 'ood-change';
  rows: number;
  cols: number;
  panels: Panel[];
  traces: Trace[];
  /** Things the reader must know: downsampling, missing data, what "initial" means. */
  notes: string[];
  caption: string;
}

export const METRIC_LABELS: Record<string, string> = {
  'eval/id/success': 'ID success',
  'eval/ood/success': 'OOD success',
  'eval/id/success_first': 'ID success (first try)',
  'eval/ood/success_first': 'OOD success (first try)',
  'train/loss': 'Training loss',
  'rl/reward': 'Reward',
  'rl/approx_kl': 'Approx. KL',
  'rl/clipfrac': 'Clip fraction',
  'rl/entropy': 'Entropy',
  'perf/tokens_per_s': 'Tokens per second',
  'compute/flops': 'Training compute (GFLOPs)',
  step: 'Step',
  seq: 'Logged record',
};

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key;
}

/** Success and accuracy are fractions on disk and percentages in the paper's figures. */
export function isPercent(key: string): boolean {
  return /(^|\/)(success|accuracy)[^/]*$/.test(key);
}

/** The value of x as plotted: FLOPs become GFLOPs (the paper's axis). */
export function xScale(key: string): number {
  return key === 'compute/flops' ? 1e-9 : 1;
}
