/**
 * `sftrl train --preset gp-visual --quick` from the command line: a real GP-VL experiment from card
 * images (tiny step counts) in real worker processes, then `sftrl eval` of its RL checkpoint with
 * recognition accuracy on black (ID) and red (OOD) cards; a config asking for vision without an
 * image block is refused before anything runs.
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

describe('sftrl train --preset gp-visual', () => {
  it('trains the GP-VL graph end to end and evaluates its RL checkpoint with recognition accuracy', async () => {
    const tmp = tempDir();
    try {
      const dataDir = path.join(tmp.dir, 'd');
      const config = path.join(tmp.dir, 'c');
      await run(['train', '--preset', 'gp-visual', '--quick', '--seed', '0', '--out', dataDir, '--backend', 'wasm',
        '--set', 'base.steps=2,base.multiTurnSteps=1,initSft.steps=1,sft.steps=2,rl.steps=2,eval.idEpisodes=4,eval.oodEpisodes=4'], config);
      const runs = listRuns(dataDir);
      expect(runs.map((r) => r.method).sort()).toEqual(['init', 'rl', 'sft']);
      expect(runs.every((r) => r.status === 'completed' && r.task === 'GeneralPoints-v0')).toBe(true);
      const rl = runs.find((r) => r.method === 'rl')!;
      const last = readMetrics(path.join(dataDir, rl.id)).records.at(-1)!;
      for (const k of ['eval/id/recognition', 'eval/ood/recognition', 'eval/ood/recognition_red', 'eval/id/red/recognition']) expect(last[k]).toBeTypeOf('number');
      const { stdout } = await run(['eval', '--run', path.join(dataDir, rl.id), '--episodes', '3', '--seed', '11', '--backend', 'wasm'], config);
      expect(stdout).toMatch(/^ID: success within 3 attempts .*, recognition [\d.]+%, in red: recognition [\d.]+% success [\d.]+%, KL to init [\d.]+ nats\/token \(3 episodes\)/m);
      expect(stdout).toMatch(/^OOD: .*, recognition [\d.]+%, KL to init [\d.]+ nats\/token \(3 episodes\)/m);
      // sftrl compare pairs recognition hand by hand from the saved episodes; it agrees with the evaluation's own count.
      const init = runs.find((r) => r.method === 'init')!;
      await run(['eval', '--run', path.join(dataDir, init.id), '--episodes', '3', '--seed', '11', '--backend', 'wasm'], config);
      const { stdout: cmpOut } = await run(['compare', '--a', path.join(dataDir, init.id), '--b', path.join(dataDir, rl.id), '--metric', 'recognition', '--resamples', '200', '--json'], config);
      const cmp = JSON.parse(cmpOut) as { metric: string; splits: Record<string, { hands: number; meanB: number }> };
      expect(cmp.metric).toBe('recognition');
      for (const split of ['id', 'ood'] as const) {
        const printed = new RegExp(`^${split.toUpperCase()}: .*, recognition ([\\d.]+)%`, 'm').exec(stdout)?.[1];
        expect(cmp.splits[split]).toMatchObject({ hands: 3 });
        expect((100 * cmp.splits[split]!.meanB).toFixed(1)).toBe(printed);
      }
      const ood = parseEpisodesJsonl(fs.readFileSync(path.join(dataDir, rl.id, 'episodes', 'manual-final-ood-seed11.jsonl'), 'utf8'));
      expect(ood.errors).toEqual([]);
      expect(ood.episodes.map((e) => e.variant.colors)).toEqual(['red', 'red', 'red']);
      expect(ood.episodes.every((e) => e.steps.every((s) => Array.isArray((s.parsed as { cards?: unknown } | null)?.cards) || s.verdict === 'wrong_cards'))).toBe(true);
      // The same run read as the rule variant (one training, both OOD sets, as the paper's): J/Q/K 11–13 on black cards, filed apart.
      const { stdout: asRule } = await run(['eval', '--run', path.join(dataDir, rl.id), '--episodes', '3', '--seed', '11', '--backend', 'wasm', '--variant', 'rule'], config);
      expect(asRule).toMatch(/^RULE VARIANT OOD: success within 3 attempts .* \(3 episodes\) → .*manual-final-as-rule-ood-seed11\.jsonl$/m);
      const ruleOod = parseEpisodesJsonl(fs.readFileSync(path.join(dataDir, rl.id, 'episodes', 'manual-final-as-rule-ood-seed11.jsonl'), 'utf8')).episodes;
      expect(ruleOod.map((e) => [e.variant.colors, e.variant.rule])).toEqual(Array(3).fill(['black', 'face11-13']));
      await expect(run(['eval', '--run', path.join(dataDir, rl.id), '--variant', 'colour'], config)).rejects.toMatchObject({ stderr: expect.stringMatching(/--variant must be rule or visual, got "colour"/) });
    } finally {
      tmp.cleanup();
    }
  }, 300_000);

  it('trains gp-vl-rule bit for bit as gp-visual: the variants differ only in what is held out', async () => {
    const tmp = tempDir();
    try {
      const config = path.join(tmp.dir, 'c');
      const tiny = 'base.steps=2,base.multiTurnSteps=1,initSft.steps=1,sft.steps=2,rl.steps=2,eval.idEpisodes=3,eval.oodEpisodes=3';
      const trainCurves = async (preset: string) => {
        const dataDir = path.join(tmp.dir, preset);
        await run(['train', '--preset', preset, '--quick', '--seed', '3', '--out', dataDir, '--backend', 'wasm', '--set', tiny], config);
        return Object.fromEntries(listRuns(dataDir).map((r) => [r.method, readMetrics(path.join(dataDir, r.id)).records.map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => /^(train|rl)\//.test(k))))]));
      };
      const visual = await trainCurves('gp-visual');
      const rule = await trainCurves('gp-vl-rule');
      expect(Object.keys(visual).sort()).toEqual(['init', 'rl', 'sft']);
      expect(visual.rl?.some((m) => typeof m['train/loss'] === 'number')).toBe(true);
      expect(rule).toEqual(visual);
    } finally {
      tmp.cleanup();
    }
  }, 300_000);

  it('refuses a vision-language config without an image block, and a language one with an image block, by name', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const tmp = tempDir();
    try {
      // --set cannot remove a block, so the check is shown on the language preset asking for vision.
      expect(await main(['train', '--preset', 'gp-rule', '--quick', '--out', tmp.dir, '--set', 'modality=vision-language'], io)).toBe(2);
      expect(out.join('\n')).toMatch(/image: a vision-language experiment needs an image block/);
      out.length = 0;
      expect(await main(['train', '--preset', 'gp-visual', '--quick', '--out', tmp.dir, '--set', 'modality=language'], io)).toBe(2);
      expect(out.join('\n')).toMatch(/image: a language-only experiment reads no images/);
      expect(fs.readdirSync(tmp.dir)).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });
});
