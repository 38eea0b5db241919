/**
 * REAL run folders for the end-to-end tests: the training engine (electron/ml/engine/runner.ts
 * with the GeneralPoints or V-IRL task on the tfjs cpu backend) runs
 * each experiment's plan (init, then SFT and RL branches) at a tiny scale, so every number in
 * the fixture was produced by training and evaluation — none is hand-written. At this scale the
 * model has not learned the task (success is mostly 0); the figures' structure is what is tested.
 *
 * `stopEarly` leaves the last experiment's RL branch cancelled part-way, with a checkpoint, so a
 * test can resume it and watch the dashboard follow a run that is really training.
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../../shared/experiments/config';
import { planExperiment, type RunPlan } from '../../shared/experiments/plan';
import { PRESETS } from '../../shared/experiments/presets';
import { runOne, type RunnerHooks } from '../../electron/ml/engine/runner';
import { gpTaskFor } from '../../electron/ml/tasks/generalpoints/task';
import { createVirlTask } from '../../electron/ml/tasks/virl/task';

export interface EngineRunsOptions {
  presets?: ('gp-rule' | 'gp-visual' | 'virl-rule' | 'gp-verification')[];
  seeds?: number[];
  /** Steps of each branch (evaluated at step 0, every 2 steps and at the end). */
  steps?: number;
  stopEarly?: boolean;
}

export interface EngineRuns {
  ids: string[];
  /** The cancelled RL run (when stopEarly), its experiment, and how to finish it. */
  stopped?: { runId: string; experiment: string; resume(progress: RunnerHooks['progress']): Promise<string> };
}

function tinyConfig(preset: string, seed: number, steps: number): ExperimentConfig {
  const found = PRESETS.find((p) => p.config.preset === preset);
  if (!found) throw new Error(`no preset ${preset}`);
  const c = structuredClone(found.config);
  c.seed = seed;
  // V-IRL's prompts (instruction list and observation) need the longer context.
  const virl = preset.startsWith('virl');
  // Each preset keeps its context (gp-verification's rl-v10 needs 211 tokens, GP-VL's answers 82).
  c.model = { width: 16, layers: 1, heads: 2, context: virl ? 96 : c.model.context, ffnMult: 2 };
  // GP-VL: a small encoder over the preset's card images.
  if (c.image) c.image = { width: 48, height: 24, channels: [4, 8], gridH: 1, gridW: 6 };
  c.base = { ...c.base, steps: 3, multiTurnSteps: 2, batch: 4 };
  c.initSft = virl ? { ...c.initSft, steps: 2, batch: 4 } : { ...c.initSft, steps: 0 };
  c.sft = { ...c.sft, steps, batch: 4 };
  // Without dynamic sampling: every step of a tiny policy updates (its groups are mostly dead).
  c.rl = { ...c.rl, steps, promptsPerStep: 2, groupSize: 2, dynamicSampling: false };
  c.eval = { ...c.eval, everySteps: 2, idEpisodes: 3, oodEpisodes: 3 };
  c.checkpointEvery = 2;
  return c;
}

const hooks = (progress: RunnerHooks['progress'] = () => {}, stopAfter = Infinity): RunnerHooks => {
  let calls = 0;
  return { progress, log: () => {}, cancelled: () => ++calls > stopAfter, versions: { fixture: 'test/helpers/engine-runs.ts' } };
};

/** Trains the experiments into dataDir; returns the run ids (init runs first in each experiment). */
export async function writeEngineRuns(dataDir: string, options: EngineRunsOptions = {}): Promise<EngineRuns> {
  const { presets = ['gp-rule', 'gp-visual'], seeds = [0, 1], steps = 4, stopEarly = false } = options;
  await tf.setBackend('cpu');
  const ids: string[] = [];
  let stopped: EngineRuns['stopped'];
  for (const [pi, preset] of presets.entries()) {
    for (const [si, seed] of seeds.entries()) {
      const config = tinyConfig(preset, seed, steps);
      const trainer = preset.startsWith('virl') ? createVirlTask() : gpTaskFor(config);
      const experiment = `${preset}-s${seed}`;
      for (const plan of planExperiment(config, experiment)) {
        ids.push(plan.runId);
        const last = stopEarly && pi === presets.length - 1 && si === seeds.length - 1 && plan.method === 'rl';
        const outcome = await runOne(dataDir, experiment, plan, config, trainer, hooks(undefined, last ? 2 : Infinity));
        if (last) {
          const p: RunPlan = plan;
          stopped = { runId: plan.runId, experiment, resume: (progress) => runOne(dataDir, experiment, p, config, trainer, hooks(progress)) };
          if (outcome !== 'cancelled') throw new Error(`expected ${plan.runId} to stop early, got ${outcome}`);
        }
      }
    }
  }
  return { ids, ...(stopped ? { stopped } : {}) };
}
