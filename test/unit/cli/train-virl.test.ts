/**
 * `sftrl train --preset virl-rule --quick` from the command line: a real V-IRL-L experiment (tiny
 * step counts) in real worker processes, then `sftrl eval` of its RL checkpoint on fresh routes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseEpisodesJsonl } from '../../../shared/api/episode';
import { listRuns } from '../../../electron/runs/store';
import { tempDir } from '../../helpers/tmp';

const run = (args: string[], configDir: string) =>
  promisify(execFile)(process.execPath, [path.resolve('bin/sftrl.mjs'), ...args], { env: { ...process.env, SFTRL_CONFIG_DIR: configDir }, maxBuffer: 16 * 1024 * 1024 });

describe('sftrl train --preset virl-rule', () => {
  it('trains the V-IRL-L graph end to end and evaluates its RL checkpoint on fresh routes in both action spaces', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'd');
      const config = path.join(tmp.dir, 'c');
      await run(['train', '--preset', 'virl-rule', '--quick', '--seed', '0', '--out', dataDir, '--backend', 'wasm',
        '--set', 'base.steps=2,base.multiTurnSteps=1,initSft.steps=1,sft.steps=2,rl.steps=2,eval.idEpisodes=4,eval.oodEpisodes=4'], config);
      const runs = listRuns(dataDir);
      expect(runs.map((r) => r.method).sort()).toEqual(['init', 'rl', 'sft']);
      expect(runs.every((r) => r.status === 'completed' && r.task === 'VirlNav-v0')).toBe(true);
      const rl = runs.find((r) => r.method === 'rl')!;
      const { stdout } = await run(['eval', '--run', path.join(dataDir, rl.id), '--episodes', '3', '--seed', '11', '--backend', 'wasm'], config);
      expect(stdout).toMatch(/^ID: success within 2 attempts .*per-step accuracy [\d.]+%, first tries: turns [\d.]+% forwards [\d.]+% stops [\d.]+%, KL to init [\d.]+ nats\/token \(3 episodes\)/m);
      expect(stdout).toMatch(/^OOD: .*per-step accuracy [\d.]+%, first tries: .*, KL to init [\d.]+ nats\/token \(3 episodes\)/m);
      const ood = parseEpisodesJsonl(fs.readFileSync(path.join(dataDir, rl.id, 'episodes', 'manual-final-ood-seed11.jsonl'), 'utf8'));
      expect(ood.errors).toEqual([]);
      expect(ood.episodes.map((e) => e.variant.actionSpace)).toEqual(['relative', 'relative', 'relative']);
    } finally {
      tmp.cleanup();
    }
  });
});
