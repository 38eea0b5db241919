/** Channels of the training engine: presets, launching experiments, the job queue, resume. */
import { z } from 'zod';
import { experimentConfigSchema } from '../../experiments/config';
import { MAX_SEEDS } from '../../experiments/seeds';
import { JOB_STATUSES } from '../events';
import { runIdSchema } from '../runs';
import { noPayload } from './core';

export const presetSchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  available: z.boolean(),
  unavailableReason: z.string().optional(),
  config: experimentConfigSchema,
});

export const jobInfoSchema = z.object({
  jobId: z.string(),
  runId: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  /** Jobs that must complete before this one starts (an experiment's branches wait for its init). */
  dependsOn: z.array(z.string()),
  stage: z.string().optional(),
  step: z.number().optional(),
  total: z.number().optional(),
  etaSeconds: z.number().nullable().optional(),
  /** The worker's latest and highest resident memory, in MB. */
  rssMb: z.number().optional(),
  peakRssMb: z.number().optional(),
  /** The highest JavaScript heap seen, in MB: the part the worker's heap cap bounds (tensors live outside it). */
  peakHeapMb: z.number().optional(),
  /** Why it failed, or why it was never started (e.g. the init job it waited for failed). */
  message: z.string().optional(),
});
export type JobInfoView = z.infer<typeof jobInfoSchema>;

export const experimentChannels = {
  'experiments:presets': {
    method: 'listPresets',
    summary: 'The experiment presets with their default configs.',
    request: noPayload,
    response: z.array(presetSchema),
  },
  'experiments:launch': {
    method: 'launchExperiment',
    summary: 'Start an experiment as a background job; its runs appear in the run store.',
    request: z
      .object({
        config: experimentConfigSchema,
        quick: z.boolean(),
        /** One experiment per seed (replacing config.seed), all queued at once; absent: config.seed alone. */
        seeds: z
          .array(z.number().int().min(0))
          .min(1)
          .max(MAX_SEEDS)
          .refine((s) => new Set(s).size === s.length, 'a seed is listed twice')
          .optional(),
      })
      .strict(),
    response: z.object({ experimentIds: z.array(z.string()), jobs: z.array(jobInfoSchema) }),
  },
  'jobs:list': {
    method: 'listJobs',
    summary: 'Jobs queued or started since the workbench opened, with their latest progress, and how many may run at once.',
    request: noPayload,
    response: z.object({ concurrency: z.number().int().positive(), jobs: z.array(jobInfoSchema) }),
  },
  'jobs:cancel': {
    method: 'cancelJob',
    summary: 'Cancel a job: a queued one never starts; a running one saves a checkpoint first so the run can be resumed.',
    request: z.object({ jobId: z.string().regex(/^job-[0-9a-f]{12}$/, 'not a job id') }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'runs:resume': {
    method: 'resumeRun',
    summary: 'Resume the experiment a run belongs to, from the last checkpoints: its unfinished runs are queued again.',
    request: z.object({ id: runIdSchema }).strict(),
    response: z.object({ experimentId: z.string(), jobs: z.array(jobInfoSchema) }),
  },
} as const;
