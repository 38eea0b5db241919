/**
 * V-IRL-L through the engine end to end (tiny scale, cpu backend): every run of the graph,
 * evaluation episodes a map viewer can replay, exact resume, and no tensor leak across steps.
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEpisodesJsonl } from '../../../../shared/api/episode';
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import { planExperiment } from '../../../../shared/experiments/plan';
import { VIRL_RULE } from '../../../../shared/experiments/presets';
import { compareCommand } from '../../../../electron/cli/compare';
import { evalCommand } from '../../../../electron/cli/eval';
import { phaseStep, policyModelConfig, runOne, type RunnerHooks } from '../../../../electron/ml/engine/runner';
import { createVirlTask } from '../../../../electron/ml/tasks/virl/task';
import { createAdamW, createModel, disposeAdamW, disposeModel, RECIPE_ADAMW } from '../../../../electron/ml/model';
import { readMetrics } from '../../../../electron/runs/store';
import { tempDir } from '../../../helpers/tmp';
import { readEpisodesFile } from '../../../../renderer/src/pages/map/model';

const task = createVirlTask();

function tinyVirl(): ExperimentConfig {
  const c = structuredClone(VIRL_RULE);
  c.model = { width: 16, layers: 1, heads: 2, context: 96, ffnMult: 2 };
  c.base = { ...c.base, steps: 3, multiTurnSteps: 2, batch: 4 };
  c.initSft = { ...c.initSft, steps: 2, batch: 4 };
  c.sft = { ...c.sft, steps: 4, batch: 4 };
  c.rl = { ...c.rl, steps: 4, promptsPerStep: 2, groupSize: 2 };
  c.eval = { ...c.eval, everySteps: 2, idEpisodes: 3, oodEpisodes: 3 };
  c.checkpointEvery = 2;
  return c;
}

function hooks(cancelAfter = Infinity): RunnerHooks & { logs: string[] } {
  let calls = 0;
  const logs: string[] = [];
  return { logs, progress: () => {}, log: (_l, m) => logs.push(m), cancelled: () => ++calls > cancelAfter, versions: { test: '1' } };
}

const stable = (dir: string) => readMetrics(dir).records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('episodes_per_s'))));

describe('V-IRL-L through the engine', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('trains every run of the virl-rule graph and writes replayable V-IRL evaluation episodes', async () => {
    const config = tinyVirl();
    for (const plan of planExperiment(config, 'v')) expect(await runOne(tmp.dir, 'v', plan, config, task, hooks())).toBe('completed');
    const rl = readMetrics(path.join(tmp.dir, 'v-rl')).records;
    const last = rl.at(-1)!;
    for (const k of ['eval/id/per_step_accuracy', 'eval/ood/per_step_accuracy', 'eval/id/success', 'eval/ood/compass_word_rate', 'eval/id/per_step_first']) expect(last, k).toHaveProperty([k]);
    expect(rl.some((r) => r['rl/attempts'] !== undefined && r['rl/attempts'] >= 1)).toBe(true);
    const ood = parseEpisodesJsonl(fs.readFileSync(path.join(tmp.dir, 'v-rl', 'episodes', 'eval-ood-step000004.jsonl'), 'utf8'));
    expect(ood.errors).toEqual([]);
    expect(ood.episodes).toHaveLength(3);
    for (const e of ood.episodes) {
      expect(e).toMatchObject({ envId: 'VirlNav-v0', split: 'ood', variant: { actionSpace: 'relative', city: 'nyc' } });
      expect(e.initial).toHaveProperty('rail');
      expect(e.initial).toHaveProperty('verificationLimit', 2);
      // Each step: the tokens the model read and wrote, and where the agent stood.
      expect(e.steps[0]!.prompt).toMatch(/^<bos> Vrel St /);
      expect(Object.keys(e.steps[0]!.info)).toEqual(expect.arrayContaining(['position', 'heading', 'expertAction', 'pointIndex']));
    }
    // Fresh held-out routes for the final checkpoints, then SFT and RL compared route by route.
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: () => {} };
    for (const run of ['v-sft', 'v-rl']) expect(await evalCommand.run(['--run', path.join(tmp.dir, run), '--episodes', '4', '--seed', '9', '--backend', 'cpu', '--json'], io)).toBe(0);
    out.length = 0;
    expect(await compareCommand.run(['--a', path.join(tmp.dir, 'v-sft'), '--b', path.join(tmp.dir, 'v-rl'), '--metric', 'per-step', '--resamples', '200', '--json'], io)).toBe(0);
    const cmp = JSON.parse(out.join('\n')) as { metric: string; splits: Record<string, { hands: number; file: string; meanA: number }> };
    expect(cmp.metric).toBe('per-step');
    expect(cmp.splits.ood).toMatchObject({ hands: 4, file: 'manual-final-ood-seed9.jsonl' });
    const routes = parseEpisodesJsonl(fs.readFileSync(path.join(tmp.dir, 'v-sft', 'episodes', 'manual-final-ood-seed9.jsonl'), 'utf8')).episodes;
    const perStep = routes.map((e) => e.steps.filter((x) => x.verdict === 'correct').length / e.steps.length);
    expect(cmp.splits.ood!.meanA).toBeCloseTo(perStep.reduce((a, b) => a + b, 0) / perStep.length, 9);
    await expect(compareCommand.run(['--a', path.join(tmp.dir, 'v-sft'), '--b', path.join(tmp.dir, 'v-rl'), '--metric', 'steps'], io)).rejects.toThrow('--metric must be success, per-step or recognition (got "steps")');
    await expect(compareCommand.run(['--a', path.join(tmp.dir, 'v-sft'), '--b', path.join(tmp.dir, 'v-rl'), '--metric', 'recognition'], io)).rejects.toThrow(/--metric recognition reads card lists of GeneralPoints episodes from card images .* these episodes are VirlNav-v0/);
  }, 180_000);

  it('resumes a cancelled V-IRL RL run exactly where it stopped', async () => {
    const config = tinyVirl();
    const [init, , rlPlan] = planExperiment(config, 'v');
    await runOne(tmp.dir, 'v', init!, config, task, hooks());
    const other = tempDir();
    try {
      fs.cpSync(path.join(tmp.dir, 'v-init'), path.join(other.dir, 'v-init'), { recursive: true });
      expect(await runOne(other.dir, 'v', rlPlan!, config, task, hooks())).toBe('completed');
      expect(await runOne(tmp.dir, 'v', rlPlan!, config, task, hooks(2))).toBe('cancelled');
      const resumed = hooks();
      expect(await runOne(tmp.dir, 'v', rlPlan!, config, task, resumed)).toBe('completed');
      expect(resumed.logs.join('\n')).toMatch(/resuming at step 2/);
      expect(stable(path.join(tmp.dir, 'v-rl'))).toEqual(stable(path.join(other.dir, 'v-rl')));
    } finally {
      other.cleanup();
    }
  }, 180_000);

  it('does not leak tensors across V-IRL SFT and RL steps', () => {
    const config = tinyVirl();
    const model = createModel(policyModelConfig(task, config));
    const optimizer = createAdamW(model, RECIPE_ADAMW);
    const step = (phase: 'sft' | 'rl' | 'base-multiturn', k: number) =>
      phaseStep({ model, optimizer, task, seed: 1, stageId: phase, step: k, lr: 1e-3, maxGradNorm: 1 }, config, phase, null);
    step('sft', 0);
    step('rl', 0);
    const before = tf.memory().numTensors;
    for (let k = 1; k < 3; k++) for (const phase of ['sft', 'rl', 'base-multiturn'] as const) step(phase, k);
    expect(tf.memory().numTensors).toBe(before);
    // PPO over a route's points: GAE across segments with the env's per-step rewards, a value loss.
    const ppo = phaseStep({ model, optimizer, task, seed: 1, stageId: 'rl-ppo', step: 0, lr: 1e-3, maxGradNorm: 1 }, { ...config, rl: { ...config.rl, algorithm: 'ppo', epochs: 2 } }, 'rl', null);
    expect(ppo.metrics['rl/value_loss']).toBeGreaterThan(0);
    expect(ppo.metrics['rl/approx_kl']).toBeGreaterThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(before);
    disposeAdamW(optimizer);
    disposeModel(model);
  });
});

describe('a trained agent\'s V-IRL episodes file, damaged or foreign', () => {
  it('keeps the replayable episodes and names the truncated line and the foreign record', async () => {
    await tf.setBackend('cpu');
    const tmp = tempDir();
    try {
      const config = tinyVirl();
      for (const plan of planExperiment(config, 'w').slice(0, 2)) await runOne(tmp.dir, 'w', plan, config, task, hooks());
      const file = path.join(tmp.dir, 'w-sft', 'episodes', 'eval-ood-step000004.jsonl');
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      const gp = JSON.stringify({ ...JSON.parse(lines[0]!), envId: 'GeneralPoints-v0' });
      const damaged = [lines[0], gp, lines[1], lines[2]!.slice(0, 40)].join('\n');
      const read = readEpisodesFile(damaged, 'eval-ood-step000004.jsonl');
      expect(read.episodes.map((e) => e.record.seed)).toEqual([JSON.parse(lines[0]!).seed, JSON.parse(lines[1]!).seed]);
      expect(read.problems).toEqual([
        'eval-ood-step000004.jsonl: line 4: truncated last line skipped',
        'eval-ood-step000004.jsonl: episode 2 is a GeneralPoints-v0 episode, not VirlNav-v0',
      ]);
      // Reading never changes the file.
      expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toEqual(lines);
    } finally {
      tmp.cleanup();
    }
  });
});
