/** Handlers of the shell channels: info, settings, runs. */
import type { coreChannels } from '../../../shared/api/channels/core';
import os from 'node:os';
import { getRun, listRuns } from '../../runs/store';
import type { HandlerTable } from '../types';

export const coreHandlers: HandlerTable<typeof coreChannels> = {
  'app:info': async (_req, ctx) => ({
    appVersion: ctx.appVersion,
    mode: ctx.mode,
    versions: ctx.versions,
    platform: `${process.platform}-${process.arch}`,
    cores: os.availableParallelism(),
    backend: await ctx.backend(ctx.settings.get().backend),
  }),
  'settings:get': async (_req, ctx) => ctx.settings.get(),
  'settings:set': async (req, ctx) => {
    const saved = ctx.settings.set(req);
    // A raised concurrency starts waiting jobs now; a lowered one lets running jobs finish.
    ctx.jobs?.reschedule();
    return saved;
  },
  'runs:list': async (_req, ctx) => listRuns(ctx.settings.get().dataDir),
  'runs:get': async (req, ctx) => getRun(ctx.settings.get().dataDir, req.id),
};
