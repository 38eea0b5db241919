/**
 * An experiment as queued jobs: one job per run of its plan (shared/experiments/plan.ts), each
 * running the `experiment` job with `only: [method]`, the branches waiting for the init job. So
 * once the init checkpoint exists, the branches run side by side, and several experiments
 * (seeds) fill the queue together. Runs already completed on disk are not queued again.
 */
import fs from 'node:fs';
import type { ExperimentConfig } from '../../shared/experiments/config';
import { estimatedRunWork, planExperiment } from '../../shared/experiments/plan';
import { readRunManifest, runDir } from '../runs/store';
import { type JobInfo, type JobManager, type JobRequest } from './manager';
import type { JobSpec } from './protocol';

export interface ExperimentLaunch {
  dataDir: string;
  /** The experiment id: the prefix of its run folders. */
  id: string;
  config: ExperimentConfig;
  backend: NonNullable<JobSpec['backend']>;
  /** WebAssembly threads per worker (the setting; 1 when the queue already runs one job per core). */
  wasmThreads?: number;
  /** Only these runs of the plan (`init` alone is `sftrl pretrain`). */
  only?: string[];
  /** The sweep the experiment belongs to, recorded in each run's run.json. */
  sweep?: string;
}

/** A launch that cannot run: a branch asked for alone whose init has not completed. */
export class LaunchError extends Error {}

function runStatus(dataDir: string, runId: string): string | undefined {
  const dir = runDir(dataDir, runId);
  return fs.existsSync(dir) ? readRunManifest(dir)?.status : undefined;
}

/**
 * The job requests of one experiment. `skipActive` (resume): a run that already has a queued or
 * running job keeps it, and its dependants wait for that job; otherwise such a run is a conflict,
 * refused by the queue.
 */
export function experimentJobRequests(launch: ExperimentLaunch, active: ReadonlySet<string>, skipActive: boolean): JobRequest[] {
  const { dataDir, id, config, backend, wasmThreads, only, sweep } = launch;
  const requests: JobRequest[] = [];
  for (const plan of planExperiment(config, id)) {
    if (only && !only.includes(plan.method)) continue;
    if (runStatus(dataDir, plan.runId) === 'completed') continue;
    if (skipActive && active.has(plan.runId)) continue;
    const parentDone = plan.parent === null || runStatus(dataDir, plan.parent) === 'completed';
    const parentQueued = plan.parent !== null && (active.has(plan.parent) || requests.some((r) => r.runId === plan.parent));
    if (!parentDone && !parentQueued) throw new LaunchError(`${plan.runId} starts from ${plan.parent}'s final checkpoint, and that run has not completed (${runStatus(dataDir, plan.parent as string) ?? 'not started'} in ${dataDir}); run its init first`);
    requests.push({
      kind: 'experiment', runId: plan.runId, dataDir, resume: true, backend, ...(wasmThreads ? { wasmThreads } : {}),
      payload: { id, config, only: [plan.method], ...(sweep ? { sweep } : {}) },
      ...(parentDone ? {} : { after: [plan.parent as string] }),
      cost: estimatedRunWork(plan),
    });
  }
  return requests;
}

function activeRuns(jobs: JobManager): Set<string> {
  return new Set(jobs.list().filter((j) => j.status === 'queued' || j.status === 'running').map((j) => j.runId));
}

/** Queues experiments (e.g. one per seed) in one batch: all their jobs, or none when one is refused. Empty: nothing left to run. */
export function enqueueExperiments(jobs: JobManager, launches: ExperimentLaunch[], { skipActive = false } = {}): JobInfo[] {
  const active = activeRuns(jobs);
  const requests = launches.flatMap((l) => experimentJobRequests(l, active, skipActive));
  return requests.length === 0 ? [] : jobs.enqueue(requests);
}

/** Why enqueueExperiments queued nothing, in words. */
export function nothingQueuedReason(jobs: JobManager, launches: ExperimentLaunch[]): string {
  const active = activeRuns(jobs);
  const ids = launches.map((l) => l.id).join(', ');
  const busy = launches.some((l) => planExperiment(l.config, l.id).some((p) => active.has(p.runId)));
  return busy ? `nothing to queue for ${ids}: its unfinished runs are already queued or running` : `nothing to queue for ${ids}: every run has completed`;
}
