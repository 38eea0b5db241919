import { describe, expect, it } from 'vitest';
import { experimentConfigSchema, type ExperimentConfig } from '../../../shared/experiments/config';
import { GP_RULE, GP_VISUAL, GP_VL_RULE, PRESETS, quickScale } from '../../../shared/experiments/presets';
import { policyModelConfig } from '../../../electron/ml/engine/runner';
import { createGpTask, gpTaskFor } from '../../../electron/ml/tasks/generalpoints/task';
import { paramCount } from '../../../electron/ml/flops';

const issues = (c: unknown) => {
  const r = experimentConfigSchema.safeParse(c);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the image block of the experiment config', () => {
  it('is required when the modality is vision-language, and refused for a language-only experiment', () => {
    const { image: _drop, ...noImage } = GP_VISUAL;
    expect(issues(noImage)).toEqual(['image: a vision-language experiment needs an image block: { width, height, channels, gridH, gridW } (the observation size and the encoder that reads it)']);
    expect(issues({ ...GP_RULE, image: GP_VISUAL.image })).toEqual(['image: a language-only experiment reads no images: remove the image block or set modality to vision-language']);
    expect(issues(GP_VISUAL)).toEqual([]);
  });

  it('names a size the encoder cannot divide', () => {
    expect(issues({ ...GP_VISUAL, image: { ...GP_VISUAL.image, width: 100 } })).toEqual(['image.channels: 3 stride-2 convs need an image divisible by 8; 100×48 is not']);
    expect(issues({ ...GP_VISUAL, image: { ...GP_VISUAL.image, gridW: 5 } })).toEqual(['image.gridW: the feature map is 12 wide, which 5 columns of tokens must divide']);
    expect(issues({ ...GP_VISUAL, image: { ...GP_VISUAL.image, channels: [] } })[0]).toMatch(/^image.channels: /);
    expect(issues({ ...GP_VISUAL, image: { ...GP_VISUAL.image, pool: 'max' } })[0]).toMatch(/^image.pool: /);
    expect(issues({ ...GP_VISUAL, image: { ...GP_VISUAL.image, pool: 'concat' } })).toEqual([]);
  });

  it('the GP-VL presets run, at full and quick scale: their model reads the image block\'s images and fits 3 attempts', () => {
    for (const c of [GP_VISUAL, GP_VL_RULE, quickScale(GP_VISUAL)] as ExperimentConfig[]) {
      const cfg = policyModelConfig(gpTaskFor(c), c);
      expect(cfg.image).toEqual(c.image);
      expect(cfg.vocabSize).toBe(gpTaskFor(c).codec.tokenizer.vocabSize);
    }
    expect(PRESETS.filter((p) => p.config.task === 'generalpoints').every((p) => p.available)).toBe(true);
    expect(GP_VL_RULE.variant).toBe('rule');
    expect(GP_VISUAL.variant).toBe('visual');
    // N counts the encoder's parameters.
    const vl = policyModelConfig(gpTaskFor(GP_VISUAL), GP_VISUAL);
    expect(paramCount(vl)).toBeGreaterThan(paramCount({ ...vl, image: undefined }));
  });

  it('a task and a config that disagree about images are refused by name', () => {
    expect(() => policyModelConfig(createGpTask(), GP_VISUAL)).toThrow('the experiment has an image block, but this task shows no images');
    expect(() => policyModelConfig(gpTaskFor(GP_VISUAL), { ...GP_VISUAL, image: { ...GP_VISUAL.image!, width: 64, height: 32 } })).toThrow('the image block says 64×32, but the task renders 96×48 images');
    expect(() => policyModelConfig(gpTaskFor(GP_VISUAL), { ...GP_VISUAL, image: undefined })).toThrow(/this task shows 96×48 images: the experiment needs an image block/);
  });
});

describe('the V-IRL-VL presets', () => {
  it('run at full and quick scale: a 64×64 grid of 32 px views, 16 visual tokens, a context for 2 attempts; visual and rule variants', async () => {
    const { VIRL_VISUAL, VIRL_VL_RULE } = await import('../../../shared/experiments/presets');
    const { virlTaskFor } = await import('../../../electron/ml/tasks/virl/task');
    const { contextProblem } = await import('../../../electron/ml/tasks');
    for (const c of [VIRL_VISUAL, VIRL_VL_RULE, quickScale(VIRL_VISUAL)] as ExperimentConfig[]) {
      expect(issues(c)).toEqual([]);
      const task = virlTaskFor(c);
      expect(task.imageSize).toEqual({ width: 64, height: 64 });
      expect(task.codec.views).toEqual({ viewSize: 32, gap: 0 });
      expect(policyModelConfig(task, c).image).toEqual(c.image);
      expect(await contextProblem(c)).toBeNull();
    }
    expect(VIRL_VISUAL.image!.gridH * VIRL_VISUAL.image!.gridW).toBe(16);
    expect([VIRL_VISUAL.variant, VIRL_VL_RULE.variant]).toEqual(['visual', 'rule']);
    // At least 4 OOD styles with at least 50 routes each: 400 routes over the 8 other cities.
    expect(VIRL_VISUAL.eval.oodEpisodes / 8).toBeGreaterThanOrEqual(50);
    expect(PRESETS.filter((p) => p.config.task === 'virl').every((p) => p.available)).toBe(true);
    expect(await contextProblem({ ...VIRL_VISUAL, image: { ...VIRL_VISUAL.image!, width: 128 } })).toMatch(/square 2×2 grid/);
  });
});
