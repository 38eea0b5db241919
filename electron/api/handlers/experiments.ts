/** Handlers of the training-engine channels: launch experiments as jobs, list, cancel, resume. */
import type { experimentChannels } from '../../../shared/api/channels/experiments';
import { experimentId, experimentOfRun } from '../../../shared/experiments/plan';
import { findPreset, PRESETS, quickScale } from '../../../shared/experiments/presets';
import { readRunManifest, runDir, RunStoreError } from '../../runs/store';
import type { ApiContext, HandlerTable } from '../handlers';

function jobsOf(ctx: ApiContext) {
  if (!ctx.jobs) throw new Error('this workbench process cannot run jobs');
  return ctx.jobs;
}

function launch(ctx: ApiContext, id: string, config: unknown) {
  const job = jobsOf(ctx).start({ kind: 'experiment', runId: id, dataDir: ctx.settings.get().dataDir, resume: true, payload: { id, config }, backend: ctx.settings.get().backend, wasmThreads: ctx.settings.get().wasmThreads });
  return { experimentId: id, job };
}

export const experimentHandlers: HandlerTable<typeof experimentChannels> = {
  'experiments:presets': async () => PRESETS.map((p) => ({ ...p })),
  'experiments:launch': async (req, ctx) => {
    const preset = findPreset(req.config.preset);
    if (!preset) throw new RunStoreError(`unknown preset "${req.config.preset}"`);
    if (!preset.available) throw new RunStoreError(`preset "${preset.id}" cannot run yet: ${preset.unavailableReason}`);
    const config = req.quick ? quickScale(req.config) : req.config;
    const id = experimentId(config, new Date()) + (req.quick ? '-quick' : '');
    return launch(ctx, id, config);
  },
  'jobs:list': async (_req, ctx) => (ctx.jobs ? ctx.jobs.list() : []),
  'jobs:cancel': async (req, ctx) => {
    try {
      jobsOf(ctx).cancel(req.jobId);
    } catch (error) {
      throw new RunStoreError((error as Error).message, 'not_found');
    }
    return { ok: true as const };
  },
  'runs:resume': async (req, ctx) => {
    const dataDir = ctx.settings.get().dataDir;
    const manifest = readRunManifest(runDir(dataDir, req.id));
    if (!manifest) throw new RunStoreError(`run "${req.id}" has no readable run.json`, 'not_found');
    const found = experimentOfRun(manifest.config);
    if (!found) throw new RunStoreError(`run "${req.id}" is not part of a resumable experiment`);
    return launch(ctx, found.experiment, found.config);
  },
};
