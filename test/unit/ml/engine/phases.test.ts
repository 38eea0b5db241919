import { beforeAll, describe, expect, it } from 'vitest';
import { experimentConfigSchema } from '../../../../shared/experiments/config';
import { planExperiment } from '../../../../shared/experiments/plan';
import { GP_RULE } from '../../../../shared/experiments/presets';
import { evaluate } from '../../../../electron/ml/engine/eval';
import { phaseStep, policyModelConfig } from '../../../../electron/ml/engine/runner';
import { createModel, disposeAdamW, disposeModel, createAdamW, RECIPE_ADAMW } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { task } from './fixtures';

beforeAll(useCpu);

describe('the engine on GeneralPoints: every phase and branch of the plan', () => {
  it('runs one step of every phase of every run, with the branch semantics the plan resolved, and evaluates both splits', () => {
    const config = experimentConfigSchema.parse({
      ...GP_RULE,
      model: { width: 16, layers: 1, heads: 2, context: 80, ffnMult: 1 },
      base: { ...GP_RULE.base, batch: 4 },
      initSft: { ...GP_RULE.initSft, batch: 4 },
      sft: { ...GP_RULE.sft, batch: 4 },
      // Without dynamic sampling: one step of an untrained policy (all groups dead) must still update.
      rl: { ...GP_RULE.rl, promptsPerStep: 2, groupSize: 2, dynamicSampling: false },
      eval: { ...GP_RULE.eval, idEpisodes: 3, oodEpisodes: 3 },
      branches: ['sft', 'rl', 'sft-diverse', 'rl-single-turn'],
    });
    const mc = policyModelConfig(task, config);
    expect(mc.vocabSize).toBe(task.codec.tokenizer.vocabSize);
    const model = createModel(mc);
    const optimizer = createAdamW(model, RECIPE_ADAMW);
    const plans = planExperiment(config, 'x');
    expect(plans.find((p) => p.method === 'rl-single-turn')?.config.rl.verificationLimit).toBe(1);
    expect(plans.find((p) => p.method === 'sft-diverse')?.config.sft.expert).toBe('diverse');
    expect(plans.find((p) => p.method === 'sft')?.config).toEqual(config);
    for (const plan of plans) {
      for (const { phase } of plan.phases) {
        const out = phaseStep({ model, optimizer, task, seed: 1, stageId: `${phase}/${plan.method}`, step: 0, lr: 1e-4, maxGradNorm: 1 }, plan.config, phase, null);
        expect(out.metrics['train/tokens'], `${phase}/${plan.method}`).toBeGreaterThan(0);
        expect(out.metrics['train/lr']).toBe(1e-4);
        if (phase === 'rl') {
          expect(out.metrics['gen/tokens']).toBeGreaterThan(0);
          if (plan.method === 'rl-single-turn') expect(out.metrics['rl/attempts']).toBe(1);
          else expect(out.metrics['rl/attempts']).toBeLessThanOrEqual(3);
        }
      }
    }
    for (const split of ['id', 'ood'] as const) {
      const ev = evaluate(model, task, config.eval, split, { kind: 'checkpoint', name: 'x' });
      expect(ev.episodes).toHaveLength(3);
      expect(ev.genTokens).toBeGreaterThan(0);
      expect(ev.metrics).toHaveProperty([`eval/${split}/success`]);
    }
    disposeAdamW(optimizer);
    disposeModel(model);
  });

  it('refuses a model context too short for the experiment\'s attempts, naming both', () => {
    const config = experimentConfigSchema.parse({ ...GP_RULE, model: { ...GP_RULE.model, context: 40 } });
    expect(() => policyModelConfig(task, config)).toThrow(/context 40 is too short for 3 attempts \(needs 71 tokens\)/);
  });
});
