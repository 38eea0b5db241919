/**
 * `sftrl train --preset virl-visual --quick` from the command line: a real V-IRL-VL experiment
 * from street views (tiny step counts) in real worker processes, then `sftrl eval` of its RL
 * checkpoint per OOD city style and on the mini benchmark, seeing and blind.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseEpisodesJsonl } from '../../../shared/api/episode';
import { listRuns, readMetrics } from '../../../electron/runs/store';
import { main } from '../../../electron/cli';
import { tempDir } from '../../helpers/tmp';

const run = (args: string[], configDir: string) =>
  promisify(execFile)(process.execPath, [path.resolve('bin/sftrl.mjs'), ...args], { env: { ...process.env, SFTRL_CONFIG_DIR: configDir }, maxBuffer: 16 * 1024 * 1024 });

describe('sftrl train --preset virl-visual', () => {
  it('trains the V-IRL-VL graph end to end and evaluates its RL checkpoint per city style, seeing and blind', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'd');
      const config = path.join(tmp.dir, 'c');
      await run(['train', '--preset', 'virl-visual', '--quick', '--seed', '0', '--out', dataDir, '--backend', 'wasm',
        '--set', 'base.steps=2,base.multiTurnSteps=1,initSft.steps=1,sft.steps=2,rl.steps=2,eval.idEpisodes=2,eval.oodEpisodes=8'], config);
      const runs = listRuns(dataDir);
      expect(runs.map((r) => r.method).sort()).toEqual(['init', 'rl', 'sft']);
      expect(runs.every((r) => r.status === 'completed' && r.task === 'VirlNav-v0')).toBe(true);
      const rl = runs.find((r) => r.method === 'rl')!;
      const last = readMetrics(path.join(dataDir, rl.id)).records.at(-1)!;
      for (const k of ['eval/ood/style/lagos/success', 'eval/ood/mini/success', 'eval/id/per_step_accuracy']) expect(last[k], k).toBeTypeOf('number');
      const { stdout } = await run(['eval', '--run', path.join(dataDir, rl.id), '--episodes', '8', '--seed', '11', '--backend', 'wasm'], config);
      expect(stdout).toMatch(/^OOD: success within 2 attempts [\d.]+%, .*per-step accuracy [\d.]+%, first tries: turns [\d.]+% forwards [\d.]+% stops [\d.]+%.* \(8 episodes\)/m);
      expect(stdout).toMatch(/^ {2}san-francisco: route success [\d.]+%, per-step accuracy [\d.]+% \(1 routes\)/m);
      expect(stdout).toMatch(/^ {2}mini benchmark: route success [\d.]+% \(18 routes\)/m);
      const { stdout: blind } = await run(['eval', '--run', path.join(dataDir, rl.id), '--episodes', '2', '--seed', '11', '--backend', 'wasm', '--blind'], config);
      expect(blind).toMatch(/^BLIND \(image zeroed\) ID: /m);
      const ood = parseEpisodesJsonl(fs.readFileSync(path.join(dataDir, rl.id, 'episodes', 'manual-final-ood-seed11.jsonl'), 'utf8'));
      expect(ood.errors).toEqual([]);
      expect(ood.episodes.every((e) => e.variant.observation === 'vision' && e.variant.city !== 'nyc')).toBe(true);
    } finally {
      tmp.cleanup();
    }
  }, 600_000);

  it('refuses a V-IRL image block that is not a square grid of views, by name, before anything runs', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const tmp = tempDir();
    try {
      expect(await main(['train', '--preset', 'virl-visual', '--quick', '--out', tmp.dir, '--set', 'image.width=128'], io)).toBe(2);
      expect(out.join('\n')).toMatch(/square 2×2 grid/);
      expect(fs.readdirSync(tmp.dir)).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });
});
