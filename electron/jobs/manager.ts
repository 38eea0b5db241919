/**
 * The job manager: a run queue. Jobs wait `queued` until a slot is free (the concurrency setting,
 * by default one per core) and every job they depend on has completed, then start in a child
 * process (training never runs in the main process). It relays their progress as API events with
 * an ETA and the worker's memory, cancels queued and running jobs, and notices crashes. A job whose
 * dependency failed or was cancelled never starts, and says why.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { JobInfoView } from '../../shared/api/channels/experiments';
import type { JobEvent } from '../../shared/api/events';
import { EtaEstimator } from './eta';
import type { JobEventBus } from './events';
import { isFromWorker, type JobSpec, type ToWorker } from './protocol';

/** A worker process, whatever launched it (child_process.fork or Electron's utilityProcess). */
export interface WorkerHandle {
  send(message: ToWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  /** `signal` where the platform reports it (a worker over its heap cap aborts with SIGABRT). */
  onExit(listener: (code: number | null, signal?: string | null) => void): void;
  kill(): void;
}

export type SpawnWorker = () => WorkerHandle;

export type JobInfo = JobInfoView;

/** What a caller asks for: a job spec, and the runs whose jobs must complete before it starts. */
export type JobRequest = Omit<JobSpec, 'jobId'> & {
  /** Run ids: each must have a queued or running job (in this batch or earlier). */
  after?: string[];
  /**
   * Estimated work, in any unit shared by the jobs queued together (default 1): among ready
   * jobs the one with the most work on its longest path to the end starts first.
   */
  cost?: number;
};

/** A launch the queue refuses: the run already has a queued or running job, or names a dependency that is not queued. */
export class JobConflictError extends Error {}

export interface JobManagerOptions {
  /** Called when a worker dies without reporting (crash, kill): the run store records the failure. */
  onCrash?: (spec: JobSpec, message: string) => void;
  /** Jobs that may run at once, or read at every scheduling decision (e.g. from settings); null or absent: one per core. */
  concurrency?: number | null | (() => number | null);
}

/** The concurrency setting's meaning: null is one job per core the process may use. */
export function resolveConcurrency(setting: number | null | undefined): number {
  return Math.max(1, setting ?? os.availableParallelism());
}

/** How long a cancelled worker gets to save its state and exit before it is killed. */
const CANCEL_GRACE_MS = 10_000;

interface Entry {
  info: JobInfo;
  spec: JobSpec;
  eta: EtaEstimator;
  worker?: WorkerHandle;
  /** The worker process exists: it holds a slot until it exits, so memory is really free before the next starts. */
  alive: boolean;
  cost: number;
}

const ACTIVE = new Set<JobInfo['status']>(['queued', 'running']);

export class JobManager {
  private readonly jobs = new Map<string, Entry>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly onCrash: NonNullable<JobManagerOptions['onCrash']>;
  private readonly concurrencyOption: JobManagerOptions['concurrency'];

  constructor(
    private readonly bus: JobEventBus,
    private readonly spawn: SpawnWorker,
    options: JobManagerOptions = {},
  ) {
    this.onCrash = options.onCrash ?? (() => {});
    this.concurrencyOption = options.concurrency;
  }

  /** Jobs that may run at once right now. */
  get concurrency(): number {
    const c = this.concurrencyOption;
    return resolveConcurrency(typeof c === 'function' ? c() : c);
  }

  /** Queues one job; see enqueue. */
  start(request: JobRequest): JobInfo {
    return this.enqueue([request])[0] as JobInfo;
  }

  /**
   * Queues jobs, all or none: a run that already has a queued or running job (here or earlier in
   * the batch) is refused with JobConflictError, so one run never has two writers. Jobs start as
   * slots free up and their dependencies complete, longest remaining path of work first (see pump).
   */
  enqueue(requests: JobRequest[]): JobInfo[] {
    const activeJob = new Map<string, Entry>();
    for (const e of this.jobs.values()) if (ACTIVE.has(e.info.status)) activeJob.set(e.info.runId, e);
    const batch = new Map<string, string>(); // runId → new jobId
    const planned: Entry[] = [];
    for (const { after = [], cost = 1, ...spec } of requests) {
      const existing = activeJob.get(spec.runId);
      if (existing) throw new JobConflictError(`run "${spec.runId}" already has a ${existing.info.status} job (${existing.info.jobId}); cancel it or wait for it to end`);
      if (batch.has(spec.runId)) throw new JobConflictError(`run "${spec.runId}" is listed twice in one launch`);
      const dependsOn = after.map((runId) => {
        const id = batch.get(runId) ?? activeJob.get(runId)?.info.jobId;
        if (!id) throw new JobConflictError(`job for "${spec.runId}" waits for run "${runId}", which has no queued or running job`);
        return id;
      });
      const full: JobSpec = { ...spec, jobId: `job-${crypto.randomBytes(6).toString('hex')}` };
      batch.set(spec.runId, full.jobId);
      planned.push({ info: { jobId: full.jobId, runId: full.runId, kind: full.kind, status: 'queued', dependsOn }, spec: full, eta: new EtaEstimator(), alive: false, cost: Number.isFinite(cost) && cost > 0 ? cost : 1 });
    }
    for (const entry of planned) {
      this.jobs.set(entry.info.jobId, entry);
      this.emit({ type: 'status', jobId: entry.info.jobId, runId: entry.info.runId, status: 'queued' });
    }
    this.pump();
    return planned.map((e) => ({ ...e.info }));
  }

  /** Cancels a job: a queued one never starts (nor do the jobs waiting for it); a running one saves a checkpoint, then stops. */
  cancel(jobId: string): void {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new Error(`no job "${jobId}"`);
    if (entry.info.status === 'queued') {
      this.finish(entry, 'cancelled', 'cancelled before it started');
      this.pump();
      return;
    }
    if (entry.info.status !== 'running' || !entry.worker) return;
    const worker = entry.worker;
    worker.send({ type: 'cancel' });
    const timer = setTimeout(() => entry.alive && worker.kill(), CANCEL_GRACE_MS);
    timer.unref?.();
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info, dependsOn: [...j.info.dependsOn] }));
  }

  /** Starts what the current concurrency allows (call after the setting changes). */
  reschedule(): void {
    this.pump();
  }

  /** Resolves once no job is queued or running and every worker has exited. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIdle();
    });
  }

  /** Kills every running worker (app shutdown) and starts nothing more; their runs stay resumable from the last checkpoint. */
  shutdown(): void {
    this.closed = true;
    for (const j of this.jobs.values()) if (j.alive) j.worker?.kill();
  }

  private emit(event: JobEvent): void {
    this.bus.emit(event);
  }

  private finish(entry: Entry, status: 'completed' | 'failed' | 'cancelled', message?: string): void {
    entry.info.status = status;
    if (message !== undefined) entry.info.message = message;
    this.emit({ type: 'status', jobId: entry.info.jobId, runId: entry.info.runId, status, ...(message !== undefined ? { message } : {}) });
  }

  /**
   * Scheduling: first settle jobs whose dependencies can no longer complete, then fill free slots.
   * Among ready jobs the one heading the most work — its own cost plus the costliest chain of
   * queued jobs waiting on it — starts first (critical-path list scheduling), queue order breaking
   * ties: an RL branch starts before an SFT branch that ends sooner, so the last slot to finish is
   * not the one that got the long run last, and an init with branches behind it passes a lone branch.
   */
  private pump(): void {
    let settled = true;
    while (settled) {
      settled = false;
      for (const entry of this.jobs.values()) {
        if (entry.info.status !== 'queued') continue;
        const blocker = entry.info.dependsOn.map((id) => this.jobs.get(id)).find((d) => d && (d.info.status === 'failed' || d.info.status === 'cancelled'));
        if (!blocker) continue;
        this.finish(entry, 'cancelled', `not started: it needed ${blocker.info.runId} (${blocker.info.jobId}), which ${blocker.info.status === 'failed' ? 'failed' : 'was cancelled'}`);
        settled = true;
      }
    }
    if (!this.closed) {
      let free = this.concurrency - [...this.jobs.values()].filter((e) => e.alive).length;
      const ready = [...this.jobs.values()].filter((e) => e.info.status === 'queued' && e.info.dependsOn.every((id) => this.jobs.get(id)?.info.status === 'completed'));
      const rank = this.pathWork();
      ready.sort((a, b) => (rank.get(b.info.jobId) ?? 0) - (rank.get(a.info.jobId) ?? 0)); // stable: queue order among equals
      for (const entry of ready) {
        if (free <= 0) break;
        if (this.launch(entry)) free--;
      }
    }
    this.notifyIdle();
  }

  /** Each queued job's cost plus the costliest chain of queued jobs that wait on it. */
  private pathWork(): Map<string, number> {
    const waiting = new Map<string, Entry[]>();
    for (const e of this.jobs.values()) {
      if (e.info.status !== 'queued') continue;
      for (const d of e.info.dependsOn) waiting.set(d, [...(waiting.get(d) ?? []), e]);
    }
    const memo = new Map<string, number>();
    const work = (e: Entry): number => {
      const known = memo.get(e.info.jobId);
      if (known !== undefined) return known;
      const value = e.cost + Math.max(0, ...(waiting.get(e.info.jobId) ?? []).map(work));
      memo.set(e.info.jobId, value);
      return value;
    };
    for (const e of this.jobs.values()) if (e.info.status === 'queued') work(e);
    return memo;
  }

  private notifyIdle(): void {
    const busy = [...this.jobs.values()].some((e) => e.alive || (ACTIVE.has(e.info.status) && !this.closed));
    if (busy) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Starts the job's worker; false when it could not be spawned (the job is then failed). */
  private launch(entry: Entry): boolean {
    const { spec, info } = entry;
    let worker: WorkerHandle;
    try {
      worker = this.spawn();
    } catch (error) {
      this.finish(entry, 'failed', `the job process could not start: ${(error as Error)?.message ?? String(error)}`);
      return false;
    }
    entry.worker = worker;
    entry.alive = true;
    info.status = 'running';
    let finished = false;
    const noteMemory = (rssMb: number | undefined) => {
      if (rssMb === undefined) return;
      info.rssMb = rssMb;
      info.peakRssMb = Math.max(info.peakRssMb ?? 0, rssMb);
    };

    worker.onMessage((message) => {
      if (!isFromWorker(message)) return;
      switch (message.type) {
        case 'progress': {
          const etaSeconds = entry.eta.update(message.stage, message.step, message.total);
          Object.assign(info, { stage: message.stage, step: message.step, total: message.total, etaSeconds });
          noteMemory(message.rssMb);
          this.emit({
            type: 'progress', jobId: info.jobId, runId: info.runId, stage: message.stage, step: message.step, total: message.total, etaSeconds, metrics: message.metrics,
            ...(message.rssMb !== undefined ? { rssMb: message.rssMb } : {}),
          });
          break;
        }
        case 'memory':
          noteMemory(message.rssMb);
          if (message.heapMb !== undefined) info.peakHeapMb = Math.max(info.peakHeapMb ?? 0, message.heapMb);
          break;
        case 'log':
          this.emit({ type: 'log', jobId: info.jobId, level: message.level, message: message.message });
          break;
        case 'done':
          finished = true;
          this.finish(entry, message.status);
          this.pump();
          break;
        case 'failed':
          finished = true;
          this.finish(entry, 'failed', message.message);
          this.pump();
          break;
      }
    });
    worker.onExit((code, signal) => {
      entry.alive = false;
      if (!finished) {
        const how = signal ? `was killed by ${signal}${signal === 'SIGABRT' ? ' (what a worker gets when it passes its memory cap)' : ''}` : `exited unexpectedly (exit code ${code ?? 'none'})`;
        const message = `the job process ${how}; the run can be resumed from its last checkpoint`;
        this.onCrash(spec, message);
        this.finish(entry, 'failed', message);
      }
      this.pump();
    });

    this.emit({ type: 'status', jobId: info.jobId, runId: info.runId, status: 'running' });
    worker.send({ type: 'start', spec });
    return true;
  }
}
