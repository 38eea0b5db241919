/** Channels of the results dashboard (issue 6): a run catalog for the table, and metric series. */
import { z } from 'zod';
import { fieldKeySchema } from '../../figures/spec';
import { runIdSchema, runSummarySchema } from '../runs';
import { noPayload } from './core';

/** How many runs one `runs:metrics` call may read (the dashboard pages through more). */
export const MAX_METRIC_RUNS = 200;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One row of the dashboard's run table: summary, flattened scalar config fields, metric keys. */
export const runCatalogRowSchema = runSummarySchema.pick({ id: true, name: true, status: true, task: true, method: true, seed: true, createdAt: true }).extend({
  /** Config fields as dotted paths (`preset`, `variant`, `experiment`, `rl.steps`, …), scalars only. */
  fields: z.record(z.string(), scalar),
  /** Numeric metric keys seen in metrics.jsonl. */
  keys: z.array(z.string()),
  /** Latest value of each metric key. */
  last: z.record(z.string(), z.number()),
  points: z.number().int(),
  problem: z.string().optional(),
});
export type RunCatalogRow = z.infer<typeof runCatalogRowSchema>;

/**
 * One run's metrics, column-wise: entry i of every column belongs to the same metrics.jsonl line
 * (null where that line has no such key), so x and y columns pair up without a join. Without
 * `keys` every line is sent; with `keys`, only the lines that have at least one of them (an
 * evaluation metric is on one line in hundreds: the others would be nulls).
 */
export const runSeriesSchema = z.object({
  id: z.string(),
  /** Lines sent: the length of every column. */
  points: z.number().int(),
  /** Records in the file (points ≤ total). */
  total: z.number().int(),
  columns: z.record(z.string(), z.array(z.number().nullable())),
  /**
   * With `encoding: 'f64'` the columns come here instead (and `columns` is empty): each the base64
   * of little-endian float64 values, NaN where the line has no such key. A 10k-point run is a fifth
   * of the JSON's parse time and two thirds of its size (the dashboard's 50-run cold start).
   */
  packed: z.record(z.string(), z.string()).optional(),
  /** The `stage` label (the run's method) and `phase` of the lines, run-length: from line `start` on. */
  segments: z.array(z.object({ start: z.number().int(), stage: z.string().nullable(), phase: z.string().nullable() })),
  warnings: z.array(z.string()),
});
export type RunSeries = z.infer<typeof runSeriesSchema>;

export const metricsChannels = {
  'runs:catalog': {
    method: 'runCatalog',
    summary: 'Every run with its flattened config fields, metric keys and latest values, for the dashboard table.',
    request: noPayload,
    response: z.array(runCatalogRowSchema),
  },
  'runs:metrics': {
    method: 'runMetrics',
    summary: `Metric series of up to ${MAX_METRIC_RUNS} runs, column-wise; with keys, only those keys (plus the x keys: step, seq, compute/flops unless named) on the lines that have them.`,
    request: z
      .object({
        ids: z.array(runIdSchema).min(1, 'ids names no run').max(MAX_METRIC_RUNS, `at most ${MAX_METRIC_RUNS} runs per call`),
        keys: z.array(fieldKeySchema).max(64, 'at most 64 keys per call').optional(),
        /** The x columns sent with `keys` (default step, seq and compute/flops). */
        x: z.array(fieldKeySchema).max(4, 'at most 4 x keys per call').optional(),
        /** `json` (default): columns as arrays; `f64`: as base64 float64 in `packed`. */
        encoding: z.enum(['json', 'f64']).optional(),
      })
      .strict(),
    response: z.object({ runs: z.array(runSeriesSchema), missing: z.array(z.string()) }),
  },
} as const;
