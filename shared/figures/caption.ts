/** The caption stub exported with a figure: smoothing, seeds and band, stated plainly. */
import type { ViewSpec } from './spec';

export function smoothingText(spec: Pick<ViewSpec, 'smoothing'>): string {
  const s = spec.smoothing;
  if (s.kind === 'ema' && s.weight > 0) return `EMA ${s.weight} (time-weighted, debiased)`;
  if (s.kind === 'savgol') return `Savitzky–Golay (window ${s.window}, order 3)`;
  return 'no smoothing';
}

function seedsText(counts: readonly number[]): string {
  if (counts.length === 0) return 'no runs';
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  const n = lo === hi ? `${lo}` : `${lo}–${hi}`;
  return `${n} seed${hi === 1 ? '' : 's'} per group`;
}

/** e.g. "EMA 0.6 (time-weighted, debiased), 3 seeds per group, mean with 95% bootstrap CI." */
export function captionFor(spec: ViewSpec, seedCounts: readonly number[]): string {
  const stat = spec.statistic === 'iqm' ? 'interquartile mean' : 'mean';
  const multi = seedCounts.some((c) => c > 1);
  const band = spec.band === 'ci95' && multi ? ` with 95% percentile-bootstrap CI (over seeds, seed ${spec.bootstrapSeed})` : '';
  const parts =
    spec.kind === 'curves'
      ? [smoothingText(spec), seedsText(seedCounts), `${multi ? stat : 'single runs'}${band}`]
      : spec.kind === 'gain-vs'
        ? [seedsText(seedCounts), `${stat} gain from each branch's starting checkpoint at matched training compute${band}`]
        : [seedsText(seedCounts), `${stat} change from the initial checkpoint${band}`];
  return `${parts.join(', ')}.`;
}
