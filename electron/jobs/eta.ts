/** Estimates the time left in a stage from the steps done since the stage's first report. */
export class EtaEstimator {
  private readonly starts = new Map<string, { t: number; step: number }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Seconds left, or null until two reports of the same stage have been seen. */
  update(stage: string, step: number, total: number): number | null {
    const t = this.now();
    const start = this.starts.get(stage);
    if (!start || step < start.step) {
      this.starts.set(stage, { t, step });
      return null;
    }
    const done = step - start.step;
    if (done <= 0) return null;
    const perStep = (t - start.t) / 1000 / done;
    return Math.max(0, (total - step) * perStep);
  }
}
