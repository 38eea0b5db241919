/**
 * RL without the initial SFT (paper Fig. 9) through the real runner at a tiny scale: the init run
 * keeps its model from before the initial SFT as checkpoints/base.*, and the rl-no-sft branch
 * starts from it (its curve starts at the base's compute, its step-0 evaluation is the base's),
 * while rl starts from the init's final checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import { planExperiment } from '../../../../shared/experiments/plan';
import { GP_RULE } from '../../../../shared/experiments/presets';
import { runOne, type RunnerHooks } from '../../../../electron/ml/engine/runner';
import { readCheckpoint } from '../../../../electron/runs/checkpoints';
import { unpackCheckpoint } from '../../../../electron/ml/model';
import { createGpTask } from '../../../../electron/ml/tasks/generalpoints/task';
import { readMetrics, readRunManifest } from '../../../../electron/runs/store';
import { tempDir } from '../../../helpers/tmp';

function tiny(initSftSteps: number): ExperimentConfig {
  const c = structuredClone(GP_RULE);
  c.model = { width: 16, layers: 1, heads: 2, context: 80, ffnMult: 2 };
  c.base = { ...c.base, steps: 2, multiTurnSteps: 1, batch: 4 };
  c.initSft = { ...c.initSft, steps: initSftSteps, batch: 4, optimizer: { ...c.initSft.optimizer, lr: 0.05, minLr: 0.05 } };
  c.rl = { ...c.rl, steps: 2, promptsPerStep: 2, groupSize: 2 };
  c.eval = { ...c.eval, everySteps: 2, idEpisodes: 3, oodEpisodes: 3 };
  c.branches = ['rl', 'rl-no-sft'];
  c.checkpointEvery = 100;
  return c;
}

const hooks: RunnerHooks = { progress: () => {}, log: () => {}, cancelled: () => false, versions: { test: '1' } };
const firstRecord = (dir: string) => readMetrics(dir).records[0] as Record<string, number>;

describe('rl-no-sft', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('starts from the base checkpoint the init run keeps before its initial SFT; rl from the init', async () => {
    const config = tiny(3);
    const task = createGpTask();
    const plans = planExperiment(config, 'e');
    for (const plan of plans) expect(await runOne(tmp.dir, 'e', plan, config, task, hooks)).toBe('completed');
    const initDir = path.join(tmp.dir, 'e-init');
    const base = JSON.parse(readCheckpoint(initDir, 'base').json) as { extra: { step: number; flops: number } };
    const final = JSON.parse(readCheckpoint(initDir, 'final').json) as { extra: { step: number; flops: number } };
    expect(base.extra.step).toBe(3); // 2 base + 1 multi-turn steps, before the 3 initial-SFT steps
    expect(final.extra.step).toBe(6);
    expect(base.extra.flops).toBeLessThan(final.extra.flops);
    // The branches' curves start at their starting checkpoint's compute.
    const noSft = path.join(tmp.dir, 'e-rl-no-sft');
    const rl = path.join(tmp.dir, 'e-rl');
    expect(firstRecord(noSft)['compute/flops']).toBe(base.extra.flops);
    expect(firstRecord(rl)['compute/flops']).toBe(final.extra.flops);
    expect(readRunManifest(noSft)?.config.parentCheckpoint).toBe('base');
    // KL is measured to each branch's own starting checkpoint: zero at step 0 for both.
    expect(firstRecord(noSft)['eval/ood/kl_init']).toBe(0);
    expect(firstRecord(rl)['eval/ood/kl_init']).toBe(0);
    expect(readRunManifest(rl)?.config.parentCheckpoint).toBeUndefined();
    // Its step-0 evaluation is the base model's: the same weights as checkpoints/base, not the init's.
    const weights = (dir: string, name: string) => {
      const c = readCheckpoint(dir, name);
      return Object.values(unpackCheckpoint(c.json, c.data).tensors).map((t) => Array.from(t.slice(0, 16)));
    };
    expect(weights(initDir, 'base')).not.toEqual(weights(initDir, 'final'));
    // What the model wrote at step 0: rl-no-sft's is the base's, rl's the init's (after 3 SFT steps at a large lr).
    const outputs = (dir: string) => fs.readFileSync(path.join(dir, 'episodes', 'eval-id-step000000.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { steps: { output: string }[] }).steps.map((s) => s.output));
    expect(outputs(noSft)).not.toEqual(outputs(rl));
  }, 120_000);

  it('is refused with a clear message when its init run has no base checkpoint (trained before runs kept one)', async () => {
    const config = tiny(2);
    const task = createGpTask();
    const [init, , noSft] = planExperiment(config, 'e');
    if (!init || !noSft) throw new Error('plan');
    await runOne(tmp.dir, 'e', init, config, task, hooks);
    for (const ext of ['json', 'bin']) fs.rmSync(path.join(tmp.dir, 'e-init', 'checkpoints', `base.${ext}`));
    await expect(runOne(tmp.dir, 'e', noSft, config, task, hooks)).rejects.toThrow(/e-rl-no-sft starts from the base checkpoint of e-init, which has none/);
  }, 120_000);
});
