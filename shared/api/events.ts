/** Events pushed from the main process to every renderer (job progress, status changes, logs). */
import { z } from 'zod';

/** A job waits `queued` (for a free slot or the jobs it depends on), runs, then ends in one of the last three. */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    jobId: z.string(),
    runId: z.string(),
    stage: z.string(),
    step: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** Estimated seconds left in this stage, null until enough steps were timed. */
    etaSeconds: z.number().nullable(),
    /** Latest logged metrics, namespaced (`train/loss`, `eval/ood/success`, …). */
    metrics: z.record(z.string(), z.number()),
    /** The worker's resident memory in MB when it reported (each worker's memory is bounded: see electron/jobs/spawn-node.ts). */
    rssMb: z.number().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('status'),
    jobId: z.string(),
    runId: z.string(),
    status: z.enum(JOB_STATUSES),
    message: z.string().optional(),
  }),
  z.object({
    type: z.literal('log'),
    jobId: z.string(),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
  }),
]);
export type JobEvent = z.infer<typeof jobEventSchema>;
