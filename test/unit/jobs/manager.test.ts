import { fork } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../shared/api/events';
import { EtaEstimator } from '../../../electron/jobs/eta';
import { JobEventBus } from '../../../electron/jobs/events';
import { JobConflictError, JobManager, type WorkerHandle } from '../../../electron/jobs/manager';

const script = path.resolve('test/fixtures/jobs/scripted-worker.mjs');

function spawnScripted(): WorkerHandle {
  const child = fork(script, [], { stdio: 'ignore' });
  return {
    send: (m) => child.send(m),
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.on('exit', (code) => l(code)),
    kill: () => child.kill('SIGKILL'),
  };
}

function collect(bus: JobEventBus) {
  const events: JobEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const until = (pred: (e: JobEvent) => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (events.some(pred) ? resolve() : setTimeout(check, 10));
      check();
    });
  return { events, until };
}

const spec = (kind: string, runId = `run-${kind}`) => ({ kind, runId, dataDir: '/nonexistent', resume: false });

describe('job manager', () => {
  it('runs a job in a child process and relays progress, logs and completion', async () => {
    const bus = new JobEventBus();
    const { events, until } = collect(bus);
    const jobs = new JobManager(bus, spawnScripted);
    const info = jobs.start(spec('ok'));
    await until((e) => e.type === 'status' && e.status === 'completed');
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.map((e) => e.type === 'progress' && e.step)).toEqual([1, 2, 3]);
    expect(progress[2]).toMatchObject({ jobId: info.jobId, runId: 'run-ok', stage: 'sft', total: 3, metrics: { 'train/loss': 0 } });
    expect(progress[0]).toMatchObject({ etaSeconds: null });
    expect(events).toContainEqual({ type: 'log', jobId: info.jobId, level: 'info', message: 'finished' });
    expect(jobs.list()[0]).toMatchObject({ status: 'completed', step: 3 });
  });

  it('reports a job failure with its message', async () => {
    const bus = new JobEventBus();
    const { events, until } = collect(bus);
    new JobManager(bus, spawnScripted).start(spec('fail'));
    await until((e) => e.type === 'status' && e.status === 'failed');
    expect(events.at(-1)).toMatchObject({ status: 'failed', message: 'config names an unknown preset "x"' });
  });

  it('notices a crashed worker and records the failure', async () => {
    const bus = new JobEventBus();
    const { events, until } = collect(bus);
    const crashed: string[] = [];
    new JobManager(bus, spawnScripted, { onCrash: (s, m) => crashed.push(`${s.runId}: ${m}`) }).start(spec('crash'));
    await until((e) => e.type === 'status' && e.status === 'failed');
    expect(crashed).toEqual(['run-crash: the job process exited unexpectedly (exit code 3); the run can be resumed from its last checkpoint']);
    expect(events.at(-1)).toMatchObject({ status: 'failed' });
  });

  it('cancels a running job and refuses a second job on the same run', async () => {
    const bus = new JobEventBus();
    const { until } = collect(bus);
    const jobs = new JobManager(bus, spawnScripted);
    const info = jobs.start(spec('hang'));
    expect(() => jobs.start(spec('hang'))).toThrow(JobConflictError);
    expect(() => jobs.start(spec('hang'))).toThrow(/run "run-hang" already has a running job/);
    jobs.cancel(info.jobId);
    await until((e) => e.type === 'status' && e.status === 'cancelled');
    expect(jobs.list()[0]?.status).toBe('cancelled');
    expect(() => jobs.cancel('job-nope')).toThrow(/no job "job-nope"/);
  });
});

describe('ETA', () => {
  it('extrapolates the stage rate and resets on a new stage', () => {
    let t = 0;
    const eta = new EtaEstimator(() => t);
    expect(eta.update('sft', 10, 110)).toBeNull();
    t = 5000;
    expect(eta.update('sft', 20, 110)).toBeCloseTo(45, 10); // 0.5 s/step × 90 steps
    expect(eta.update('rl', 0, 50)).toBeNull();
  });
});
