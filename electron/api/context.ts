/** Builds the context the API handlers run in, for any mode (desktop app, browser mode, CLI). */
import type { AppInfo } from '../../shared/api/info';
import { ensureBackend } from '../ml/backend';
import type { JobManager } from '../jobs/manager';
import { removeStaleTemps } from '../runs/atomic';
import type { SettingsStore } from '../settings/store';
import type { ApiContext } from './types';
import pkg from '../../package.json' with { type: 'json' };
import { collectVersions } from '../versions';

export function createApiContext(mode: AppInfo['mode'], settings: SettingsStore, log: (line: string) => void = console.log, jobs?: JobManager): ApiContext {
  // Opening the store clears what a crashed writer left half-written (never read as data).
  const removed = removeStaleTemps(settings.get().dataDir);
  if (removed.length > 0) log(`removed ${removed.length} temporary file(s) left by an interrupted write in ${settings.get().dataDir}`);
  return {
    jobs,
    mode,
    settings,
    appVersion: pkg.version,
    versions: collectVersions(),
    backend: (preference) => ensureBackend(preference as Parameters<typeof ensureBackend>[0], log),
  };
}
