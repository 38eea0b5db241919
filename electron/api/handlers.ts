/** The implementation of every channel of the contract. Payloads arrive already validated. */
import type { AppInfo, BackendInfo } from '../../shared/api/info';
import type { z } from 'zod';
import type { Channel, Contract, Response } from '../../shared/api/contract';
import type { SettingsStore } from '../settings/store';
import { getRun, listRuns } from '../runs/store';

export interface ApiContext {
  mode: AppInfo['mode'];
  settings: SettingsStore;
  /** Resolves the tfjs backend for the current preference (cached by the caller). */
  backend(preference: string): Promise<BackendInfo>;
  versions: Record<string, string>;
  appVersion: string;
}

export type Handlers = {
  [C in Channel]: (request: z.output<Contract[C]['request']>, ctx: ApiContext) => Promise<Response<C>>;
};

export const handlers: Handlers = {
  'app:info': async (_req, ctx) => ({
    appVersion: ctx.appVersion,
    mode: ctx.mode,
    versions: ctx.versions,
    platform: `${process.platform}-${process.arch}`,
    backend: await ctx.backend(ctx.settings.get().backend),
  }),
  'settings:get': async (_req, ctx) => ctx.settings.get(),
  'settings:set': async (req, ctx) => ctx.settings.set(req),
  'runs:list': async (_req, ctx) => listRuns(ctx.settings.get().dataDir),
  'runs:get': async (req, ctx) => getRun(ctx.settings.get().dataDir, req.id),
};
