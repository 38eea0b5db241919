import path from 'node:path';
import type { ApiContext } from '../../electron/api/handlers';
import { openSettingsStore } from '../../electron/settings/store';
import type { BackendInfo } from '../../shared/api/info';
import { tempDir } from './tmp';

export const FAKE_BACKEND: BackendInfo = { name: 'cpu', reason: 'test double', skipped: [{ name: 'wasm', reason: 'not probed in this test' }] };

/**
 * An API context over temporary config, data and export folders (the export folder is the
 * fallback of an empty export-folder setting, so no test writes to the user's Downloads), with a
 * fake backend probe.
 */
export function testContext(): { ctx: ApiContext; configDir: string; dataDir: string; exportDir: string; cleanup(): void } {
  const tmp = tempDir();
  const configDir = path.join(tmp.dir, 'config');
  const dataDir = path.join(tmp.dir, 'data');
  const exportDir = path.join(tmp.dir, 'exports');
  const settings = openSettingsStore({ cwd: configDir, dataDir });
  const ctx: ApiContext = {
    mode: 'browser',
    settings,
    appVersion: '0.0.0-test',
    versions: { node: process.versions.node },
    backend: async () => FAKE_BACKEND,
    defaultExportDir: exportDir,
  };
  return { ctx, configDir, dataDir, exportDir, cleanup: tmp.cleanup };
}
