/**
 * Sweeps on a REAL one-node Slurm cluster (scripts/slurm-local.sh), no mock: a quick sweep of
 * 2 seeds × 2 branches run as job arrays, a task requeued mid-run that resumes from the
 * checkpoint it saved on SIGTERM with the metrics of an uninterrupted run, a cancelled sweep, a
 * task that fails, and a partition that does not exist. Tiny step counts keep it to a few minutes.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { readMetrics } from '../../../electron/runs/store';
import { sweepStatus } from '../../../electron/sweeps/status';
import { findSweep, readSlurmFile } from '../../../electron/sweeps/store';
import { slurmMissing, squeueStates, waitUntil } from '../../helpers/slurm';
import { tempDir } from '../../helpers/tmp';

const missing = slurmMissing();
if (missing && process.env.SFTRL_REQUIRE_SLURM === '1') throw new Error(`SFTRL_REQUIRE_SLURM=1 but ${missing}`);
if (missing) console.warn(`skipping the Slurm sweep tests: ${missing}`);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** Metrics that are a function of the seed and step (not of the machine's speed). */
function stableMetrics(dir: string): Record<string, number>[] {
  return readMetrics(dir).records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('episodes_per_s'))));
}

function lastStep(dir: string): number {
  const records = readMetrics(dir).records;
  return records[records.length - 1]?.step ?? 0;
}

describe.skipIf(missing !== null)(`sweeps on a local Slurm cluster${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let tmp: ReturnType<typeof tempDir>;
  const savedConfig = process.env.SFTRL_CONFIG_DIR;
  beforeAll(() => {
    tmp = tempDir('sftrl-slurm-');
    // sbatch passes the submitting environment to the tasks: they read these settings.
    process.env.SFTRL_CONFIG_DIR = path.join(tmp.dir, 'config');
  });
  afterAll(() => {
    if (savedConfig === undefined) delete process.env.SFTRL_CONFIG_DIR;
    else process.env.SFTRL_CONFIG_DIR = savedConfig;
    tmp.cleanup();
  });

  async function submit(store: string, args: string[], scale: string[] = ['--quick']): Promise<{ id: string; dir: string; jobIds: string[] }> {
    const c = capture();
    const code = await main(['sweep', 'submit', '--preset', 'gp-rule', ...scale, '--executor', 'slurm', '--backend', 'wasm', '--out', store, ...args], c.io);
    expect(code, c.err.join('\n')).toBe(0);
    const id = /^sweep (\S+):/m.exec(c.out.join('\n'))?.[1] as string;
    const { dir } = findSweep(id, store);
    return { id, dir, jobIds: readSlurmFile(dir).submissions.map((s) => s.jobId) };
  }

  async function untilDone(dir: string, timeoutMs: number) {
    const { record } = findSweep(dir, dir);
    return waitUntil(`sweep ${record.id} to end`, async () => {
      const view = await sweepStatus(dir, record);
      return view.done && view.runs.every((r) => !r.slurmState || !['PENDING', 'RUNNING', 'COMPLETING', 'REQUEUED'].includes(r.slurmState)) ? view : null;
    }, timeoutMs);
  }

  it('runs a quick sweep of 2 seeds × 2 branches as job arrays, branches after their own init, every run evaluated', async () => {
    const store = path.join(tmp.dir, 'quick');
    const { id, dir, jobIds } = await submit(store, ['--seeds', '0-1', '--branches', 'sft,rl', '--set', 'base.steps=2,base.multiTurnSteps=0,initSft.steps=0,sft.steps=3,rl.steps=3']);
    expect(jobIds).toHaveLength(3); // init, sft, rl arrays
    const script = fs.readFileSync(path.join(dir, 'sweep.sbatch'), 'utf8');
    expect(script).toMatch(/^#SBATCH --signal=B:USR1@90$/m);
    expect(script).toMatch(/^#SBATCH --requeue$/m);
    const view = await untilDone(dir, 240_000);
    expect(view.runs.map((r) => `${r.runId.slice(id.length + 1)} ${r.status} ${r.step}/${r.total} ${r.task} ${r.slurmState}`)).toEqual([
      `s0-init completed 2/2 ${jobIds[0]}_0 COMPLETED`, `s0-sft completed 3/3 ${jobIds[1]}_0 COMPLETED`, `s0-rl completed 3/3 ${jobIds[2]}_0 COMPLETED`,
      `s1-init completed 2/2 ${jobIds[0]}_1 COMPLETED`, `s1-sft completed 3/3 ${jobIds[1]}_1 COMPLETED`, `s1-rl completed 3/3 ${jobIds[2]}_1 COMPLETED`,
    ]);
    for (const r of view.runs) {
      const runFolder = path.join(store, r.runId);
      const manifest = JSON.parse(fs.readFileSync(path.join(runFolder, 'run.json'), 'utf8')) as { sweep: string; seed: number; method: string };
      expect(manifest).toMatchObject({ sweep: id, seed: r.seed, method: r.method });
      // Evaluated in and out of distribution: at the end for the init, at steps 0 and 3 for the branches.
      const evals = readMetrics(runFolder).records.filter((m) => m['eval/id/success'] !== undefined);
      expect(evals.map((m) => m.step)).toEqual(r.method === 'init' ? [2] : [0, 3]);
      for (const m of evals) {
        for (const k of ['eval/id/success', 'eval/ood/success']) {
          expect(m[k]).toBeGreaterThanOrEqual(0);
          expect(m[k]).toBeLessThanOrEqual(1);
        }
      }
      expect(fs.existsSync(path.join(runFolder, 'checkpoints', 'final.json'))).toBe(true);
      // The task's stdout and stderr are beside its run.
      expect(fs.readFileSync(path.join(runFolder, 'slurm.out'), 'utf8')).toMatch(new RegExp(`^== \\S+ Slurm job ${r.task} \\(id \\d+, restart 0\\) on \\S+: ${r.runId}$`, 'm'));
      expect(fs.readFileSync(path.join(runFolder, 'slurm.err'), 'utf8')).toMatch(/tfjs backend: wasm/);
    }
    // A branch started only after its own init had completed.
    for (const seed of [0, 1]) {
      const initDone = fs.statSync(path.join(store, `${id}-s${seed}-init`, 'checkpoints', 'final.json')).mtimeMs;
      for (const b of ['sft', 'rl']) expect(Date.parse((JSON.parse(fs.readFileSync(path.join(store, `${id}-s${seed}-${b}`, 'run.json'), 'utf8')) as { createdAt: string }).createdAt)).toBeGreaterThanOrEqual(Math.floor(initDone) - 1000);
    }
  }, 300_000);

  it('a task requeued mid-run checkpoints on SIGTERM and resumes there, ending with the metrics of an uninterrupted run', async () => {
    const store = path.join(tmp.dir, 'requeue');
    // No periodic checkpoint before the end: only the one saved on SIGTERM can carry the resume.
    const set = 'base.steps=2,base.multiTurnSteps=0,initSft.steps=0,rl.steps=10,checkpointEvery=100';
    const { id, jobIds } = await submit(store, ['--seeds', '3', '--branches', 'rl', '--set', set]);
    const rlDir = path.join(store, `${id}-s3-rl`);
    const task = `${jobIds[1]}_0`;
    await waitUntil('the RL task to log step 3', () => fs.existsSync(path.join(rlDir, 'metrics.jsonl')) && lastStep(rlDir) >= 3, 180_000, 100);
    execFileSync('scontrol', ['requeue', task]);
    const view = await untilDone(findSweep(id, store).dir, 240_000);
    expect(view.runs.map((r) => `${r.method} ${r.status} ${r.slurmState}`)).toEqual(['init completed COMPLETED', 'rl completed COMPLETED']);
    const err = fs.readFileSync(path.join(rlDir, 'slurm.err'), 'utf8');
    expect(err).toMatch(/SIGTERM received: running workers save a checkpoint first/);
    const stopped = Number(/cancelled at step (\d+); resume continues from here/.exec(err)?.[1]);
    expect(stopped).toBeGreaterThanOrEqual(3);
    expect(err).toMatch(new RegExp(`restart 1\\) on \\S+: ${id}-s3-rl`));
    expect(err).toMatch(new RegExp(`resuming at step ${stopped} from checkpoint step-${String(stopped).padStart(6, '0')}`));
    // No completed step was lost: nothing after the checkpoint had to be discarded.
    expect(fs.existsSync(path.join(rlDir, 'metrics.discarded.jsonl'))).toBe(false);

    // The same run uninterrupted, from the same init, with the same command a task runs.
    const ref = path.join(tmp.dir, 'requeue-ref');
    fs.mkdirSync(ref);
    fs.cpSync(path.join(store, `${id}-s3-init`), path.join(ref, `${id}-s3-init`), { recursive: true });
    await promisify(execFile)(process.execPath, [path.resolve('bin/sftrl.mjs'), 'train', '--preset', 'gp-rule', '--seed', '3', '--quick', '--branches', 'rl', '--set', set, '--id', `${id}-s3`, '--only', 'rl', '--out', ref, '--jobs', '1', '--backend', 'wasm'], { env: process.env });
    const resumed = stableMetrics(rlDir);
    // Evaluated at steps 0 and 10, trained at steps 1…10.
    expect(resumed.map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
    expect(resumed).toEqual(stableMetrics(path.join(ref, `${id}-s3-rl`)));
  }, 420_000);

  it('a task near its time limit checkpoints, requeues itself and resumes', async () => {
    const store = path.join(tmp.dir, 'time-limit');
    // A 1-minute limit announced 50 s ahead, and far more steps than fit in it (--quick would cap
    // them: the quick scale's sizes are set here instead).
    const small = 'model.width=32,model.layers=2,model.heads=2,model.ffnMult=2,base.steps=2,base.batch=32,base.multiTurnSteps=0,initSft.steps=0,rl.promptsPerStep=4,rl.groupSize=4,eval.idEpisodes=24,eval.oodEpisodes=24';
    const { id, dir, jobIds } = await submit(store, ['--seeds', '0', '--branches', 'rl', '--time', '1', '--signal-seconds', '50', '--set', `${small},rl.steps=5000,eval.everySteps=10000,checkpointEvery=10000`], []);
    expect(fs.readFileSync(path.join(dir, 'sweep.sbatch'), 'utf8')).toMatch(/^#SBATCH --time=1$/m);
    const rlDir = path.join(store, `${id}-s0-rl`);
    const err = await waitUntil('the RL task to resume after requeueing itself', () => {
      const text = fs.existsSync(path.join(rlDir, 'slurm.err')) ? fs.readFileSync(path.join(rlDir, 'slurm.err'), 'utf8') : '';
      return /restart 1\)[\s\S]*resuming at step \d+/.test(text) ? text : null;
    }, 180_000);
    expect(fs.readFileSync(path.join(rlDir, 'slurm.out'), 'utf8')).toMatch(/time limit near: checkpointing, then requeueing/);
    const stopped = Number(/cancelled at step (\d+); resume continues from here/.exec(err)?.[1]);
    expect(err).toMatch(new RegExp(`resuming at step ${stopped} from checkpoint step-${String(stopped).padStart(6, '0')}`));
    expect(await main(['sweep', 'cancel', dir], capture().io)).toBe(0);
    await waitUntil('the requeued task to be cancelled', () => squeueStates(jobIds).get(`${jobIds[1]}_0`) === 'CANCELLED', 90_000);
  }, 300_000);

  it('cancels a sweep: the running task saves a checkpoint, the waiting ones never start; resubmitted, it finishes', async () => {
    const store = path.join(tmp.dir, 'cancel');
    const { id, dir, jobIds } = await submit(store, ['--seeds', '0', '--set', 'base.steps=400,base.multiTurnSteps=0,initSft.steps=0,sft.steps=2,rl.steps=2']);
    const initDir = path.join(store, `${id}-s0-init`);
    await waitUntil('the init task to log a step', () => fs.existsSync(path.join(initDir, 'metrics.jsonl')) && lastStep(initDir) >= 1, 180_000, 100);
    const c = capture();
    expect(await main(['sweep', 'cancel', id, '--out', store], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(new RegExp(`cancelled sweep ${id}: Slurm arrays ${jobIds.join(', ')}`));
    const view = await untilDone(dir, 120_000);
    expect(view.cancelledAt).toBeDefined();
    expect([...squeueStates(jobIds).values()]).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    await waitUntil('the init run to record its cancellation', () => JSON.parse(fs.readFileSync(path.join(initDir, 'run.json'), 'utf8')).status === 'cancelled', 60_000);
    expect(fs.readdirSync(path.join(initDir, 'checkpoints')).some((f) => /^step-\d+\.json$/.test(f))).toBe(true);
    expect(view.runs.filter((r) => r.method !== 'init').map((r) => r.status)).toEqual(['not started', 'not started']);

    // Resubmitted, the sweep finishes: the init from its checkpoint, then the branches.
    const r = capture();
    expect(await main(['sweep', 'resubmit', dir], r.io), r.err.join('\n')).toBe(0);
    expect(r.out.join('\n')).toMatch(new RegExp(`resubmitted sweep ${id} \\(3 runs not completed`));
    const finished = await untilDone(dir, 240_000);
    expect(finished.cancelledAt).toBeUndefined();
    expect(finished.runs.map((x) => `${x.method} ${x.status} ${x.slurmState}`)).toEqual(['init completed COMPLETED', 'sft completed COMPLETED', 'rl completed COMPLETED']);
    expect(fs.readFileSync(path.join(initDir, 'slurm.err'), 'utf8')).toMatch(/resuming at step \d+ from checkpoint step-/);
  }, 420_000);

  it('shows the last lines of a failed task\'s log, and its branches never start', async () => {
    const store = path.join(tmp.dir, 'failing');
    // A base that does not exist: the run fails in training, as a broken config would on a cluster.
    const { dir } = await submit(store, ['--seeds', '0', '--base', 'no-such-base', '--set', 'initSft.steps=0,sft.steps=2,rl.steps=2']);
    const view = await untilDone(dir, 180_000);
    const init = view.runs.find((r) => r.method === 'init');
    // The run never trained (its base could not load), so its run.json says no more than created.
    expect(init).toMatchObject({ status: 'created', slurmState: 'FAILED' });
    expect(init?.logTail?.join('\n')).toMatch(/no shipped base "no-such-base"/);
    expect(view.runs.filter((r) => r.method !== 'init').map((r) => `${r.status} ${r.slurmState}`)).toEqual(['not started CANCELLED', 'not started CANCELLED']);
    const c = capture();
    expect(await main(['sweep', 'status', dir], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/-init\s+created .* FAILED[^\n]*\n(\s+\| .*\n)*\s+\| .*no shipped base "no-such-base"/);
  }, 240_000);

  it('shows Slurm\'s own message when it refuses a submission, and queues nothing', async () => {
    const store = path.join(tmp.dir, 'refused');
    const c = capture();
    expect(await main(['sweep', 'submit', '--preset', 'gp-rule', '--quick', '--executor', 'slurm', '--partition', 'no-such-partition', '--out', store], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/Slurm refused the init array of sweep gp-rule-\d+-quick: .*Invalid partition name specified/);
    const sweeps = fs.readdirSync(path.join(store, 'sweeps'));
    expect(sweeps).toHaveLength(1);
    expect(readSlurmFile(path.join(store, 'sweeps', sweeps[0] as string)).submissions).toEqual([]);
    expect(execFileSync('squeue', ['-h', '--name', `sftrl-${sweeps[0]}`], { encoding: 'utf8' }).trim()).toBe('');
  });
});
