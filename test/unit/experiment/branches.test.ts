/**
 * The paper's secondary findings as branches of the plan: verification iterations (rl-v1 … rl-v10,
 * paper Fig. 10) and RL without the initial SFT (rl-no-sft, Fig. 9), and the gp-verification preset.
 */
import { describe, expect, it } from 'vitest';
import { BRANCHES, experimentConfigSchema, type ExperimentConfig } from '../../../shared/experiments/config';
import { experimentAttempts, experimentOfRun, planExperiment, planNotes, runConfigOf } from '../../../shared/experiments/plan';
import { findPreset, GP_RULE, GP_VERIFICATION, quickScale } from '../../../shared/experiments/presets';
import { createGpCodec } from '../../../electron/ml/tasks/generalpoints/codec';
import { contextProblem } from '../../../electron/ml/tasks';

const withBranches = (branches: ExperimentConfig['branches'], patch: Partial<ExperimentConfig> = {}): ExperimentConfig =>
  experimentConfigSchema.parse({ ...GP_RULE, ...patch, branches });

describe('verification-iteration branches (rl-vN)', () => {
  it('train RL with N attempts per episode, everything else as the rl branch, from the init\'s final checkpoint', () => {
    const config = withBranches(['rl', 'rl-v1', 'rl-v3', 'rl-v5', 'rl-v10'], { model: { ...GP_RULE.model, context: 216 } });
    const plans = planExperiment(config, 'x');
    const rl = plans.find((p) => p.method === 'rl');
    for (const v of [1, 3, 5, 10]) {
      const p = plans.find((q) => q.method === `rl-v${v}`);
      expect(p?.config.rl.verificationLimit).toBe(v);
      expect({ ...p?.config.rl, verificationLimit: 0 }).toEqual({ ...rl?.config.rl, verificationLimit: 0 });
      expect(p?.config.eval).toEqual(config.eval); // one evaluation limit for every branch
      expect(p?.parent).toBe('x-init');
      expect(p?.parentCheckpoint).toBe('final');
      expect(p?.phases).toEqual([{ phase: 'rl', steps: config.rl.steps }]);
    }
  });

  it('size the init for the largest branch: the attempts every branch and the evaluation need', () => {
    expect(experimentAttempts(GP_RULE)).toBe(3);
    expect(experimentAttempts(withBranches(['rl', 'rl-v5']))).toBe(5);
    expect(experimentAttempts(withBranches(['rl-v1']))).toBe(3); // the evaluation's 3
    expect(experimentAttempts(GP_VERIFICATION)).toBe(10);
  });

  it('are refused at launch when the context cannot hold the largest, naming the tokens needed', async () => {
    expect(await contextProblem(withBranches(['rl', 'rl-v10']))).toMatch(/context 80 is too short for 10 attempts \(needs 211 tokens\): raise model.context to 211/);
    expect(await contextProblem(GP_RULE)).toBeNull();
    expect(await contextProblem(GP_VERIFICATION)).toBeNull();
  });
});

describe('the gp-verification preset (paper Fig. 10)', () => {
  it('runs rl-v1, rl-v3, rl-v5 and rl-v10 from one init, all evaluated with 10 attempts, with a context that fits 10', () => {
    const preset = findPreset('gp-verification');
    expect(preset?.available).toBe(true);
    const config = experimentConfigSchema.parse(preset?.config);
    expect(config.branches).toEqual(['rl-v1', 'rl-v3', 'rl-v5', 'rl-v10']);
    expect(config.eval.verificationLimit).toBe(10);
    expect(config.model.context).toBeGreaterThanOrEqual(createGpCodec().contextFor(10));
    expect(config.base.from).toBeUndefined(); // a shipped 80-token base cannot hold V = 10
    const plans = planExperiment(config, 'v');
    expect(plans.map((p) => p.method)).toEqual(['init', 'rl-v1', 'rl-v3', 'rl-v5', 'rl-v10']);
    expect(new Set(plans.slice(1).map((p) => `${p.parent}/${p.parentCheckpoint}`))).toEqual(new Set(['v-init/final']));
    // Quick scale keeps the graph and the context.
    const quick = quickScale(config);
    expect(quick.branches).toEqual(config.branches);
    expect(quick.model.context).toBe(config.model.context);
  });

  it('has the same RL recipe as gp-rule apart from the attempts (it follows the gp-rule default), each branch bounded by one compute budget', () => {
    const { computeBudget, steps, ...recipe } = GP_VERIFICATION.rl;
    const { computeBudget: _noBudget, steps: _steps, ...ruleRecipe } = GP_RULE.rl;
    expect(recipe).toEqual(ruleRecipe);
    // Equal compute per branch (paper Fig. 10); the steps only bound it.
    expect(computeBudget).toBeGreaterThan(0);
    expect(steps).toBeGreaterThan(GP_RULE.rl.steps);
    expect(GP_VERIFICATION.sft).toEqual(GP_RULE.sft);
    expect(GP_VERIFICATION.initSft).toEqual(GP_RULE.initSft);
  });
});

describe('RL without the initial SFT (rl-no-sft)', () => {
  it('starts from the init run\'s base checkpoint when there is an initial SFT, with the rl branch\'s config', () => {
    const config = withBranches(['rl', 'rl-no-sft'], { initSft: { ...GP_RULE.initSft, steps: 50 } });
    const plans = planExperiment(config, 'x');
    const rl = plans.find((p) => p.method === 'rl');
    const noSft = plans.find((p) => p.method === 'rl-no-sft');
    expect(noSft?.parent).toBe('x-init');
    expect(noSft?.parentCheckpoint).toBe('base');
    expect(rl?.parentCheckpoint).toBe('final');
    expect(noSft?.config).toEqual(rl?.config);
    expect(planNotes(config)).toEqual([]);
  });

  it('is the rl branch when initSft.steps is 0, and says so', () => {
    const config = withBranches(['rl', 'rl-no-sft'], { initSft: { ...GP_RULE.initSft, steps: 0 } });
    expect(planExperiment(config, 'x').find((p) => p.method === 'rl-no-sft')?.parentCheckpoint).toBe('final');
    expect(planNotes(config).join(' ')).toMatch(/rl-no-sft starts from the same checkpoint as rl because initSft.steps is 0/);
  });

  it('records where it started in run.json, and resume reads the experiment back', () => {
    const config = withBranches(['rl', 'rl-no-sft'], { initSft: { ...GP_RULE.initSft, steps: 50 } });
    const plan = planExperiment(config, 'x').find((p) => p.method === 'rl-no-sft');
    if (!plan) throw new Error('no plan');
    const stored = runConfigOf(config, 'x', plan);
    expect(stored.parentCheckpoint).toBe('base');
    expect(experimentOfRun(JSON.parse(JSON.stringify(stored)) as Record<string, unknown>)).toEqual({ experiment: 'x', config });
  });
});

describe('plan notes', () => {
  it('warn when the evaluation allows fewer attempts than a branch trains with', () => {
    const config = withBranches(['rl-v5'], { model: { ...GP_RULE.model, context: 216 } });
    expect(planNotes(config).join(' ')).toMatch(/evaluation allows 3 attempts, fewer than the largest training limit \(rl-v5\)/);
    expect(planNotes({ ...config, eval: { ...config.eval, verificationLimit: 5 } })).toEqual([]);
  });

  it('every branch is accepted by the schema at once', () => {
    expect(experimentConfigSchema.safeParse({ ...GP_RULE, branches: [...BRANCHES] }).success).toBe(true);
    expect(experimentConfigSchema.safeParse({ ...GP_RULE, branches: ['rl-v7'] }).success).toBe(false);
  });
});
