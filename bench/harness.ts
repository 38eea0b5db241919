/**
 * Benchmark harness. Each `bench/*.bench.ts` module default-exports a suite; `npm run bench`
 * runs them all. Every figure is printed next to a baseline measured in the same run (the
 * standards forbid timed unit tests and absolute thresholds that depend on the machine).
 */
import os from 'node:os';

export interface BenchResult {
  /** What was measured, e.g. `solve all 1820 hands (face10)`. */
  name: string;
  value: number;
  /** Unit of value, e.g. `ms`, `answers/s`. */
  unit: string;
  /** Same-run baseline it is compared with, and its value in the same unit. */
  baseline?: { name: string; value: number };
  /** Why the ratio to the baseline means nothing (printed instead of it), e.g. a crippled baseline. */
  invalid?: string;
}

/** The load average, for reading figures taken on a shared machine (another job halves them). */
export function loadAverageLine(): string {
  const [one, five, fifteen] = os.loadavg().map((v) => v.toFixed(2));
  return `load average ${one}, ${five}, ${fifteen} (1, 5, 15 min) on ${os.availableParallelism()} cores`;
}

/**
 * The reference (netlib) BLAS among the libraries a process loaded, or null. Debian's
 * python3-torch links libblas.so.3, whose default alternative without an optimised BLAS is
 * /usr/lib/<triplet>/blas/libblas.so.3: about 25× slower than OpenBLAS (648 instead of ~18k
 * tokens/s in the model bench), so a ratio against it is no comparison.
 */
export function referenceBlas(loaded: string): string | null {
  for (const lib of loaded.split(/,\s*/)) if (/\/blas\/libblas\.so(\.[\d.]+)?$/.test(lib.trim())) return lib.trim();
  return null;
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

/** The median (upper middle for an even count); NaN for no values. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median of every metric over `steps` timed training steps after one untimed warm-up step. */
export function medianStepMetrics(steps: number, run: (step: number) => Record<string, number>): Record<string, number> {
  run(0);
  const all = Array.from({ length: steps }, (_, i) => run(i + 1));
  return Object.fromEntries(Object.keys(all[0] ?? {}).map((k) => [k, median(all.map((m) => m[k] as number))]));
}
