/** `sftrl serve`: browser mode from the command line (also what `npm start` falls back to). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Settings } from '../../shared/api/settings';
import { createApiContext } from '../api/context';
import { JobEventBus } from '../jobs/events';
import { JobManager } from '../jobs/manager';
import { markRunFailed } from '../jobs/crash';
import { spawnNodeWorker } from '../jobs/spawn-node';
import { startServer } from '../serve';
import { openSettingsStore, type SettingsStore } from '../settings/store';
import { parseFlags, type CliCommand, type CliIo } from './command';

export const DEFAULT_PORT = 5183;

/** The shipped example results (README table): a data directory with its runs in `runs/`. */
export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'gp-rule-results');

/**
 * The settings with another data directory for this session only: nothing is written, and once
 * the user picks a data directory in Settings that one is used (and saved) as usual.
 */
export function withSessionDataDir(store: SettingsStore, dataDir: string): SettingsStore {
  let session: string | null = dataDir;
  const view = (s: Settings): Settings => (session === null ? s : { ...s, dataDir: session });
  return {
    get: () => view(store.get()),
    set: (patch) => {
      const next = store.set(patch);
      if (patch !== null && typeof patch === 'object' && 'dataDir' in patch) session = null;
      return view(next);
    },
    warnings: store.warnings,
    filePath: store.filePath,
  };
}

/** Starts browser mode and prints its URL; resolves when the server is up. */
export async function serveBrowserMode(io: CliIo, port = DEFAULT_PORT, options: { dataDir?: string } = {}) {
  const stored = openSettingsStore();
  const settings = options.dataDir ? withSessionDataDir(stored, options.dataDir) : stored;
  for (const w of settings.warnings) io.err(`warning: ${w}`);
  const bus = new JobEventBus();
  const jobs = new JobManager(bus, spawnNodeWorker, {
    onCrash: (spec, message) => markRunFailed(spec.dataDir, spec.runId, message),
    concurrency: () => settings.get().concurrentJobs,
  });
  const ctx = createApiContext('browser', settings, (line) => io.out(line), jobs);
  let server;
  try {
    server = await startServer({ ctx, port, bus });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    io.err(`port ${port} is in use; using a free port instead`);
    server = await startServer({ ctx, port: 0, bus });
  }
  process.once('exit', () => jobs.shutdown());
  io.out(`Workbench (browser mode) at ${server.url}`);
  io.out(`Settings: ${settings.filePath}   Data: ${settings.get().dataDir}`);
  io.out('Press Ctrl+C to stop.');
  // Probe the compute backend now (loading TF.js takes about a second of this process's time),
  // not when the first page asks for app:info: that would hold up the page's data.
  ctx.backend(settings.get().backend).then(
    (b) => io.out(`Compute backend: ${b.name} (${b.reason})`),
    (e: Error) => io.err(`warning: no compute backend: ${e.message}`),
  );
  return server;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the workbench UI and API in your browser (127.0.0.1, token-protected)',
  usage: `sftrl serve [--port N] [--examples]

Serves the built renderer and the API over a WebSocket on 127.0.0.1 only. The printed URL carries
a random token; without it the API refuses every request.

  --port N     port to listen on (default ${DEFAULT_PORT}; a free one is used if it is taken)
  --examples   show the shipped example results (examples/gp-rule-results) for this session;
               the Data directory setting is not changed`,
  async run(args: string[], io: CliIo) {
    const { flags } = parseFlags(args, { port: 'number', examples: 'boolean' });
    const server = await serveBrowserMode(io, (flags.port as number | undefined) ?? DEFAULT_PORT, flags.examples ? { dataDir: EXAMPLES_DIR } : {});
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
