/** Learning-rate schedules: linear warmup, then cosine decay to a floor, or constant. */
export interface LrSchedule {
  /** `cosine`: warmup then cosine to minLr at totalSteps; `constant`: warmup then peak. */
  kind: 'cosine' | 'constant';
  /** Peak learning rate. */
  peak: number;
  /** Steps of linear warmup from peak/warmupSteps to peak (0 = none). */
  warmupSteps: number;
  /** Step at which the cosine reaches minLr (ignored by `constant`). */
  totalSteps: number;
  /** Final learning rate of the cosine. */
  minLr: number;
}

/** Learning rate for the update with 0-based index `step`. */
export function lrAt(s: LrSchedule, step: number): number {
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  if (s.kind === 'constant') return s.peak;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, Math.max(0, (step - s.warmupSteps) / span));
  return s.minLr + 0.5 * (s.peak - s.minLr) * (1 + Math.cos(Math.PI * progress));
}
