/**
 * The paper's secondary findings from the command line, end to end with real tiny runs in worker
 * processes: `sftrl train --preset gp-verification` (RL with 1, 3, 5 and 10 attempts from one
 * init, paper Fig. 10) read by the "OOD gain vs V" figure preset, and `--branches rl,rl-no-sft`
 * (RL from the base checkpoint, before the initial SFT, paper Fig. 9).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { flattenConfig, readSeries } from '../../../electron/api/handlers/metrics';
import { listRuns, readMetrics, readRunManifest } from '../../../electron/runs/store';
import { buildFigure } from '../../../shared/figures/build';
import type { RunInput } from '../../../shared/figures/model';
import { defaultViewSpec, isVerificationSweepMethod, verificationGainPreset } from '../../../shared/figures/spec';
import { tempDir } from '../../helpers/tmp';

const TINY = 'model.width=16,model.layers=1,model.heads=2,model.ffnMult=1,base.steps=2,base.multiTurnSteps=1,base.batch=4,sft.steps=2,sft.batch=4,' +
  'rl.steps=2,rl.promptsPerStep=2,rl.groupSize=2,eval.everySteps=2,eval.idEpisodes=3,eval.oodEpisodes=3,checkpointEvery=2';

async function sftrl(tmp: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [path.resolve('bin/sftrl.mjs'), ...args], { env: { ...process.env, SFTRL_CONFIG_DIR: path.join(tmp, 'c') }, maxBuffer: 16 * 1024 * 1024 });
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('sftrl train: verification iterations and RL without the initial SFT', () => {
  it('refuses a branch whose attempts the context cannot hold, before anything starts', async () => {
    const tmp = tempDir();
    try {
      const c = capture();
      expect(await main(['train', '--preset', 'gp-rule', '--branches', 'rl,rl-v10', '--out', path.join(tmp.dir, 'd')], c.io)).toBe(2);
      expect(c.err.join('\n')).toMatch(/context 80 is too short for 10 attempts \(needs 211 tokens\)/);
      expect(fs.existsSync(path.join(tmp.dir, 'd'))).toBe(false);
      const bad = capture();
      expect(await main(['train', '--preset', 'gp-rule', '--branches', 'rl,rl-v7'], bad.io)).toBe(2);
      expect(bad.err.join('\n')).toMatch(/branches/);
    } finally {
      tmp.cleanup();
    }
  });

  it('--preset gp-verification trains rl-v1, rl-v3, rl-v5 and rl-v10 from one init, evaluated with 10 attempts; the Fig. 10 preset plots their gains', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'd');
      const { stdout } = await sftrl(tmp.dir, ['train', '--preset', 'gp-verification', '--jobs', '2', '--out', dataDir, '--backend', 'wasm', '--set', TINY]);
      expect(stdout).toMatch(/branches rl-v1, rl-v3, rl-v5, rl-v10/);
      const runs = listRuns(dataDir);
      expect(runs.map((r) => r.method).sort()).toEqual(['init', 'rl-v1', 'rl-v10', 'rl-v3', 'rl-v5']);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
      const inputs: RunInput[] = [];
      for (const r of runs) {
        const dir = path.join(dataDir, r.id);
        const config = readRunManifest(dir)?.config as { ran: { rl: { verificationLimit: number }; eval: { verificationLimit: number } }; model: { context: number } };
        expect(config.model.context).toBe(216);
        expect(config.ran.eval.verificationLimit).toBe(10);
        const records = readMetrics(dir).records;
        if (r.method !== 'init') {
          const v = Number(r.method.slice(4));
          expect(config.ran.rl.verificationLimit).toBe(v);
          const attempts = records.map((m) => m['rl/attempts']).filter((a): a is number => a !== undefined);
          expect(attempts.length).toBe(2);
          expect(Math.max(...attempts)).toBeLessThanOrEqual(v);
          if (v === 1) expect(attempts).toEqual([1, 1]);
          const last = records.at(-1) as Record<string, number>;
          for (const k of [1, 3, 5, 10]) expect(last, `success_within_${k}`).toHaveProperty([`eval/ood/success_within_${k}`]);
        }
        inputs.push({ id: r.id, label: r.name, fields: { ...flattenConfig(readRunManifest(dir)?.config), method: r.method }, series: readSeries(dir, r.id) });
      }
      // The figure preset: one series, a point per V, every branch read at the same compute.
      const ids = inputs.filter((i) => isVerificationSweepMethod(String(i.fields.method))).map((i) => i.id);
      expect(ids).toHaveLength(4);
      const model = buildFigure(inputs, verificationGainPreset(ids, defaultViewSpec()));
      const points = model.traces.find((t) => t.role === 'points');
      expect(points?.x).toEqual([1, 3, 5, 10]);
      expect(points?.y.every(Number.isFinite)).toBe(true);
      expect(model.notes[0]).toMatch(/^gp-verification: every run read at [\d.e+]+ GFLOPs/);
    } finally {
      tmp.cleanup();
    }
  }, 600_000);

  it('--branches rl,rl-no-sft: rl-no-sft starts from the base the init run kept before its initial SFT', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'd');
      await sftrl(tmp.dir, ['train', '--preset', 'gp-rule', '--branches', 'rl,rl-no-sft', '--jobs', '2', '--out', dataDir, '--backend', 'wasm', '--set', `${TINY},initSft.steps=2,initSft.batch=4`]);
      const runs = listRuns(dataDir);
      expect(runs.map((r) => r.method).sort()).toEqual(['init', 'rl', 'rl-no-sft']);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
      const dirOf = (m: string) => path.join(dataDir, runs.find((r) => r.method === m)?.id as string);
      expect(fs.existsSync(path.join(dirOf('init'), 'checkpoints', 'base.json'))).toBe(true);
      expect(readRunManifest(dirOf('rl-no-sft'))?.config.parentCheckpoint).toBe('base');
      // Its curve starts at the base's compute, before the initial SFT's; rl's at the init's.
      const start = (m: string) => readMetrics(dirOf(m)).records[0]?.['compute/flops'] as number;
      expect(start('rl-no-sft')).toBeLessThan(start('rl'));
      expect(start('rl')).toBe(readMetrics(dirOf('init')).records.at(-1)?.['compute/flops']);
    } finally {
      tmp.cleanup();
    }
  }, 600_000);
});
