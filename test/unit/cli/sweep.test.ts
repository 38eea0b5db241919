/**
 * `sftrl sweep` without Slurm: plans, spec files and flags, the errors a user meets before anything
 * runs, and a real tiny sweep on the local run queue whose runs are grouped by their sweep.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { listRuns } from '../../../electron/runs/store';
import { listSweepStatus } from '../../../electron/sweeps/status';
import { tempDir } from '../../helpers/tmp';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const TINY = 'base.steps=2,base.multiTurnSteps=0,initSft.steps=0,sft.steps=2,rl.steps=2';

describe('sftrl sweep', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('plans seeds × grid points from a spec file, flags overriding its fields', async () => {
    const file = path.join(tmp.dir, 'sweep.json');
    fs.writeFileSync(file, JSON.stringify({ preset: 'gp-rule', seeds: '0-2', branches: ['rl'], grid: { 'rl.klBeta': [0, 0.05] }, quick: true, executor: { kind: 'slurm', partition: 'gpu' } }));
    const c = capture();
    expect(await main(['sweep', 'plan', file, '--seeds', '4,5', '--set', TINY, '--json', '--out', tmp.dir], c.io)).toBe(0);
    const plan = JSON.parse(c.out.join('\n')) as { spec: { executor: { partition: string } }; experiments: { id: string; seed: number; set: string; runs: { runId: string; method: string; steps: number }[] }[] };
    expect(plan.spec.executor.partition).toBe('gpu');
    expect(plan.experiments.map((e) => `${e.id.replace(/^gp-rule-\d+-quick-/, '')}:${e.seed}`)).toEqual(['c0-s4:4', 'c0-s5:5', 'c1-s4:4', 'c1-s5:5']);
    expect(plan.experiments[3]?.set).toBe(`${TINY},rl.klBeta=0.05`);
    expect(plan.experiments[0]?.runs.map((r) => `${r.method}:${r.steps}`)).toEqual(['init:2', 'rl:2']);
    // The readable plan says what will run where.
    const t = capture();
    expect(await main(['sweep', 'plan', file, '--set', TINY, '--out', tmp.dir], t.io)).toBe(0);
    expect(t.out[0]).toMatch(/6 experiments \(3 seed\(s\) × 2 grid point\(s\)\), 12 runs, executor slurm/);
    expect(t.out.join('\n')).toMatch(/-c1-s2-rl\s+rl\s+seed 2\s+2 steps\s+rl.klBeta=0.05\s+\(after .*-c1-s2-init\)/);
  });

  it('refuses bad input before anything is created, naming the problem', async () => {
    for (const [args, message] of [
      [['sweep'], /name a sweep command: plan, submit, status, cancel/],
      [['sweep', 'launch'], /unknown sweep command "launch"/],
      [['sweep', 'plan'], /name a --preset/],
      [['sweep', 'plan', '--preset', 'gp-rule', '--partition', 'x'], /--partition only apply to --executor slurm/],
      [['sweep', 'plan', '--preset', 'gp-rule', '--executor', 'slurm', '--jobs', '2'], /--jobs applies to the local executor/],
      [['sweep', 'plan', '--preset', 'gp-rule', '--grid', 'rl.klBeta'], /--grid: "rl.klBeta" is not FIELD=V1\|V2/],
      [['sweep', 'plan', '--preset', 'gp-rule', '--grid', 'rl.klBeta=x|0'], /rl.klBeta is a number; got "x"/],
      [['sweep', 'plan', '--preset', 'gp-rule', '--executor', 'pbs'], /--executor must be local or slurm/],
      [['sweep', 'plan', path.join(tmp.dir, 'missing.json')], /cannot read the sweep spec .*missing.json: ENOENT/],
    ] as const) {
      const c = capture();
      expect(await main([...args, '--out', tmp.dir], c.io), args.join(' ')).toBe(2);
      expect(c.err.join('\n')).toMatch(message);
    }
    expect(fs.readdirSync(tmp.dir)).toEqual([]);
  });

  it('says when sbatch is not on the PATH, and when the run store cannot be written', async () => {
    const saved = process.env.PATH;
    try {
      process.env.PATH = path.join(tmp.dir, 'empty-bin');
      const c = capture();
      expect(await main(['sweep', 'submit', '--preset', 'gp-rule', '--quick', '--executor', 'slurm', '--out', path.join(tmp.dir, 'store')], c.io)).toBe(1);
      expect(c.err.join('\n')).toMatch(/sbatch is not on the PATH: run this on a Slurm login node \(or load Slurm first, e\.g\. "module load slurm"\), or use the local executor/);
      expect(c.err.join('\n')).toMatch(/nothing of the sweep is queued; its script is .*sweep\.sbatch/);
    } finally {
      process.env.PATH = saved;
    }
    // A file where a folder should be (root may write anywhere else, so this is what fails for every user).
    fs.writeFileSync(path.join(tmp.dir, 'a-file'), '');
    const c = capture();
    expect(await main(['sweep', 'submit', '--preset', 'gp-rule', '--quick', '--executor', 'slurm', '--out', path.join(tmp.dir, 'a-file', 'store')], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/the run store .*a-file\/store is not writable \(a part of the path is a file, not a folder\); every task writes its run there/);
  });

  it('runs a grid on the local run queue: every run records its sweep, and the sweep lists them grouped', async () => {
    const store = path.join(tmp.dir, 'store');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.resolve('bin/sftrl.mjs'), 'sweep', 'submit', '--preset', 'gp-rule', '--quick', '--seeds', '0', '--branches', 'rl', '--grid', 'rl.klBeta=0|0.05', '--set', TINY, '--jobs', '2', '--backend', 'wasm', '--out', store],
      { env: { ...process.env, SFTRL_CONFIG_DIR: path.join(tmp.dir, 'c') }, maxBuffer: 16 * 1024 * 1024 },
    );
    const id = /^sweep (\S+): 2 experiments, 4 runs/m.exec(stdout)?.[1];
    expect(id).toMatch(/^gp-rule-\d{14}-quick$/);
    const runs = listRuns(store);
    expect(runs.map((r) => `${r.id.slice(id!.length + 1)}:${r.status}:${r.sweep}`).sort()).toEqual([`c0-s0-init:completed:${id}`, `c0-s0-rl:completed:${id}`, `c1-s0-init:completed:${id}`, `c1-s0-rl:completed:${id}`]);
    const { sweeps, problems } = await listSweepStatus(store);
    expect(problems).toEqual([]);
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]).toMatchObject({ id, executor: 'local', done: true, slurmVisible: false, grid: { 'rl.klBeta': [0, 0.05] } });
    expect(sweeps[0]?.runs.map((r) => `${r.method}:${r.status}:${r.step}/${r.total}:${JSON.stringify(r.point)}`)).toEqual(['init:completed:2/2:{"rl.klBeta":0}', 'rl:completed:2/2:{"rl.klBeta":0}', 'init:completed:2/2:{"rl.klBeta":0.05}', 'rl:completed:2/2:{"rl.klBeta":0.05}']);
    // The grid value reached the run's config.
    const rl = JSON.parse(fs.readFileSync(path.join(store, `${id}-c1-s0-rl`, 'run.json'), 'utf8')) as { config: { rl: { klBeta: number } } };
    expect(rl.config.rl.klBeta).toBe(0.05);
    // `sftrl sweep status` reads the same.
    const c = capture();
    expect(await main(['sweep', 'status', '--out', store], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(new RegExp(`${id}\\s+local\\s+4/4 runs completed`));
  }, 300_000);
});
