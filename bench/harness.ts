/**
 * Benchmark harness. Each `bench/*.bench.ts` module default-exports a suite; `npm run bench`
 * runs them all. Every figure is printed next to a baseline measured in the same run (the
 * standards forbid timed unit tests and absolute thresholds that depend on the machine).
 */
export interface BenchResult {
  /** What was measured, e.g. `solve all 1820 hands (face10)`. */
  name: string;
  value: number;
  /** Unit of value, e.g. `ms`, `answers/s`. */
  unit: string;
  /** Same-run baseline it is compared with, and its value in the same unit. */
  baseline?: { name: string; value: number };
}

export type BenchSuite = () => Promise<BenchResult[]>;

/** Median wall time in ms of `fn` over `runs` runs after `warmup` untimed runs. */
export async function timeMedian(fn: () => unknown | Promise<unknown>, runs = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** Operations per second of `fn` run `n` times in a loop (median of `runs`). */
export async function opsPerSecond(fn: (i: number) => unknown, n: number, runs = 5): Promise<number> {
  const ms = await timeMedian(() => {
    for (let i = 0; i < n; i++) fn(i);
  }, runs);
  return (n / ms) * 1000;
}
