/**
 * V-IRL-VL through the runner at a tiny scale (issue 11): every stage trains the image encoder,
 * compute counts the visual tokens, evaluations log per-style and mini-benchmark metrics, an RL
 * branch cancelled and resumed (grids in its rollouts, update and checkpoint) reproduces the
 * uninterrupted run exactly, and `sftrl eval --blind` evaluates with the image zeroed.
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEpisodesJsonl } from '../../../../shared/api/episode';
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import { planExperiment } from '../../../../shared/experiments/plan';
import { VIRL_VISUAL } from '../../../../shared/experiments/presets';
import { evalCommand } from '../../../../electron/cli/eval';
import { policyModelConfig, runOne, type RunnerHooks } from '../../../../electron/ml/engine/runner';
import { paramCount } from '../../../../electron/ml/flops';
import { OOD_CITIES, virlTaskFor } from '../../../../electron/ml/tasks/virl/task';
import { readCheckpoint } from '../../../../electron/runs/checkpoints';
import { createModel, disposeModel, unpackCheckpoint } from '../../../../electron/ml/model';
import { readMetrics } from '../../../../electron/runs/store';
import { tempDir } from '../../../helpers/tmp';
import { VIRL_VL_IMAGE } from './virl-vl-fixtures';

function tinyVirlVl(): ExperimentConfig {
  const c = structuredClone(VIRL_VISUAL);
  c.model = { width: 16, layers: 1, heads: 2, context: 96, ffnMult: 2 };
  c.image = structuredClone(VIRL_VL_IMAGE);
  c.base = { ...c.base, steps: 2, multiTurnSteps: 1, batch: 4 };
  c.initSft = { ...c.initSft, steps: 1, batch: 4 };
  c.sft = { ...c.sft, steps: 2, batch: 4 };
  c.rl = { ...c.rl, entropyCoef: 0.01, steps: 3, promptsPerStep: 2, groupSize: 2, dynamicSampling: false };
  c.eval = { ...c.eval, everySteps: 2, idEpisodes: 2, oodEpisodes: 8 };
  c.checkpointEvery = 1;
  return c;
}

function hooks(cancelAfter = Infinity): RunnerHooks & { logs: string[] } {
  let calls = 0;
  const logs: string[] = [];
  return { logs, progress: () => {}, log: (_l, m) => logs.push(m), cancelled: () => ++calls > cancelAfter, versions: { test: '1' } };
}

const stable = (dir: string) => readMetrics(dir).records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('episodes_per_s'))));

describe('V-IRL-VL experiment through the runner', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('trains the encoder in every stage, counts visual tokens, logs each OOD style and the mini benchmark, resumes RL exactly, and evaluates blind', async () => {
    const config = tinyVirlVl();
    const task = virlTaskFor(config);
    const [init, sft, rl] = planExperiment(config, 'vv');
    await runOne(tmp.dir, 'vv', init!, config, task, hooks());
    await runOne(tmp.dir, 'vv', sft!, config, task, hooks());
    const enc = (run: string, ckpt = 'final') => {
      const c = unpackCheckpoint(readCheckpoint(path.join(tmp.dir, run), ckpt).json, readCheckpoint(path.join(tmp.dir, run), ckpt).data);
      expect(c.manifest.model.image).toEqual(config.image);
      return c;
    };
    // FLOPs: 6·N·D with D = text + 4 visual tokens per example (the init's first base step).
    const N = paramCount(policyModelConfig(task, config));
    const first = readMetrics(path.join(tmp.dir, 'vv-init')).records[0]!;
    expect(first['train/tokens']).toBeGreaterThanOrEqual(4 * (4 + 4));
    expect(first['compute/flops']).toBe(6 * N * first['train/tokens']!);
    const other = tempDir();
    try {
      fs.cpSync(tmp.dir, other.dir, { recursive: true });
      expect(await runOne(other.dir, 'vv', rl!, config, task, hooks())).toBe('completed');
      expect(await runOne(tmp.dir, 'vv', rl!, config, task, hooks(2))).toBe('cancelled');
      const resumed = hooks();
      expect(await runOne(tmp.dir, 'vv', rl!, config, task, resumed)).toBe('completed');
      expect(resumed.logs.join('\n')).toMatch(/resuming at step 2/);
      expect(stable(path.join(tmp.dir, 'vv-rl'))).toEqual(stable(path.join(other.dir, 'vv-rl')));
      const final = (dir: string) => Buffer.from(readCheckpoint(path.join(dir, 'vv-rl'), 'final').data);
      expect(final(tmp.dir).equals(final(other.dir))).toBe(true);
    } finally {
      other.cleanup();
    }
    const conv = (run: string) => Array.from(enc(run).tensors['param/img.conv1.w']!);
    const fresh = createModel(policyModelConfig(task, config));
    const freshConv = Array.from(fresh.params['img.conv1.w']!.dataSync());
    disposeModel(fresh);
    const moved = (a: number[], b: number[]) => a.some((x, i) => x !== b[i]);
    expect(moved(freshConv, conv('vv-init'))).toBe(true);
    expect(moved(conv('vv-init'), conv('vv-sft'))).toBe(true);
    expect(moved(conv('vv-init'), conv('vv-rl'))).toBe(true);
    // Each evaluation: ID and OOD route success and per-step accuracy, each OOD style, the 18-route mini set.
    const evals = stable(path.join(tmp.dir, 'vv-rl')).filter((r) => r['eval/ood/success'] !== undefined);
    expect(evals.length).toBeGreaterThanOrEqual(2);
    for (const r of evals) {
      for (const k of ['eval/id/per_step_accuracy', 'eval/ood/per_step_accuracy', 'eval/ood/mini/success', 'eval/ood/mini/per_step_accuracy', 'eval/id/stop_accuracy']) expect(r[k], k).toBeTypeOf('number');
      expect(r['eval/ood/mini/episodes']).toBe(18);
      for (const city of OOD_CITIES) {
        expect(r[`eval/ood/style/${city}/episodes`]).toBe(1);
        expect(r[`eval/ood/style/${city}/success`]).toBeTypeOf('number');
      }
    }
    // Evaluation episodes record the views the model read (the map viewer re-renders them).
    const ood = parseEpisodesJsonl(fs.readFileSync(path.join(tmp.dir, 'vv-rl', 'episodes', 'eval-ood-step000003.jsonl'), 'utf8'));
    expect(ood.errors).toEqual([]);
    expect(new Set(ood.episodes.map((e) => e.variant.city))).toEqual(new Set(OOD_CITIES));
    for (const e of ood.episodes) expect(e).toMatchObject({ split: 'ood', variant: { observation: 'vision' }, initial: { views: { viewSize: 16, gap: 0 } } });
    // The blind ablation from the CLI: the same routes, image zeroed, written apart from seeing evaluations.
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: () => {} };
    expect(await evalCommand.run(['--run', path.join(tmp.dir, 'vv-rl'), '--episodes', '8', '--seed', '5', '--backend', 'cpu', '--blind'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^BLIND \(image zeroed\) ID: success within 2 attempts [\d.]+%, first attempt [\d.]+%, per-step accuracy [\d.]+%, first tries: turns [\d.]+% forwards [\d.]+% stops [\d.]+%/m);
    expect(out.join('\n')).toMatch(/^ {2}milan: route success [\d.]+%, per-step accuracy [\d.]+% \(1 routes\)/m);
    expect(out.join('\n')).toMatch(/^ {2}mini benchmark: route success [\d.]+% \(18 routes\)/m);
    const blind = parseEpisodesJsonl(fs.readFileSync(path.join(tmp.dir, 'vv-rl', 'episodes', 'blind-final-ood-seed5.jsonl'), 'utf8')).episodes;
    expect(blind).toHaveLength(8);
    expect(blind[0]!.actor.name).toMatch(/\(blind\)$/);
    expect(fs.existsSync(path.join(tmp.dir, 'vv-rl', 'episodes', 'manual-final-ood-seed5.jsonl'))).toBe(false);
    out.length = 0;
    expect(await evalCommand.run(['--run', path.join(tmp.dir, 'vv-rl'), '--episodes', '2', '--seed', '5', '--backend', 'cpu', '--blind', '--json'], io)).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ blind: true });
  }, 600_000);
});
