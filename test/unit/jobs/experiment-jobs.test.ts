/**
 * Experiments through the API into the run queue: one job per run of the plan, branches waiting
 * for the init, seeds side by side, duplicates refused as a bad request, resume re-queueing only
 * the unfinished runs. Workers are fakes: nothing trains here.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../electron/api/dispatch';
import { JobEventBus } from '../../../electron/jobs/events';
import { JobManager, type WorkerHandle } from '../../../electron/jobs/manager';
import type { JobSpec, ToWorker } from '../../../electron/jobs/protocol';
import { createRun } from '../../../electron/runs/store';
import type { JobInfoView } from '../../../shared/api/channels/experiments';
import { experimentId, runConfigOf } from '../../../shared/experiments/plan';
import { GP_RULE, GP_VERIFICATION } from '../../../shared/experiments/presets';
import { testContext } from '../../helpers/api';

const started: { spec: JobSpec; post(m: unknown): void; exit(code: number): void }[] = [];

function fakeSpawn(): WorkerHandle {
  let onMessage: (m: unknown) => void = () => {};
  let onExit: (code: number | null) => void = () => {};
  return {
    send(m: ToWorker) {
      if (m.type === 'start') started.push({ spec: m.spec, post: (x) => onMessage(x), exit: (c) => onExit(c) });
    },
    onMessage: (l) => void (onMessage = l),
    onExit: (l) => void (onExit = l),
    kill: () => {},
  };
}

describe('experiments in the run queue (API)', () => {
  let t: ReturnType<typeof testContext>;
  let jobs: JobManager;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T07:00:00Z'));
    started.length = 0;
    t = testContext();
    jobs = new JobManager(new JobEventBus(), fakeSpawn, { concurrency: 2 });
    t.ctx.jobs = jobs;
  });
  afterEach(() => {
    vi.useRealTimers();
    t.cleanup();
  });

  const call = (channel: string, payload: unknown) => dispatch(t.ctx, channel, payload);

  it('queues one job per run, seeds together, branches waiting for their own init', async () => {
    const res = await call('experiments:launch', { config: GP_RULE, quick: true, seeds: [3, 4] });
    expect(res.ok).toBe(true);
    const { experimentIds, jobs: queued } = (res as { data: { experimentIds: string[]; jobs: JobInfoView[] } }).data;
    expect(experimentIds).toEqual(['gp-rule-s3-202612010700-quick', 'gp-rule-s4-202612010700-quick']);
    expect(queued.map((j) => j.runId)).toEqual(experimentIds.flatMap((id) => [`${id}-init`, `${id}-sft`, `${id}-rl`]));
    const byRun = new Map(queued.map((j) => [j.runId, j]));
    for (const id of experimentIds) {
      expect(byRun.get(`${id}-sft`)?.dependsOn).toEqual([byRun.get(`${id}-init`)?.jobId]);
      expect(byRun.get(`${id}-rl`)?.dependsOn).toEqual([byRun.get(`${id}-init`)?.jobId]);
    }
    // Two slots: both inits run; each job runs one run of the plan.
    expect(started.map((s) => s.spec.runId)).toEqual(experimentIds.map((id) => `${id}-init`));
    expect(started[0]?.spec.payload).toMatchObject({ id: experimentIds[0], only: ['init'], config: { seed: 3 } });
    const listed = await call('jobs:list', {});
    expect(listed).toMatchObject({ ok: true, data: { concurrency: 2 } });
  });

  it('queues the gp-verification preset\'s four RL branches behind one init; refuses a branch the context cannot hold', async () => {
    const res = await call('experiments:launch', { config: GP_VERIFICATION, quick: true });
    expect(res.ok).toBe(true);
    const { jobs: queued } = (res as { data: { jobs: JobInfoView[] } }).data;
    expect(queued.map((j) => j.runId.replace(/^.*-quick-/, ''))).toEqual(['init', 'rl-v1', 'rl-v3', 'rl-v5', 'rl-v10']);
    const tooShort = await call('experiments:launch', { config: { ...GP_RULE, branches: ['rl', 'rl-v10'] }, quick: true });
    expect(tooShort).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/context 80 is too short for 10 attempts \(needs 211 tokens\)/) } });
    expect(jobs.list()).toHaveLength(5);
  });

  it('refuses a duplicate launch as a bad request naming the run, not an internal error', async () => {
    expect((await call('experiments:launch', { config: GP_RULE, quick: true })).ok).toBe(true);
    const again = await call('experiments:launch', { config: GP_RULE, quick: true });
    expect(again).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/run "gp-rule-s0-202612010700-quick-init" already has a running job \(job-[0-9a-f]{12}\)/) } });
    expect(jobs.list()).toHaveLength(3);
  });

  it('resumes only the unfinished runs; a branch whose init completed starts at once', async () => {
    const id = experimentId(GP_RULE, new Date());
    const now = new Date().toISOString();
    const make = (method: string, status: 'completed' | 'failed') =>
      createRun(t.dataDir, { format: 1, id: `${id}-${method}`, name: method, createdAt: now, updatedAt: now, status, task: 'GeneralPoints-v0', method, seed: 0, config: runConfigOf(GP_RULE, id, { parent: method === 'init' ? null : `${id}-init`, config: GP_RULE, reference: false }), versions: {} });
    make('init', 'completed');
    make('rl', 'failed');
    const res = await call('runs:resume', { id: `${id}-rl` });
    expect(res).toMatchObject({ ok: true, data: { experimentId: id } });
    const queued = (res as { data: { jobs: JobInfoView[] } }).data.jobs;
    expect(queued.map((j) => [j.runId, j.dependsOn])).toEqual([[`${id}-sft`, []], [`${id}-rl`, []]]);
    // The RL branch, the longer run, starts first (the queue orders ready jobs by estimated work).
    expect(started.map((s) => s.spec.payload)).toMatchObject([{ only: ['rl'] }, { only: ['sft'] }]);
    // A second resume while they run is refused, naming the run.
    expect(await call('runs:resume', { id: `${id}-rl` })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/already has a running job/) } });
    expect(await call('runs:resume', { id: `${id}-init` })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/already queued or running/) } });
  });

  it('resume while the init still runs: the branches wait for that job', async () => {
    await call('experiments:launch', { config: { ...GP_RULE, branches: ['sft'] }, quick: false });
    const id = experimentId(GP_RULE, new Date());
    const init = jobs.list().find((j) => j.runId === `${id}-init`);
    jobs.cancel(jobs.list().find((j) => j.runId === `${id}-sft`)!.jobId); // queued: cancelled at once
    const now = new Date().toISOString();
    createRun(t.dataDir, { format: 1, id: `${id}-sft`, name: 'sft', createdAt: now, updatedAt: now, status: 'cancelled', task: 'GeneralPoints-v0', method: 'sft', seed: 0, config: runConfigOf({ ...GP_RULE, branches: ['sft'] }, id, { parent: `${id}-init`, config: { ...GP_RULE, branches: ['sft'] }, reference: false }), versions: {} });
    const res = await call('runs:resume', { id: `${id}-sft` });
    expect(res).toMatchObject({ ok: true });
    const queued = (res as { data: { jobs: JobInfoView[] } }).data.jobs;
    expect(queued).toEqual([expect.objectContaining({ runId: `${id}-sft`, status: 'queued', dependsOn: [init?.jobId] })]);
    // The init fails: the resumed branch is not started, and says why.
    const worker = started.find((s) => s.spec.runId === `${id}-init`)!;
    worker.post({ type: 'failed', message: 'boom' });
    worker.exit(0);
    expect(jobs.list().find((j) => j.jobId === queued[0]?.jobId)).toMatchObject({ status: 'cancelled', message: expect.stringMatching(/needed .*-init .* which failed/) });
  });
});
