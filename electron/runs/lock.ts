/**
 * One writer per run folder. The process training a run holds `run.lock` (its pid, host and
 * start time); a second writer is refused with the owner named. A lock whose process is gone
 * (same host, pid not alive) is stale: the next writer takes it over, and readers report a
 * `running` run without a live owner as interrupted. A lock from another host cannot be checked
 * and counts as live — except one taken by an earlier start of the same Slurm job (same job id,
 * other restart count): Slurm runs one instance of a job at a time, so a requeued task takes
 * over the lock its killed instance left on another node.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './atomic';

export const LOCK_FILE = 'run.lock';

export class RunLockedError extends Error {}

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** Tells this holder's lock from a later one by the same pid. */
  token: string;
  /** SLURM_JOB_ID and SLURM_RESTART_COUNT of a holder running as a Slurm job. */
  slurmJob?: string;
  slurmRestart?: string;
}

function slurmIdentity(env: NodeJS.ProcessEnv = process.env): Pick<LockOwner, 'slurmJob' | 'slurmRestart'> {
  return env.SLURM_JOB_ID ? { slurmJob: env.SLURM_JOB_ID, slurmRestart: env.SLURM_RESTART_COUNT ?? '0' } : {};
}

/** The holder is an earlier instance of this very Slurm job (requeued since): it cannot be running. */
export function earlierInstanceOfThisJob(owner: LockOwner, env: NodeJS.ProcessEnv = process.env): boolean {
  const me = slurmIdentity(env);
  return me.slurmJob !== undefined && owner.slurmJob === me.slurmJob && owner.slurmRestart !== me.slurmRestart;
}

function readOwner(file: string): LockOwner | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
    return { pid: v.pid, host: v.host, startedAt: String(v.startedAt ?? ''), token: String(v.token ?? ''), ...(typeof v.slurmJob === 'string' ? { slurmJob: v.slurmJob, slurmRestart: String(v.slurmRestart ?? '0') } : {}) };
  } catch {
    return null;
  }
}

/** Whether the owner may still be writing: always for another host, which cannot be checked. */
export function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** The run's live writer, or null when no process holds the folder (no lock, or a stale one). */
export function liveOwner(runDir: string): LockOwner | null {
  const owner = readOwner(path.join(runDir, LOCK_FILE));
  return owner && ownerAlive(owner) ? owner : null;
}

export interface RunLock {
  owner: LockOwner;
  /** The stale lock this one replaced, if any. */
  replaced: LockOwner | null;
  release(): void;
}

/** Takes the run folder's lock, or throws naming the process that holds it. */
export function acquireRunLock(runDir: string): RunLock {
  const file = path.join(runDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), token: crypto.randomBytes(8).toString('hex'), ...slurmIdentity() };
  let replaced: LockOwner | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileAtomic(file, `${JSON.stringify(owner)}\n`, { exclusive: true });
      return {
        owner,
        replaced,
        release: () => {
          if (readOwner(file)?.token === owner.token) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = readOwner(file);
    if (held && ownerAlive(held) && !earlierInstanceOfThisJob(held)) {
      throw new RunLockedError(`${runDir} is being written by process ${held.pid} on ${held.host} (since ${held.startedAt}); wait for it to finish or stop it, then resume`);
    }
    // Stale (or unreadable): move it aside under a name of our own, then check that what moved is
    // what we judged stale — another writer may have taken over in between, and gets it back.
    const aside = `${file}.stale-${owner.token}`;
    try {
      fs.renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = readOwner(aside);
    if (held && moved && moved.token !== held.token) {
      try {
        fs.linkSync(aside, file);
      } catch {
        // the name was taken again meanwhile: that writer holds it
      }
      fs.rmSync(aside, { force: true });
      continue;
    }
    fs.rmSync(aside, { force: true });
    replaced = held;
  }
  throw new RunLockedError(`could not take the lock of ${runDir}: other processes keep taking it`);
}
