/** Channels of the training engine: presets, launching experiments, jobs, resume. */
import { z } from 'zod';
import { experimentConfigSchema } from '../../experiments/config';
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
  status: z.enum(['running', 'completed', 'failed', 'cancelled']),
  stage: z.string().optional(),
  step: z.number().optional(),
  total: z.number().optional(),
  etaSeconds: z.number().nullable().optional(),
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
    request: z.object({ config: experimentConfigSchema, quick: z.boolean() }).strict(),
    response: z.object({ experimentId: z.string(), job: jobInfoSchema }),
  },
  'jobs:list': {
    method: 'listJobs',
    summary: 'Jobs started since the workbench opened, with their latest progress.',
    request: noPayload,
    response: z.array(jobInfoSchema),
  },
  'jobs:cancel': {
    method: 'cancelJob',
    summary: 'Cancel a running job; it saves a checkpoint first so the run can be resumed.',
    request: z.object({ jobId: z.string().regex(/^job-[0-9a-f]{12}$/, 'not a job id') }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'runs:resume': {
    method: 'resumeRun',
    summary: 'Resume the experiment a run belongs to, from the last checkpoints.',
    request: z.object({ id: runIdSchema }).strict(),
    response: z.object({ experimentId: z.string(), job: jobInfoSchema }),
  },
} as const;
