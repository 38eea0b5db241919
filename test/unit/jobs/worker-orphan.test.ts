/**
 * `sftrl train` killed on its own (SIGKILL of the CLI, not its worker): the worker must not train
 * on unattended. It notices its parent is gone, saves a checkpoint, releases the run and exits.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, liveOwner } from '../../../electron/runs/lock';
import { listRuns } from '../../../electron/runs/store';
import { tempDir } from '../../helpers/tmp';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => T | null | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a job worker whose CLI dies', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('stops training, keeps a resumable run, and exits', async () => {
    const dataDir = path.join(tmp.dir, 'runs');
    const cli = spawn(process.execPath, [path.resolve('bin/sftrl.mjs'), 'train', '--preset', 'gp-rule', '--quick', '--out', dataDir, '--backend', 'cpu'], {
      env: { ...process.env, SFTRL_CONFIG_DIR: path.join(tmp.dir, 'config') },
      stdio: 'ignore',
    });
    let workerPid = 0;
    try {
      // Training has begun: the worker holds the init run's lock and has logged a metrics line.
      const initDir = await until('the init run to start training', () => {
        const id = fs.existsSync(dataDir) ? fs.readdirSync(dataDir).find((d) => d.endsWith('-init')) : undefined;
        const dir = id && path.join(dataDir, id);
        return dir && fs.existsSync(path.join(dir, LOCK_FILE)) && fs.existsSync(path.join(dir, 'metrics.jsonl')) ? dir : null;
      }, 90_000);
      workerPid = liveOwner(initDir)?.pid ?? 0;
      expect(workerPid).toBeGreaterThan(0);
      expect(workerPid).not.toBe(cli.pid);
      cli.kill('SIGKILL');
      await until('the orphaned worker to exit', () => !alive(workerPid), 90_000);
      // Cancelled at a step with a checkpoint (not crashed, not finished): resumable from there.
      expect(listRuns(dataDir).find((r) => r.id.endsWith('-init'))?.status).toBe('cancelled');
      expect(liveOwner(initDir)).toBeNull();
      expect(listRuns(dataDir).map((r) => r.id.replace(/^.*-/, ''))).toEqual(['init']); // no branch started
    } finally {
      cli.kill('SIGKILL');
      if (workerPid && alive(workerPid)) process.kill(workerPid, 'SIGKILL');
    }
  }, 200_000);
});
