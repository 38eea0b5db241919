/**
 * The run queue of the job manager, with in-memory fake workers: the test decides when each
 * worker reports, finishes and exits, so ordering and limits are checked without timing.
 */
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../shared/api/events';
import { JobEventBus } from '../../../electron/jobs/events';
import { JobConflictError, JobManager, type JobRequest, type WorkerHandle } from '../../../electron/jobs/manager';
import type { FromWorker, JobSpec, ToWorker } from '../../../electron/jobs/protocol';

class FakeWorker implements WorkerHandle {
  spec?: JobSpec;
  readonly received: ToWorker[] = [];
  killed = false;
  private messageListener: (m: unknown) => void = () => {};
  private exitListener: (code: number | null, signal?: string | null) => void = () => {};
  send(message: ToWorker) {
    this.received.push(message);
    if (message.type === 'start') this.spec = message.spec;
  }
  onMessage(l: (m: unknown) => void) {
    this.messageListener = l;
  }
  onExit(l: (code: number | null, signal?: string | null) => void) {
    this.exitListener = l;
  }
  kill() {
    this.killed = true;
  }
  post(m: FromWorker) {
    this.messageListener(m);
  }
  exit(code: number | null = 0, signal: string | null = null) {
    this.exitListener(code, signal);
  }
  /** Reports completion, then exits, as worker.ts does. */
  complete() {
    this.post({ type: 'done', status: 'completed' });
    this.exit(0);
  }
}

function setup(concurrency: number | (() => number)) {
  const bus = new JobEventBus();
  const events: JobEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const workers: FakeWorker[] = [];
  const crashed: string[] = [];
  const jobs = new JobManager(bus, () => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  }, { concurrency, onCrash: (s, m) => crashed.push(`${s.runId}: ${m}`) });
  const worker = (runId: string) => {
    const w = workers.find((x) => x.spec?.runId === runId);
    if (!w) throw new Error(`no worker started for ${runId}`);
    return w;
  };
  const started = () => workers.map((w) => w.spec?.runId);
  const status = (runId: string) => jobs.list().find((j) => j.runId === runId)?.status;
  return { jobs, events, workers, worker, started, status, crashed };
}

const req = (runId: string, after?: string[]): JobRequest => ({ kind: 'experiment', runId, dataDir: '/data', resume: true, ...(after ? { after } : {}) });

describe('run queue', () => {
  it('runs at most `concurrency` jobs at once, starting queued ones in order as slots free', () => {
    const q = setup(2);
    const infos = q.jobs.enqueue(['a', 'b', 'c', 'd'].map((r) => req(r)));
    expect(infos.map((j) => j.status)).toEqual(['running', 'running', 'queued', 'queued']);
    expect(q.started()).toEqual(['a', 'b']);
    expect(q.jobs.list().map((j) => j.status)).toEqual(['running', 'running', 'queued', 'queued']);
    q.worker('b').complete();
    expect(q.started()).toEqual(['a', 'b', 'c']);
    q.worker('a').complete();
    expect(q.started()).toEqual(['a', 'b', 'c', 'd']);
    // Every job announced itself queued, then running, in queue order.
    const running = q.events.filter((e) => e.type === 'status' && e.status === 'running').map((e) => e.type === 'status' && e.runId);
    expect(running).toEqual(['a', 'b', 'c', 'd']);
    expect(q.events.filter((e) => e.type === 'status' && e.status === 'queued')).toHaveLength(4);
  });

  it('keeps a slot until the worker process has exited, not just reported', () => {
    const q = setup(1);
    q.jobs.enqueue([req('a'), req('b')]);
    q.worker('a').post({ type: 'done', status: 'completed' });
    expect(q.status('a')).toBe('completed');
    expect(q.started()).toEqual(['a']);
    q.worker('a').exit(0);
    expect(q.started()).toEqual(['a', 'b']);
  });

  it('starts dependants only after the job they wait for completed, then side by side', () => {
    const q = setup(3);
    q.jobs.enqueue([req('x-init'), req('x-sft', ['x-init']), req('x-rl', ['x-init'])]);
    expect(q.started()).toEqual(['x-init']); // free slots do not start a branch early
    const [, sft] = q.jobs.list();
    expect(sft?.dependsOn).toEqual([q.jobs.list()[0]?.jobId]);
    q.worker('x-init').post({ type: 'done', status: 'completed' });
    expect(q.started()).toEqual(['x-init', 'x-sft', 'x-rl']);
  });

  it('lets a ready job of a later experiment pass a waiting branch (FIFO among ready jobs)', () => {
    const q = setup(2);
    q.jobs.enqueue([req('s0-init'), req('s0-rl', ['s0-init']), req('s1-init'), req('s1-rl', ['s1-init'])]);
    expect(q.started()).toEqual(['s0-init', 's1-init']);
    q.worker('s0-init').complete();
    expect(q.started()).toEqual(['s0-init', 's1-init', 's0-rl']);
  });

  it('starts the ready job heading the most work first: RL branches before SFT branches, an init with branches behind it before a lone branch', () => {
    const q = setup(2);
    const job = (runId: string, cost: number, after?: string[]): JobRequest => ({ ...req(runId, after), cost });
    // Two seeds × (init, sft, rl) and a third seed's init, queued in plan order.
    q.jobs.enqueue([
      job('s0-init', 10), job('s0-sft', 30, ['s0-init']), job('s0-rl', 100, ['s0-init']),
      job('s1-init', 10), job('s1-sft', 30, ['s1-init']), job('s1-rl', 100, ['s1-init']),
      job('s2-init', 10), job('s2-sft', 30, ['s2-init']), job('s2-rl', 100, ['s2-init']),
    ]);
    expect(q.started()).toEqual(['s0-init', 's1-init']);
    q.worker('s0-init').complete();
    // s2-init heads 10 + its rl's 100: it passes s0-rl (100) and s0-sft (30), queued before it.
    expect(q.started()).toEqual(['s0-init', 's1-init', 's2-init']);
    q.worker('s1-init').complete();
    expect(q.started().at(-1)).toBe('s0-rl');
    q.worker('s2-init').complete();
    // Every RL branch before any SFT branch, though s0-sft and s1-sft were queued first.
    expect(q.started().at(-1)).toBe('s1-rl');
    q.worker('s0-rl').complete();
    expect(q.started().at(-1)).toBe('s2-rl');
    q.worker('s1-rl').complete();
    expect(q.started().at(-1)).toBe('s0-sft');
  });

  it('keeps queue order among jobs of equal cost (the default)', () => {
    const q = setup(1);
    q.jobs.enqueue([req('a'), req('b'), { ...req('c'), cost: Number.NaN }]);
    q.worker('a').complete();
    q.worker('b').complete();
    expect(q.started()).toEqual(['a', 'b', 'c']);
  });

  it('never starts the dependants of a failed init, and says why', () => {
    const q = setup(4);
    q.jobs.enqueue([req('x-init'), req('x-sft', ['x-init']), req('x-rl', ['x-init'])]);
    q.worker('x-init').post({ type: 'failed', message: 'no shipped base "nope"' });
    q.worker('x-init').exit(0);
    expect(q.started()).toEqual(['x-init']);
    const [init, sft, rl] = q.jobs.list();
    expect(init).toMatchObject({ status: 'failed', message: 'no shipped base "nope"' });
    for (const j of [sft, rl]) expect(j).toMatchObject({ status: 'cancelled', message: `not started: it needed x-init (${init?.jobId}), which failed` });
  });

  it('never starts the dependants of a crashed or cancelled init', () => {
    const q = setup(4);
    q.jobs.enqueue([req('a-init'), req('a-rl', ['a-init']), req('b-init'), req('b-rl', ['b-init'])]);
    q.worker('a-init').exit(null, 'SIGKILL');
    expect(q.crashed).toEqual(['a-init: the job process was killed by SIGKILL; the run can be resumed from its last checkpoint']);
    expect(q.status('a-rl')).toBe('cancelled');
    q.jobs.cancel(q.jobs.list().find((j) => j.runId === 'b-init')!.jobId);
    expect(q.worker('b-init').received.at(-1)).toEqual({ type: 'cancel' });
    q.worker('b-init').post({ type: 'done', status: 'cancelled' });
    q.worker('b-init').exit(0);
    expect(q.jobs.list().find((j) => j.runId === 'b-rl')).toMatchObject({ status: 'cancelled', message: expect.stringMatching(/needed b-init .* which was cancelled/) });
    expect(q.started()).toEqual(['a-init', 'b-init']);
  });

  it('cancels a queued job without starting it, and frees its place for the next', () => {
    const q = setup(1);
    const [a, b, c] = q.jobs.enqueue([req('a'), req('b'), req('c')]);
    q.jobs.cancel(b!.jobId);
    expect(q.status('b')).toBe('cancelled');
    expect(q.events).toContainEqual({ type: 'status', jobId: b!.jobId, runId: 'b', status: 'cancelled', message: 'cancelled before it started' });
    q.worker('a').complete();
    expect(q.started()).toEqual(['a', 'c']);
    expect(c?.jobId).toBeDefined();
    expect(a?.jobId).not.toBe(b?.jobId);
  });

  it('refuses a duplicate of a queued or running run, all or nothing, with a named error', () => {
    const q = setup(1);
    q.jobs.enqueue([req('a'), req('b')]);
    expect(() => q.jobs.start(req('a'))).toThrow(JobConflictError);
    expect(() => q.jobs.start(req('b'))).toThrow(/run "b" already has a queued job \(job-[0-9a-f]{12}\)/);
    // The batch is refused whole: "c" is not queued because "b" conflicts.
    expect(() => q.jobs.enqueue([req('c'), req('b')])).toThrow(JobConflictError);
    expect(() => q.jobs.enqueue([req('d'), req('d')])).toThrow(/listed twice/);
    expect(() => q.jobs.enqueue([req('e', ['nowhere'])])).toThrow(/waits for run "nowhere", which has no queued or running job/);
    expect(q.jobs.list().map((j) => j.runId)).toEqual(['a', 'b']);
    // Once a run's job has ended, the run can be queued again (resume).
    q.worker('a').complete();
    q.worker('b').complete();
    expect(q.jobs.start(req('a')).status).toBe('running');
  });

  it('reports each worker\'s memory: latest and peak, and on progress events', () => {
    const q = setup(1);
    const [a] = q.jobs.enqueue([req('a')]);
    q.worker('a').post({ type: 'memory', rssMb: 300 });
    q.worker('a').post({ type: 'progress', stage: 'rl', step: 1, total: 4, metrics: {}, rssMb: 410 });
    q.worker('a').post({ type: 'memory', rssMb: 380, heapMb: 90 });
    q.worker('a').post({ type: 'memory', rssMb: 380, heapMb: 70 });
    expect(q.jobs.list()[0]).toMatchObject({ rssMb: 380, peakRssMb: 410, peakHeapMb: 90, step: 1, total: 4 });
    expect(q.events).toContainEqual(expect.objectContaining({ type: 'progress', jobId: a!.jobId, rssMb: 410 }));
  });

  it('follows a concurrency read from settings when rescheduled', () => {
    let limit = 1;
    const q = setup(() => limit);
    q.jobs.enqueue([req('a'), req('b'), req('c')]);
    expect(q.started()).toEqual(['a']);
    limit = 3;
    q.jobs.reschedule();
    expect(q.started()).toEqual(['a', 'b', 'c']);
    expect(q.jobs.concurrency).toBe(3);
  });

  it('resolves idle() once every job has ended and every worker exited', async () => {
    const q = setup(2);
    q.jobs.enqueue([req('a'), req('b', ['a'])]);
    let idle = false;
    const done = q.jobs.idle().then(() => (idle = true));
    q.worker('a').complete();
    await Promise.resolve();
    expect(idle).toBe(false);
    q.worker('b').post({ type: 'done', status: 'completed' });
    await Promise.resolve();
    expect(idle).toBe(false); // b's process is still alive
    q.worker('b').exit(0);
    await done;
    expect(q.jobs.list().map((j) => j.status)).toEqual(['completed', 'completed']);
  });

  it('marks a job failed when its worker cannot be spawned, and moves on', () => {
    const bus = new JobEventBus();
    let n = 0;
    const jobs = new JobManager(bus, () => {
      if (n++ === 0) throw new Error('EAGAIN');
      return new FakeWorker();
    }, { concurrency: 1 });
    jobs.enqueue([req('a'), req('b')]);
    expect(jobs.list().map((j) => j.status)).toEqual(['failed', 'running']);
    expect(jobs.list()[0]?.message).toMatch(/could not start: EAGAIN/);
  });
});
