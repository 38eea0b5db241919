/** Handlers of the training-engine channels: launch experiments into the job queue, list, cancel, resume. */
import type { experimentChannels } from '../../../shared/api/channels/experiments';
import { experimentId, experimentOfRun } from '../../../shared/experiments/plan';
import { findPreset, PRESETS, quickScale } from '../../../shared/experiments/presets';
import { enqueueExperiments, nothingQueuedReason, type ExperimentLaunch } from '../../jobs/experiment-queue';
import { JobConflictError } from '../../jobs/manager';
import { contextProblem } from '../../ml/tasks';
import { readRunManifest, runDir, RunStoreError } from '../../runs/store';
import type { ApiContext, HandlerTable } from '../types';

function jobsOf(ctx: ApiContext) {
  if (!ctx.jobs) throw new Error('this workbench process cannot run jobs');
  return ctx.jobs;
}

/** A refused launch (duplicate, nothing to do) is the caller's to fix: a bad request naming the run, not an internal error. */
function queue(ctx: ApiContext, launches: ExperimentLaunch[], skipActive = false) {
  const jobs = jobsOf(ctx);
  try {
    const queued = enqueueExperiments(jobs, launches, { skipActive });
    if (queued.length === 0) throw new RunStoreError(nothingQueuedReason(jobs, launches), 'bad_request');
    return queued;
  } catch (error) {
    if (error instanceof JobConflictError) throw new RunStoreError(error.message, 'bad_request');
    throw error;
  }
}

export const experimentHandlers: HandlerTable<typeof experimentChannels> = {
  'experiments:presets': async () => PRESETS.map((p) => ({ ...p })),
  'experiments:launch': async (req, ctx) => {
    const preset = findPreset(req.config.preset);
    if (!preset) throw new RunStoreError(`unknown preset "${req.config.preset}"`);
    if (!preset.available) throw new RunStoreError(`preset "${preset.id}" cannot run yet: ${preset.unavailableReason}`);
    const { dataDir, backend, wasmThreads } = ctx.settings.get();
    const now = new Date();
    const launches = (req.seeds ?? [req.config.seed]).map((seed) => {
      const seeded = { ...req.config, seed };
      const config = req.quick ? quickScale(seeded) : seeded;
      return { dataDir, backend, wasmThreads, config, id: experimentId(config, now) + (req.quick ? '-quick' : '') };
    });
    const problem = await contextProblem(req.config);
    if (problem) throw new RunStoreError(problem, 'bad_request');
    const jobs = queue(ctx, launches);
    return { experimentIds: launches.map((l) => l.id), jobs };
  },
  'jobs:list': async (_req, ctx) => (ctx.jobs ? { concurrency: ctx.jobs.concurrency, jobs: ctx.jobs.list() } : { concurrency: 1, jobs: [] }),
  'jobs:cancel': async (req, ctx) => {
    try {
      jobsOf(ctx).cancel(req.jobId);
    } catch (error) {
      throw new RunStoreError((error as Error).message, 'not_found');
    }
    return { ok: true as const };
  },
  'runs:resume': async (req, ctx) => {
    const { dataDir, backend, wasmThreads } = ctx.settings.get();
    const manifest = readRunManifest(runDir(dataDir, req.id));
    if (!manifest) throw new RunStoreError(`run "${req.id}" has no readable run.json`, 'not_found');
    const found = experimentOfRun(manifest.config);
    if (!found) throw new RunStoreError(`run "${req.id}" is not part of a resumable experiment`);
    const active = jobsOf(ctx).list().find((j) => j.runId === req.id && (j.status === 'queued' || j.status === 'running'));
    if (active) throw new RunStoreError(`run "${req.id}" already has a ${active.status} job (${active.jobId}); cancel it or wait for it to end`);
    const jobs = queue(ctx, [{ dataDir, backend, wasmThreads, id: found.experiment, config: found.config }], true);
    return { experimentId: found.experiment, jobs };
  },
};
