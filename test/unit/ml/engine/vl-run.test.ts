/**
 * GP-VL through the runner at a tiny scale: every stage trains the image encoder, compute counts
 * the visual tokens, evaluations log recognition accuracy, and an RL branch cancelled and resumed
 * (images in its rollouts, update and checkpoint) reproduces the uninterrupted run exactly.
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import { planExperiment } from '../../../../shared/experiments/plan';
import { GP_VISUAL } from '../../../../shared/experiments/presets';
import { policyModelConfig, runOne, type RunnerHooks } from '../../../../electron/ml/engine/runner';
import { paramCount } from '../../../../electron/ml/flops';
import { gpTaskFor } from '../../../../electron/ml/tasks/generalpoints/task';
import { readCheckpoint } from '../../../../electron/runs/checkpoints';
import { createModel, disposeModel, unpackCheckpoint } from '../../../../electron/ml/model';
import { readMetrics } from '../../../../electron/runs/store';
import { tempDir } from '../../../helpers/tmp';

function tinyVl(): ExperimentConfig {
  const c = structuredClone(GP_VISUAL);
  c.model = { width: 16, layers: 1, heads: 2, context: 88, ffnMult: 2 };
  c.image = { width: 48, height: 24, channels: [4, 8], gridH: 1, gridW: 6 };
  c.base = { ...c.base, steps: 2, multiTurnSteps: 1, batch: 4 };
  c.initSft = { ...c.initSft, steps: 1, batch: 4 };
  c.sft = { ...c.sft, steps: 2, batch: 4 };
  // An untrained policy solves nothing (every advantage 0, every group dead): without dynamic sampling the entropy bonus still gives the RL update a gradient.
  c.rl = { ...c.rl, entropyCoef: 0.01, steps: 3, promptsPerStep: 2, groupSize: 2, dynamicSampling: false };
  c.eval = { ...c.eval, everySteps: 2, idEpisodes: 3, oodEpisodes: 3 };
  c.checkpointEvery = 1;
  return c;
}

function hooks(cancelAfter = Infinity): RunnerHooks & { logs: string[] } {
  let calls = 0;
  const logs: string[] = [];
  return { logs, progress: () => {}, log: (_l, m) => logs.push(m), cancelled: () => ++calls > cancelAfter, versions: { test: '1' } };
}

const stable = (dir: string) => readMetrics(dir).records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('episodes_per_s'))));

describe('GP-VL experiment through the runner', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('trains the encoder in every stage, counts visual tokens in the FLOPs, logs recognition, and resumes RL exactly', async () => {
    const config = tinyVl();
    const task = gpTaskFor(config);
    const [init, sft, rl] = planExperiment(config, 'vl');
    await runOne(tmp.dir, 'vl', init!, config, task, hooks());
    await runOne(tmp.dir, 'vl', sft!, config, task, hooks());
    const enc = (run: string, ckpt = 'final') => {
      const c = unpackCheckpoint(readCheckpoint(path.join(tmp.dir, run), ckpt).json, readCheckpoint(path.join(tmp.dir, run), ckpt).data);
      expect(c.manifest.model.image).toEqual(config.image);
      return c;
    };
    enc('vl-init');
    // FLOPs: 6·N·D with D = text + 6 visual tokens per example (the init's first base step).
    const N = paramCount(policyModelConfig(task, config));
    const first = readMetrics(path.join(tmp.dir, 'vl-init')).records[0]!;
    expect(first['train/tokens']).toBeGreaterThanOrEqual(4 * (6 + 4)); // at least a recognition example: 3 prompt + 2 answer − 1, plus 6 visual
    expect(first['compute/flops']).toBe(6 * N * first['train/tokens']!);
    // Reference: RL uninterrupted, in a copy of the data dir.
    const other = tempDir();
    try {
      fs.cpSync(tmp.dir, other.dir, { recursive: true });
      expect(await runOne(other.dir, 'vl', rl!, config, task, hooks())).toBe('completed');
      expect(await runOne(tmp.dir, 'vl', rl!, config, task, hooks(2))).toBe('cancelled');
      const resumed = hooks();
      expect(await runOne(tmp.dir, 'vl', rl!, config, task, resumed)).toBe('completed');
      expect(resumed.logs.join('\n')).toMatch(/resuming at step 2/);
      expect(stable(path.join(tmp.dir, 'vl-rl'))).toEqual(stable(path.join(other.dir, 'vl-rl')));
      const final = (dir: string) => Buffer.from(readCheckpoint(path.join(dir, 'vl-rl'), 'final').data);
      expect(final(tmp.dir).equals(final(other.dir))).toBe(true);
    } finally {
      other.cleanup();
    }
    // Every stage moved the encoder: fresh → init (base, init SFT), init → SFT, init → RL.
    const conv = (run: string) => Array.from(enc(run).tensors['param/img.conv1.w']!);
    const fresh = createModel(policyModelConfig(task, config));
    const freshConv = Array.from(fresh.params['img.conv1.w']!.dataSync());
    disposeModel(fresh);
    const moved = (a: number[], b: number[]) => a.some((x, i) => x !== b[i]);
    expect(moved(freshConv, conv('vl-init'))).toBe(true);
    expect(moved(conv('vl-init'), conv('vl-sft'))).toBe(true);
    expect(moved(conv('vl-init'), conv('vl-rl'))).toBe(true);
    const evals = stable(path.join(tmp.dir, 'vl-rl')).filter((r) => r['eval/id/recognition'] !== undefined);
    expect(evals.length).toBeGreaterThanOrEqual(2);
    for (const r of evals) for (const k of ['eval/id/recognition', 'eval/ood/recognition', 'eval/ood/recognition_red', 'eval/id/red/recognition', 'eval/id/card_accuracy']) expect(r[k]).toBeTypeOf('number');
    // The RL rollouts' generation counts visual tokens (2·N·D): each prompt read once with its 6.
    const step = stable(path.join(tmp.dir, 'vl-rl')).find((r) => r['gen/tokens'] !== undefined)!;
    expect(step['gen/tokens']).toBeGreaterThanOrEqual(4 * (10 + 6) + step['gen/sampled_tokens']!);
  }, 240_000);
});
