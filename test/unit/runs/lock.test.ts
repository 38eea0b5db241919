import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, LOCK_FILE, liveOwner } from '../../../electron/runs/lock';
import { createRun, getRun, listRuns } from '../../../electron/runs/store';
import type { RunManifest } from '../../../shared/api/runs';
import { tempDir } from '../../helpers/tmp';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (pid === undefined) throw new Error('could not start a process');
  return pid;
}

function manifest(id: string, status: RunManifest['status']): RunManifest {
  const at = '2026-01-01T00:00:00Z';
  return { format: 1, id, name: id, createdAt: at, updatedAt: at, status, task: 'GeneralPoints-v0', method: 'rl', seed: 0, config: {}, versions: {} };
}

describe('run folder lock', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('refuses a second writer, naming the owner, until the first releases', () => {
    const dir = createRun(tmp.dir, manifest('r', 'created'));
    const first = acquireRunLock(dir);
    expect(liveOwner(dir)).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(() => acquireRunLock(dir)).toThrow(new RegExp(`is being written by process ${process.pid} on ${os.hostname()} \\(since .*\\); wait for it to finish or stop it`));
    first.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const second = acquireRunLock(dir);
    expect(second.replaced).toBeNull();
    // A holder that lost its lock to a successor does not remove the successor's on release.
    first.release();
    expect(liveOwner(dir)?.token).toBe(second.owner.token);
    second.release();
  });

  it('takes over a lock whose process is gone, and an unreadable one', () => {
    const dir = createRun(tmp.dir, manifest('r', 'created'));
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), startedAt: 'then', token: 'old' }));
    expect(liveOwner(dir)).toBeNull();
    const lock = acquireRunLock(dir);
    expect(lock.replaced).toMatchObject({ pid, token: 'old' });
    lock.release();
    fs.writeFileSync(path.join(dir, LOCK_FILE), '{"pid": 1');
    acquireRunLock(dir).release();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(LOCK_FILE))).toEqual([]);
  });

  it('counts a lock from another host as live (it cannot be checked)', () => {
    const dir = createRun(tmp.dir, manifest('r', 'created'));
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: `not-${os.hostname()}`, startedAt: 'then', token: 't' }));
    expect(() => acquireRunLock(dir)).toThrow(/on not-.* \(since then\)/);
  });

  it('lets a requeued Slurm task take over the lock its killed instance left on another node, and nothing else', () => {
    const dir = createRun(tmp.dir, manifest('r', 'running'));
    const other = { pid: 1, host: `node-${os.hostname()}-b`, startedAt: 'then', token: 't', slurmJob: '42', slurmRestart: '0' };
    const saved = { id: process.env.SLURM_JOB_ID, restart: process.env.SLURM_RESTART_COUNT };
    const restore = () => {
      for (const [k, v] of [['SLURM_JOB_ID', saved.id], ['SLURM_RESTART_COUNT', saved.restart]] as const) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    };
    try {
      fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(other));
      // Another job, or this job's same instance: the lock on the other host still counts as live.
      process.env.SLURM_JOB_ID = '43';
      process.env.SLURM_RESTART_COUNT = '1';
      expect(() => acquireRunLock(dir)).toThrow(/is being written by process 1 on node-/);
      process.env.SLURM_JOB_ID = '42';
      process.env.SLURM_RESTART_COUNT = '0';
      expect(() => acquireRunLock(dir)).toThrow(/is being written by process 1 on node-/);
      // The same job after a requeue (restart count 1) takes it over, and records itself.
      process.env.SLURM_RESTART_COUNT = '1';
      const lock = acquireRunLock(dir);
      expect(lock.replaced).toMatchObject({ host: other.host, slurmJob: '42', slurmRestart: '0' });
      expect(liveOwner(dir)).toMatchObject({ pid: process.pid, slurmJob: '42', slurmRestart: '1' });
      lock.release();
    } finally {
      restore();
    }
  });

  it('shows a running run without a live writer as interrupted, and one with a writer as running', () => {
    const gone = createRun(tmp.dir, manifest('gone', 'running'));
    fs.writeFileSync(path.join(gone, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: 'then', token: 't' }));
    createRun(tmp.dir, manifest('nolock', 'running'));
    const live = createRun(tmp.dir, manifest('live', 'running'));
    const lock = acquireRunLock(live);
    createRun(tmp.dir, manifest('done', 'completed'));
    try {
      const status = Object.fromEntries(listRuns(tmp.dir).map((r) => [r.id, r.status]));
      expect(status).toEqual({ gone: 'interrupted', nolock: 'interrupted', live: 'running', done: 'completed' });
      expect(getRun(tmp.dir, 'gone').summary.status).toBe('interrupted');
    } finally {
      lock.release();
    }
  });
});
