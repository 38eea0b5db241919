/**
 * Job worker entry point, run in a child process. Receives one `start`, runs the job, reports
 * progress, and exits. A `cancel` sets a flag the job polls between steps, so it can save a
 * checkpoint and stop cleanly. A worker never outlives its parent: when the parent goes (its
 * channel closes), the job is cancelled the same way and the process exits, at the latest after
 * a grace period — an orphan would train on with no one watching and race a later resume.
 */
import type { FromWorker, JobContext, JobSpec, ToWorker } from './protocol';
import { runJob } from './runners';

/** Electron's utilityProcess has `parentPort`; child_process.fork has `process.send`. */
interface Port {
  post(message: FromWorker): void;
  /** Messages from the parent, and `parent-gone` once its channel has closed. */
  on(listener: (message: ToWorker | { type: 'parent-gone' }) => void): void;
}

/** How long a worker whose parent is gone may take to save a checkpoint before it exits anyway. */
export const ORPHAN_GRACE_MS = 60_000;

function nodePort(): Port {
  return {
    // After the parent is gone there is no one to tell: a failed send is not an error.
    post: (m) => void (process.connected && process.send?.(m, undefined, undefined, () => {})),
    on: (listener) => {
      process.on('message', (m) => listener(m as ToWorker));
      process.on('disconnect', () => listener({ type: 'parent-gone' }));
    },
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

/**
 * `cancelOnSignals`: a worker forked by Node (CLI, browser mode) — whose manager kills with
 * SIGKILL — treats SIGTERM and SIGINT as a cancel. A scheduler stopping the job (Slurm requeue,
 * preemption, time limit) sends SIGTERM to every process of the job, and Ctrl+C in a terminal
 * sends SIGINT to every process in the foreground group, the workers included: either way the
 * run saves a checkpoint first (Ctrl+C twice: the parent kills the workers). The desktop app's
 * utilityProcess is stopped with SIGTERM, so there it keeps its defaults.
 */
export function serveJobs(port: Port, { cancelOnSignals = false } = {}): void {
  let cancelled = false;
  let started = false;
  let orphaned = false;
  const parentPid = process.ppid;
  const parentGone = () => {
    if (orphaned) return;
    orphaned = true;
    if (!started) process.exit(0);
    cancelled = true; // the job saves a checkpoint at its next step and returns
    setTimeout(() => process.exit(1), ORPHAN_GRACE_MS).unref();
  };
  // Three ways to notice, because a training step can hold the event loop for its whole length:
  // the channel's close event (child_process), a re-parenting check when the job polls for
  // cancellation (no event loop needed), and the same check on a timer while idle or evaluating.
  // (POSIX re-parents an orphan, so its parent pid changes; Electron's parentPort has no close event.)
  const reparented = () => process.ppid !== parentPid;
  setInterval(() => reparented() && parentGone(), 1000).unref();
  if (cancelOnSignals) {
    const cancel = () => {
      if (!started) process.exit(0);
      cancelled = true; // the job saves a checkpoint at its next step and returns, like a cancel
    };
    process.on('SIGTERM', cancel);
    process.on('SIGINT', cancel);
  }
  port.on(async (message) => {
    if (message.type === 'parent-gone') {
      parentGone();
      return;
    }
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
        if (!cancelled && reparented()) parentGone();
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
      // The stack goes to the worker's stderr (the run's log), the message to the job's status.
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
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
else if (process.send) serveJobs(nodePort(), { cancelOnSignals: true });
