/**
 * `sftrl train --seeds … --jobs 2`: real tiny runs (quick scale, a few steps) in real worker
 * processes, two at a time, each experiment's branches after its init.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { listRuns, readMetrics } from '../../../electron/runs/store';
import { tempDir } from '../../helpers/tmp';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('sftrl train --seeds --jobs', () => {
  it('refuses a bad seed list or job count before anything starts', async () => {
    for (const [args, message] of [
      [['--seeds', '3-1'], /--seeds: seed range "3-1" runs backwards/],
      [['--seeds', '0-2', '--seed', '1'], /give --seed N or --seeds LIST, not both/],
      [['--jobs', '0'], /--jobs must be a whole number from 1 to 256 \(got "0"\)/],
      [['--jobs', '1.5'], /--jobs must be a whole number/],
    ] as const) {
      const c = capture();
      expect(await main(['train', '--preset', 'gp-rule', ...args], c.io)).toBe(2);
      expect(c.err.join('\n')).toMatch(message);
    }
  });

  it('runs two seeds\' experiments two jobs at a time, branches after their own init, progress per run', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'd');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.resolve('bin/sftrl.mjs'), 'train', '--preset', 'gp-rule', '--quick', '--seeds', '0-1', '--jobs', '2', '--out', dataDir, '--backend', 'wasm',
          '--set', 'base.steps=2,base.multiTurnSteps=0,initSft.steps=0,sft.steps=2,rl.steps=2'],
        { env: { ...process.env, SFTRL_CONFIG_DIR: path.join(tmp.dir, 'c') }, maxBuffer: 16 * 1024 * 1024 },
      );
      const lines = stdout.split('\n');
      const runs = listRuns(dataDir);
      expect(runs.map((r) => `${r.seed}/${r.method}`).sort()).toEqual(['0/init', '0/rl', '0/sft', '1/init', '1/rl', '1/sft']);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);

      // Replay the status lines: never more than two running, and two did run side by side.
      let running = 0;
      let most = 0;
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      for (const line of lines) {
        if (/^\S+ running$/.test(line)) most = Math.max(most, ++running);
        if (/^\S+ (completed|failed|cancelled)/.test(line)) running--;
      }
      expect(most).toBe(2);
      for (const seed of [0, 1]) {
        const initDone = at(new RegExp(`-s${seed}-\\d+-quick-init completed$`));
        expect(initDone).toBeGreaterThanOrEqual(0);
        for (const branch of ['sft', 'rl']) expect(at(new RegExp(`-s${seed}-\\d+-quick-${branch} running$`))).toBeGreaterThan(initDone);
      }
      // Progress is printed per run, with the worker's memory.
      expect(lines.some((l) => /^gp-rule-s1-\d+-quick-rl\s+rl\s+\[#+\] 2\/2 .* \d+ MB/.test(l))).toBe(true);
      expect(stdout).toMatch(/done in .* with 2 jobs at a time/);
    } finally {
      tmp.cleanup();
    }
  }, 300_000);

  // A test that fails midway leaves no training process group behind.
  const groups: number[] = [];
  afterEach(() => {
    for (const pid of groups.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  /** `sftrl train` of one quick init run in its own process group (as a terminal's or a Slurm task's), once it has logged 3 steps. */
  async function trainUntilStep3(dir: string) {
    const dataDir = path.join(dir, 'd');
    const args = [path.resolve('bin/sftrl.mjs'), 'train', '--preset', 'gp-rule', '--quick', '--seed', '0', '--id', 'exp', '--only', 'init', '--out', dataDir, '--backend', 'wasm', '--jobs', '1',
      '--set', 'base.steps=12,base.multiTurnSteps=0,initSft.steps=0,checkpointEvery=1000'];
    const env = { ...process.env, SFTRL_CONFIG_DIR: path.join(dir, 'c') };
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    groups.push(child.pid as number);
    const log = { stderr: '' };
    child.stderr.on('data', (d: Buffer) => (log.stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const runFolder = path.join(dataDir, 'exp-init');
    const steps = () => readMetrics(runFolder).records.length;
    while (steps() < 3) {
      if (child.exitCode !== null) throw new Error(`train ended early: ${log.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { args, env, dataDir, child, log, exited, runFolder };
  }

  it('Ctrl+C (SIGINT to the terminal\'s process group, workers included) saves a checkpoint of the running run', async () => {
    const tmp = tempDir();
    try {
      const { child, log, exited, runFolder } = await trainUntilStep3(tmp.dir);
      process.kill(-(child.pid as number), 'SIGINT');
      expect(await exited).toBe(130);
      expect(log.stderr).toMatch(/cancelling: running workers save a checkpoint first \(Ctrl\+C again to kill\)/);
      expect(log.stderr).toMatch(/exp-init: cancelled at step \d+; resume continues from here/);
      expect((JSON.parse(fs.readFileSync(path.join(runFolder, 'run.json'), 'utf8')) as { status: string }).status).toBe('cancelled');
      expect(fs.readdirSync(path.join(runFolder, 'checkpoints')).filter((f) => /^step-\d+\.json$/.test(f))).toHaveLength(1);
    } finally {
      tmp.cleanup();
    }
  }, 300_000);

  it('SIGTERM (what a scheduler sends, in a burst) saves a checkpoint of the running run; the same command resumes it', async () => {
    const tmp = tempDir();
    try {
      const { args, env, dataDir, child, log, exited, runFolder } = await trainUntilStep3(tmp.dir);
      // Slurm signals every process of the task, and the batch script forwards the signal to
      // sftrl again: the parent must survive the repeats, relay the worker's checkpoint and exit.
      process.kill(-(child.pid as number), 'SIGTERM');
      for (const ms of [1, 5, 20]) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      }
      expect(await exited).toBe(130);
      expect(log.stderr).toMatch(/SIGTERM received: running workers save a checkpoint first/);
      expect(log.stderr).toMatch(/exp-init: cancelled at step \d+; resume continues from here/);
      const manifest = JSON.parse(fs.readFileSync(path.join(runFolder, 'run.json'), 'utf8')) as { status: string };
      expect(manifest.status).toBe('cancelled');
      const saved = fs.readdirSync(path.join(runFolder, 'checkpoints')).filter((f) => /^step-\d+\.json$/.test(f));
      expect(saved).toHaveLength(1);
      const { stderr: again } = await promisify(execFile)(process.execPath, args, { env, maxBuffer: 16 * 1024 * 1024 });
      expect(again).toMatch(new RegExp(`exp-init: resuming at step ${Number(/step-(\d+)/.exec(saved[0] as string)?.[1])} from checkpoint`));
      expect(listRuns(dataDir).map((r) => `${r.id}:${r.status}`)).toEqual(['exp-init:completed']);
      // A branch added to it under another seed (a forgotten --seed defaults to 0) is refused by name, before anything runs.
      const otherSeed = args.map((a, i) => (args[i - 1] === '--seed' ? '1' : args[i - 1] === '--only' ? 'sft' : a));
      await expect(promisify(execFile)(process.execPath, otherSeed, { env })).rejects.toMatchObject({ stderr: expect.stringMatching(/--id exp: its run exp-init in .* has seed 0, this command builds seed 1 \(give --seed 0\)/) });
      expect(listRuns(dataDir).map((r) => r.id)).toEqual(['exp-init']);
    } finally {
      tmp.cleanup();
    }
  }, 600_000);
});
