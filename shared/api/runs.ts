/** Run store records as the API exposes them (the run store on disk is the source of truth). */
import { z } from 'zod';

/** A run id is a folder name in the data directory: no separators, no `..`, no hidden files. */
export const runIdSchema = z
  .string()
  .min(1, 'run id is empty')
  .max(128, 'run id is longer than 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'run id may contain only letters, digits, ".", "_" and "-", and must not start with "." or "-"')
  .refine((s) => !s.includes('..'), 'run id must not contain ".."');

export const RUN_STATUSES = ['created', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;

/** The `run.json` file of a run folder. */
export const runManifestSchema = z.object({
  format: z.literal(1),
  id: runIdSchema,
  name: z.string().max(200),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(RUN_STATUSES),
  /** Task id, e.g. `GeneralPoints-v0`. */
  task: z.string().max(100),
  /** Experiment preset or method label, e.g. `gp-rule`, `sft`, `rl`. */
  method: z.string().max(100),
  seed: z.number().int(),
  /** The full experiment config as launched. */
  config: z.record(z.string(), z.unknown()),
  /** Versions of the workbench, Node and tfjs backend that produced the run. */
  versions: z.record(z.string(), z.string()),
  error: z.string().optional(),
  /** The sweep (`sftrl sweep`) that made the run; its folder is sweeps/<id>/ beside the runs. */
  sweep: z.string().max(128).optional(),
});
export type RunManifest = z.infer<typeof runManifestSchema>;

/**
 * One row of the runs list. A folder whose run.json is unreadable is listed as `corrupt` with
 * `problem`, never hidden; a run whose run.json says `running` but whose writer is gone (killed,
 * crashed) is `interrupted`, and resumable.
 */
export const runSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.union([z.enum(RUN_STATUSES), z.literal('corrupt'), z.literal('interrupted')]),
  task: z.string(),
  method: z.string(),
  seed: z.number().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** Readable metrics records (a truncated or unreadable line is not one: it is in metricsWarnings). */
  metricsCount: z.number().int(),
  problem: z.string().optional(),
  /** Lines of metrics.jsonl skipped (e.g. a truncated last line after a crash). */
  metricsWarnings: z.array(z.string()).optional(),
  /** The sweep that made the run, if any. */
  sweep: z.string().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runDetailSchema = z.object({
  summary: runSummarySchema,
  manifest: runManifestSchema.nullable(),
  /** Latest value of every metric key. */
  lastMetrics: z.record(z.string(), z.number()),
  episodeFiles: z.array(z.string()),
  checkpoints: z.array(z.string()),
  /** Lines of metrics.jsonl that could not be read (a truncated last line is normal after a crash). */
  warnings: z.array(z.string()),
});
export type RunDetail = z.infer<typeof runDetailSchema>;
