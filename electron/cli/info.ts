/** `sftrl info`: versions, settings location and the TensorFlow.js backend choice with reasons. */
import { dispatch } from '../api/dispatch';
import { createApiContext } from '../api/context';
import { openSettingsStore } from '../settings/store';
import { parseFlags, type CliCommand } from './command';
import type { AppInfo } from '../../shared/api/info';

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'print versions, settings and the chosen TensorFlow.js backend (and why)',
  usage: `sftrl info [--json]

  --json   print the same information as JSON`,
  async run(args, io) {
    const { flags } = parseFlags(args, { json: 'boolean' });
    const settings = openSettingsStore();
    for (const w of settings.warnings) io.err(`warning: ${w}`);
    const ctx = createApiContext('cli', settings, () => {});
    const result = await dispatch(ctx, 'app:info', {});
    if (!result.ok) {
      io.err(`error: ${result.error.message}`);
      return 1;
    }
    const info = result.data as AppInfo;
    if (flags.json) {
      io.out(JSON.stringify({ ...info, settings: settings.get(), settingsFile: settings.filePath }, null, 2));
      return 0;
    }
    io.out(`SFT-vs-RL Workbench ${info.appVersion} (${info.mode}, ${info.platform})`);
    io.out(`versions: ${Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    io.out(`tfjs backend: ${info.backend.name} — ${info.backend.reason}`);
    for (const s of info.backend.skipped) io.out(`  skipped ${s.name}: ${s.reason}`);
    const s = settings.get();
    io.out(`settings: ${settings.filePath}`);
    io.out(`  dataDir ${s.dataDir}; backend ${s.backend}; wasmThreads ${s.wasmThreads}; theme ${s.theme}`);
    return 0;
  },
};
