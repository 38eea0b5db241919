/**
 * V-IRL-VL street-view grids through the engine (issue 11): the encoder's visual tokens, rollouts
 * whose segments carry the grid of their rail point, the RL update and its reference pass reading
 * each row's grid, no tensor leak, and bad images refused by name.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirlEnv } from '../../../../shared/tasks/virl/env';
import { renderStreetViews } from '../../../../shared/tasks/virl/render/views';
import { createRng } from '../../../../shared/util/rng';
import { blindTask } from '../../../../electron/ml/engine/blind';
import { rowImages } from '../../../../electron/ml/engine/images';
import { rlStep, rlUpdate } from '../../../../electron/ml/engine/rl';
import { buildRlBatch, rlRows } from '../../../../electron/ml/engine/rl-batch';
import { rollout } from '../../../../electron/ml/engine/rollout';
import { baseStep, sftStep } from '../../../../electron/ml/engine/sft';
import type { Episode } from '../../../../electron/ml/engine/task';
import { createVirlTask } from '../../../../electron/ml/tasks/virl/task';
import { disposeAdamW, disposeModel, encodeImages, imagesToTensor, param, type PolicyModel } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { smallConfig } from './fixtures';
import { tinyVirlVlModel, VIRL_VL_IMAGE, virlVlStepInput, virlVlTask as task } from './virl-vl-fixtures';

beforeAll(useCpu);

const actor = { kind: 'checkpoint' as const, name: 'virl-vl@0', step: 0 };
const VISUAL = VIRL_VL_IMAGE.gridH * VIRL_VL_IMAGE.gridW;
const encoderWeights = (m: PolicyModel) => Array.from(param(m, 'img.conv0.w').dataSync());
const changed = (a: number[], b: number[]) => a.some((x, i) => x !== b[i]);
const evalCfg = { everySteps: 1, idEpisodes: 3, oodEpisodes: 8, verificationLimit: 2, seed: 11 };

describe('street-view grids through the engine (V-IRL-VL)', () => {
  const { model, optimizer } = tinyVirlVlModel(2);
  afterAll(() => {
    disposeAdamW(optimizer);
    disposeModel(model);
  });

  it('the encoder turns a batch of grids into [B, gridH·gridW, d] visual tokens', () => {
    const examples = task.expertExamples(createRng(1), 3, 'canonical');
    const out = tf.tidy(() => encodeImages(model, imagesToTensor(model.config, examples.map((e) => e.image!.data))));
    expect(out.shape).toEqual([3, VISUAL, 16]);
    out.dispose();
  });

  it('each segment carries the grid of its rail point as the env renders it; generation counts the visual tokens', () => {
    const specs = task.evalEpisodes(evalCfg, 'ood', 8);
    const ro = rollout(model, task, { episodes: specs, verificationLimit: 2, temperature: 1, rng: createRng(3), actor });
    let segments = 0;
    for (const e of ro.episodes) {
      const env = (e.env as unknown as { env: ReturnType<typeof createVirlEnv> }).env;
      e.segments.forEach((seg, k) => {
        const p = env.rail.points[k]!;
        expect(seg.image).toEqual(renderStreetViews(env.scene(), p.position, p.heading, { viewSize: 16, gap: 0, layout: 'prompt' }));
        segments++;
      });
      expect(e.record.variant).toMatchObject({ observation: 'vision', actionSpace: 'absolute' });
      expect(e.record.initial).toMatchObject({ views: { viewSize: 16, gap: 0 } });
    }
    // Segments in eight cities' styles: the OOD set is every other city.
    expect(new Set(ro.episodes.map((e) => (e.spec.variant as { city: string }).city)).size).toBe(8);
    const attempts = ro.episodes.reduce((s, e) => s + e.segments.reduce((n, g) => n + g.attempts.length, 0), 0);
    expect(segments).toBeGreaterThanOrEqual(8);
    expect(ro.genTokens).toBeGreaterThanOrEqual(attempts * VISUAL + ro.sampledTokens);
  }, 120_000);

  it('base and SFT steps train the encoder on grids', () => {
    const { model: m, optimizer: o } = tinyVirlVlModel(5);
    let before = encoderWeights(m);
    baseStep(virlVlStepInput(m, o, 0, 'base', 1, 1e-2), { batch: 4 }, { multiTurn: true, maxAttempts: 2 });
    expect(changed(before, encoderWeights(m))).toBe(true);
    before = encoderWeights(m);
    sftStep(virlVlStepInput(m, o, 0, 'sft', 1, 1e-2), { batch: 4, expert: 'canonical' });
    expect(changed(before, encoderWeights(m))).toBe(true);
    disposeAdamW(o);
    disposeModel(m);
  }, 120_000);

  it('RL update: one row per segment with its own grid; the encoder trains; the reference pass reads the grids too', () => {
    const specs = task.trainingEpisodes(createRng(9), 2);
    const ro = rollout(model, task, { episodes: specs.flatMap((s) => [s, s]), verificationLimit: 2, temperature: 1, rng: createRng(5), actor });
    const eps: Episode[] = ro.episodes.map((e, i) => ({ ...e, success: i % 2 === 0 }));
    const zeros = eps.map((e) => e.segments.flatMap((s) => s.attempts.map(() => 0)));
    const rows = rlRows(eps, zeros, zeros);
    const b = buildRlBatch(rows, task.codec.tokenizer.pad);
    const segs = eps.flatMap((e) => e.segments);
    expect(b.images).toHaveLength(segs.length);
    expect(b.images).toEqual(segs.map((s) => s.image));
    const before = encoderWeights(model);
    const cfg = { ...smallConfig().rl, groupSize: 2, klBeta: 0.1, entropyCoef: 0.01 };
    const m = rlUpdate(model, optimizer, task, eps, cfg, { lr: 1e-2, maxGradNorm: 1, pad: task.codec.tokenizer.pad, reference: model });
    expect(m['train/grad_norm']).toBeGreaterThan(0);
    expect(changed(before, encoderWeights(model))).toBe(true);
    const text = segs.reduce((s, g) => s + g.sequence.length - 1, 0);
    expect(m['train/tokens']).toBe(text + segs.length * VISUAL);
    expect(m['gen/ref_tokens']).toBe(text + segs.length * VISUAL);
  }, 120_000);

  it('RL steps with grids leak no tensors', () => {
    const cfg = { ...smallConfig().rl, promptsPerStep: 2, groupSize: 2, verificationLimit: 2 };
    rlStep(virlVlStepInput(model, optimizer, 0, 'rl', 3), cfg);
    const before = tf.memory().numTensors;
    rlStep(virlVlStepInput(model, optimizer, 1, 'rl', 3), cfg);
    rlStep(virlVlStepInput(model, optimizer, 2, 'rl', 3), cfg);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('the blind ablation plays the same routes with every grid zeroed', () => {
    const blind = blindTask(task);
    const specs = task.evalEpisodes(evalCfg, 'id', 2);
    const ro = rollout(model, blind, { episodes: specs, verificationLimit: 2, temperature: 0, actor });
    for (const e of ro.episodes) for (const s of e.segments) expect(s.image).toEqual({ width: 32, height: 32, data: new Uint8Array(32 * 32 * 3) });
    expect(ro.episodes.map((e) => e.spec)).toEqual(specs);
    expect(() => blindTask(createVirlTask())).toThrow(/shows no images/);
  }, 120_000);
});

describe('bad street-view input gets a clear error', () => {
  it('a grid of the wrong size is refused naming the row and both sizes', () => {
    const { model } = tinyVirlVlModel(1);
    const env = createVirlEnv({ views: { viewSize: 32, gap: 0 } });
    const big = env.reset({ seed: 1, variant: { observation: 'vision' } }).observation.image!;
    const good = createVirlEnv({ views: { viewSize: 16, gap: 0 } }).reset({ seed: 1, variant: { observation: 'vision' } }).observation.image!;
    expect(() => rowImages(model, [good, big], 'observation')).toThrow("observation 1 is a 64×64 image; the model's encoder reads 32×32 images (the experiment's image block)");
    disposeModel(model);
  });
});
