/**
 * Job worker entry point, run in a child process. Receives one `start`, runs the job, reports
 * progress, and exits. A `cancel` sets a flag the job polls between steps, so it can save a
 * checkpoint and stop cleanly.
 */
import type { FromWorker, JobContext, JobSpec, ToWorker } from './protocol';
import { runJob } from './runners';

/** Electron's utilityProcess has `parentPort`; child_process.fork has `process.send`. */
interface Port {
  post(message: FromWorker): void;
  on(listener: (message: ToWorker) => void): void;
}

function nodePort(): Port {
  return {
    post: (m) => process.send?.(m),
    on: (listener) => process.on('message', (m) => listener(m as ToWorker)),
  };
}

/** How often a worker reports its memory between progress reports. */
const MEMORY_REPORT_MS = 5_000;

function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 1e6);
}

/** RSS and the JavaScript heap (what the worker's --max-old-space-size cap bounds). */
function memory(): FromWorker {
  const m = process.memoryUsage();
  return { type: 'memory', rssMb: Math.round(m.rss / 1e6), heapMb: Math.round(m.heapUsed / 1e6) };
}

export function serveJobs(port: Port): void {
  let cancelled = false;
  let started = false;
  port.on(async (message) => {
    if (message.type === 'cancel') {
      cancelled = true;
      return;
    }
    if (message.type !== 'start' || started) return;
    started = true;
    const spec: JobSpec = message.spec;
    const ctx: JobContext = {
      spec,
      progress: (stage, step, total, metrics = {}) => port.post({ type: 'progress', stage, step, total, metrics, rssMb: rssMb() }),
      log: (level, text) => port.post({ type: 'log', level, message: text }),
      get cancelled() {
        return cancelled;
      },
    };
    port.post(memory());
    const heartbeat = setInterval(() => port.post(memory()), MEMORY_REPORT_MS);
    heartbeat.unref();
    try {
      await runJob(ctx);
      port.post({ type: 'done', status: cancelled ? 'cancelled' : 'completed' });
    } catch (error) {
      port.post({ type: 'failed', message: (error as Error)?.message ?? String(error) });
    }
    clearInterval(heartbeat);
    port.post(memory());
    // Let the last messages flush before leaving.
    setTimeout(() => process.exit(0), 50);
  });
}

/** Electron's utilityProcess: messages arrive on process.parentPort. */
function utilityPort(parentPort: { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void }): Port {
  return {
    post: (m) => parentPort.postMessage(m),
    on: (listener) => parentPort.on('message', (e) => listener(e.data as ToWorker)),
  };
}

const parentPort = (process as unknown as { parentPort?: Parameters<typeof utilityPort>[0] }).parentPort;
if (parentPort) serveJobs(utilityPort(parentPort));
else if (process.send) serveJobs(nodePort());
