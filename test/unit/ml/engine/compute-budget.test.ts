/**
 * rl.computeBudget through the real runner at a tiny scale: an RL branch ends (evaluated and
 * saved) at the first step whose compute from its starting checkpoint reaches the budget, a
 * resumed run counts the budget from the same start, and a run killed after its final
 * checkpoint but before `completed` completes without training further.
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import { experimentConfigSchema } from '../../../../shared/experiments/config';
import { planExperiment } from '../../../../shared/experiments/plan';
import { GP_RULE } from '../../../../shared/experiments/presets';
import { runOne, type RunnerHooks } from '../../../../electron/ml/engine/runner';
import { readCheckpoint } from '../../../../electron/runs/checkpoints';
import { createGpTask } from '../../../../electron/ml/tasks/generalpoints/task';
import { readMetrics, updateManifest } from '../../../../electron/runs/store';
import { tempDir } from '../../../helpers/tmp';

function tiny(budget: number): ExperimentConfig {
  const c = structuredClone(GP_RULE);
  c.model = { width: 16, layers: 1, heads: 2, context: 80, ffnMult: 2 };
  c.base = { ...c.base, steps: 2, multiTurnSteps: 1, batch: 4 };
  c.initSft = { ...c.initSft, steps: 1, batch: 4 };
  c.rl = { ...c.rl, steps: 12, promptsPerStep: 2, groupSize: 2, dynamicSampling: false, computeBudget: budget };
  c.eval = { ...c.eval, everySteps: 4, idEpisodes: 2, oodEpisodes: 2 };
  c.branches = ['rl'];
  c.checkpointEvery = 100;
  return c;
}

const quiet: RunnerHooks = { progress: () => {}, log: () => {}, cancelled: () => false, versions: { test: '1' } };
type Rec = Record<string, number | string>;
const stepRecords = (dir: string) => (readMetrics(dir).records as Rec[]).filter((r) => r['rl/reward'] !== undefined);
const evalSteps = (dir: string) => (readMetrics(dir).records as Rec[]).filter((r) => r['eval/id/success'] !== undefined).map((r) => r.step);

describe('rl.computeBudget', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('defaults to 0 (no budget) so configs written before it parse unchanged', () => {
    const { computeBudget: _, ...old } = GP_RULE.rl;
    expect(experimentConfigSchema.parse({ ...GP_RULE, rl: old }).rl.computeBudget).toBe(0);
  });

  it('ends the branch at the first step that spends the budget, evaluated and saved there; a resume counts from the same start', async () => {
    const task = createGpTask();
    // Per-step compute of this branch, measured by running it without a budget.
    const free = tiny(0);
    const [init, rl] = planExperiment(free, 'free');
    if (!init || !rl) throw new Error('plan');
    await runOne(tmp.dir, 'free', init, free, task, quiet);
    await runOne(tmp.dir, 'free', rl, free, task, quiet);
    const freeSteps = stepRecords(path.join(tmp.dir, 'free-rl'));
    expect(freeSteps).toHaveLength(12);
    const start = Number(readMetrics(path.join(tmp.dir, 'free-rl')).records[0]?.['compute/flops']);
    const spentAt = (k: number) => Number(freeSteps[k - 1]?.['compute/flops']) - start;
    // A budget between the compute of steps 5 and 6 ends the run at step 6.
    const budget = (spentAt(5) + spentAt(6)) / 2;

    const config = tiny(budget);
    const plans = planExperiment(config, 'b');
    for (const plan of plans) expect(await runOne(tmp.dir, 'b', plan, config, task, quiet)).toBe('completed');
    const dir = path.join(tmp.dir, 'b-rl');
    const steps = stepRecords(dir);
    expect(steps.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    // Same seed, same steps: the budgeted run is the free run cut at step 6.
    expect(steps.map((r) => r['compute/flops'])).toEqual(freeSteps.slice(0, 6).map((r) => r['compute/flops']));
    expect(evalSteps(dir)).toEqual([0, 4, 6]);
    const final = JSON.parse(readCheckpoint(dir, 'final').json) as { extra: { step: number; flops: number } };
    expect(final.extra.step).toBe(6);
    expect(final.extra.flops - start).toBeGreaterThanOrEqual(budget);

    // Cancelled at step 2, then resumed: the same end and the same metrics.
    const config2 = tiny(budget);
    const plans2 = planExperiment(config2, 'c');
    const [init2, rl2] = plans2;
    if (!init2 || !rl2) throw new Error('plan');
    await runOne(tmp.dir, 'c', init2, config2, task, quiet);
    let progressed = 0;
    const cancelAfter2: RunnerHooks = { ...quiet, progress: (_s, step) => (progressed = step), cancelled: () => progressed >= 2 };
    expect(await runOne(tmp.dir, 'c', rl2, config2, task, cancelAfter2)).toBe('cancelled');
    expect(await runOne(tmp.dir, 'c', rl2, config2, task, quiet)).toBe('completed');
    const strip = (r: Rec) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('perf/') && k !== 'seq'));
    expect(stepRecords(path.join(tmp.dir, 'c-rl')).map(strip)).toEqual(steps.map(strip));

    // Killed after the final checkpoint, before `completed`: it completes without another step.
    updateManifest(dir, { status: 'running' });
    const before = readMetrics(dir).records.length;
    expect(await runOne(tmp.dir, 'b', plans[1]!, config, task, quiet)).toBe('completed');
    expect(readMetrics(dir).records.length).toBe(before);
  }, 300_000);
});
