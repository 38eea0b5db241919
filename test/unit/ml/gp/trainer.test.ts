import { beforeAll, describe, expect, it } from 'vitest';
import { experimentConfigSchema } from '../../../../shared/experiments/config';
import type { Phase } from '../../../../shared/experiments/plan';
import { GP_RULE } from '../../../../shared/experiments/presets';
import { createGpTrainer } from '../../../../electron/ml/gp';
import { createModel, disposeAdamW, disposeModel, createAdamW, RECIPE_ADAMW } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';

beforeAll(useCpu);

describe('GeneralPoints task trainer (runner adapter)', () => {
  it('runs one step of every phase and branch, and evaluates both splits', async () => {
    const config = experimentConfigSchema.parse({
      ...GP_RULE,
      model: { width: 16, layers: 1, heads: 2, context: 80, ffnMult: 1 },
      base: { ...GP_RULE.base, batch: 4 },
      initSft: { ...GP_RULE.initSft, batch: 4 },
      sft: { ...GP_RULE.sft, batch: 4 },
      rl: { ...GP_RULE.rl, promptsPerStep: 2, groupSize: 2 },
      eval: { ...GP_RULE.eval, idEpisodes: 3, oodEpisodes: 3 },
    });
    const trainer = createGpTrainer();
    const mc = trainer.modelConfig(config);
    expect(mc.vocabSize).toBe(trainer.tokenizer.vocabSize);
    const model = createModel(mc);
    const optimizer = createAdamW(model, RECIPE_ADAMW);
    const runs: [Phase, string][] = [['base', 'init'], ['base-multiturn', 'init'], ['init-sft', 'init'], ['sft', 'sft'], ['sft', 'sft-diverse'], ['rl', 'rl'], ['rl', 'rl-single-turn']];
    for (const [phase, method] of runs) {
      const out = await trainer.step({ model, optimizer, reference: null, config, method, phase, step: 0, total: 10, lr: 1e-4, maxGradNorm: 1, seed: 1 });
      expect(out.trainTokens, `${phase}/${method}`).toBeGreaterThan(0);
      expect(out.metrics['train/lr']).toBe(1e-4);
      if (phase === 'rl') {
        expect(out.generatedTokens).toBeGreaterThan(0);
        expect(out.metrics['rl/attempts']).toBeLessThanOrEqual(method === 'rl-single-turn' ? 1 : 3);
      }
    }
    for (const split of ['id', 'ood'] as const) {
      const ev = await trainer.evaluate({ model, config, split, actor: { kind: 'checkpoint', name: 'x' } });
      expect(ev.episodes).toHaveLength(3);
      expect(ev.generatedTokens).toBeGreaterThan(0);
      expect(ev.metrics).toHaveProperty([`eval/${split}/success`]);
    }
    disposeAdamW(optimizer);
    disposeModel(model);
  });
});
