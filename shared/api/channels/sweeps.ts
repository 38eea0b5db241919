/** Channels of sweeps (`sftrl sweep`): their runs grouped, with each run's Slurm state. */
import { z } from 'zod';
import { noPayload } from './core';

export const sweepRunViewSchema = z.object({
  runId: z.string(),
  /** `init` or the branch. */
  method: z.string(),
  experiment: z.string(),
  /** The experiment's index in the sweep: its Slurm array index. */
  index: z.number().int(),
  seed: z.number().int(),
  /** The grid values of the run's experiment. */
  point: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** The run store's status (`not started` before its task has created the folder). */
  status: z.string(),
  /** Last step logged, and the run's total steps (null when the preset changed since submission). */
  step: z.number(),
  total: z.number().nullable(),
  /** The Slurm array task, `<array job id>_<index>`. */
  task: z.string().optional(),
  /** Slurm's state of the task (PENDING, RUNNING, COMPLETED, FAILED …) where Slurm can be asked. */
  slurmState: z.string().optional(),
  /** Why the task waits or how it ended (squeue's reason, or the exit code). */
  slurmReason: z.string().optional(),
  /** For a failed run or task: the last lines of its log. */
  logTail: z.array(z.string()).optional(),
  problem: z.string().optional(),
});
export type SweepRunView = z.infer<typeof sweepRunViewSchema>;

export const sweepViewSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  preset: z.string(),
  executor: z.enum(['local', 'slurm']),
  quick: z.boolean(),
  grid: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()]))),
  seeds: z.array(z.number().int()),
  /** The Slurm array job ids (one per run kind). */
  jobIds: z.array(z.string()),
  /** Whether Slurm could be asked here (squeue on the PATH); otherwise only the run store speaks. */
  slurmVisible: z.boolean(),
  cancelledAt: z.string().optional(),
  runs: z.array(sweepRunViewSchema),
  /** Every run has completed or its task has ended. */
  done: z.boolean(),
});
export type SweepView = z.infer<typeof sweepViewSchema>;

export const sweepChannels = {
  'sweeps:list': {
    method: 'listSweeps',
    summary: 'The sweeps in the data directory, newest first, each with its runs, their progress and Slurm state.',
    request: noPayload,
    response: z.object({ sweeps: z.array(sweepViewSchema), problems: z.array(z.string()) }),
  },
} as const;
