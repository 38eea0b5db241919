/**
 * The job manager: starts jobs in child processes (training never runs in the main process),
 * relays their progress as API events with an ETA, cancels them, and notices crashes.
 */
import crypto from 'node:crypto';
import type { JobEvent } from '../../shared/api/events';
import { EtaEstimator } from './eta';
import type { JobEventBus } from './events';
import { isFromWorker, type JobSpec, type ToWorker } from './protocol';

/** A running worker process, whatever launched it (child_process.fork or Electron's utilityProcess). */
export interface WorkerHandle {
  send(message: ToWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnWorker = () => WorkerHandle;

export interface JobInfo {
  jobId: string;
  runId: string;
  kind: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  stage?: string;
  step?: number;
  total?: number;
  etaSeconds?: number | null;
  message?: string;
}

/** How long a cancelled worker gets to save its state and exit before it is killed. */
const CANCEL_GRACE_MS = 10_000;

export class JobManager {
  private readonly jobs = new Map<string, { info: JobInfo; worker: WorkerHandle; eta: EtaEstimator }>();

  constructor(
    private readonly bus: JobEventBus,
    private readonly spawn: SpawnWorker,
    /** Called when a worker dies without reporting (crash, kill): the run store records the failure. */
    private readonly onCrash: (spec: JobSpec, message: string) => void = () => {},
  ) {}

  start(spec: Omit<JobSpec, 'jobId'>): JobInfo {
    const running = [...this.jobs.values()].find((j) => j.info.runId === spec.runId && j.info.status === 'running');
    if (running) throw new Error(`run "${spec.runId}" already has a running job (${running.info.jobId})`);
    const full: JobSpec = { ...spec, jobId: `job-${crypto.randomBytes(6).toString('hex')}` };
    const worker = this.spawn();
    const info: JobInfo = { jobId: full.jobId, runId: full.runId, kind: full.kind, status: 'running' };
    const entry = { info, worker, eta: new EtaEstimator() };
    this.jobs.set(full.jobId, entry);
    const emit = (event: JobEvent) => this.bus.emit(event);
    let finished = false;

    worker.onMessage((message) => {
      if (!isFromWorker(message)) return;
      switch (message.type) {
        case 'progress': {
          const etaSeconds = entry.eta.update(message.stage, message.step, message.total);
          Object.assign(entry.info, { stage: message.stage, step: message.step, total: message.total, etaSeconds });
          emit({ type: 'progress', jobId: full.jobId, runId: full.runId, stage: message.stage, step: message.step, total: message.total, etaSeconds, metrics: message.metrics });
          break;
        }
        case 'log':
          emit({ type: 'log', jobId: full.jobId, level: message.level, message: message.message });
          break;
        case 'done':
          finished = true;
          entry.info.status = message.status;
          emit({ type: 'status', jobId: full.jobId, runId: full.runId, status: message.status });
          break;
        case 'failed':
          finished = true;
          entry.info.status = 'failed';
          entry.info.message = message.message;
          emit({ type: 'status', jobId: full.jobId, runId: full.runId, status: 'failed', message: message.message });
          break;
      }
    });
    worker.onExit((code) => {
      if (finished) return;
      const message = `the job process exited unexpectedly (exit code ${code ?? 'none'}); the run can be resumed from its last checkpoint`;
      entry.info.status = 'failed';
      entry.info.message = message;
      this.onCrash(full, message);
      emit({ type: 'status', jobId: full.jobId, runId: full.runId, status: 'failed', message });
    });

    emit({ type: 'status', jobId: full.jobId, runId: full.runId, status: 'running' });
    worker.send({ type: 'start', spec: full });
    return { ...entry.info };
  }

  cancel(jobId: string): void {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new Error(`no job "${jobId}"`);
    if (entry.info.status !== 'running') return;
    entry.worker.send({ type: 'cancel' });
    const timer = setTimeout(() => entry.info.status === 'running' && entry.worker.kill(), CANCEL_GRACE_MS);
    timer.unref?.();
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  /** Kills every running worker (app shutdown); their runs stay resumable from the last checkpoint. */
  shutdown(): void {
    for (const j of this.jobs.values()) if (j.info.status === 'running') j.worker.kill();
  }
}
