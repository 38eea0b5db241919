import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCards } from '../../../../shared/tasks/generalpoints/image';
import { createRng } from '../../../../shared/util/rng';
import { rowImages } from '../../../../electron/ml/engine/images';
import { rlStep, rlUpdate } from '../../../../electron/ml/engine/rl';
import { buildRlBatch, rlRows } from '../../../../electron/ml/engine/rl-batch';
import { rollout } from '../../../../electron/ml/engine/rollout';
import { baseStep, sftStep, supervisedUpdate } from '../../../../electron/ml/engine/sft';
import type { EpisodeSpec } from '../../../../electron/ml/engine/task';
import { createModel, disposeAdamW, disposeModel, encodeImages, imagesToTensor, observeImageEncoder, param, type EncoderCall, type PolicyModel } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { smallConfig, stepInput, tinyModel } from './fixtures';
import { tinyVlModel, vlCodec, vlStepInput, vlTask, VL_IMAGE } from './vl-fixtures';

beforeAll(useCpu);

const actor = { kind: 'checkpoint' as const, name: 'vl@0', step: 0 };
const hands = (n: number, colors = 'black'): EpisodeSpec[] => Array.from({ length: n }, (_, i) => ({ seed: 300 + i, variant: { rule: 'face10', colors, vision: true }, split: 'id' }));
const VISUAL = VL_IMAGE.gridH * VL_IMAGE.gridW;
const encoderWeights = (m: PolicyModel) => Array.from(param(m, 'img.conv0.w').dataSync());
const changed = (a: number[], b: number[]) => a.some((x, i) => x !== b[i]);

describe('images through the engine (GP-VL)', () => {
  const { model, optimizer } = tinyVlModel(2);
  afterAll(() => {
    disposeAdamW(optimizer);
    disposeModel(model);
  });

  it('the encoder turns a batch of card images into [B, gridH·gridW, d] visual tokens', () => {
    const examples = vlTask.expertExamples(createRng(1), 3, 'canonical');
    const out = tf.tidy(() => encodeImages(model, imagesToTensor(model.config, examples.map((e) => e.image!.data))));
    expect(out.shape).toEqual([3, VISUAL, 16]);
    out.dispose();
  });

  it('the encoder observer sees each forward: images, and whether the update taped it (the VL bench\'s encoder share)', () => {
    const calls: EncoderCall[] = [];
    observeImageEncoder((c) => calls.push(c));
    try {
      const examples = vlTask.expertExamples(createRng(2), 3, 'canonical');
      tf.tidy(() => encodeImages(model, imagesToTensor(model.config, examples.map((e) => e.image!.data))));
      expect(calls.map((c) => [c.images, c.taped])).toEqual([[3, false]]);
      const { model: m, optimizer: o } = tinyVlModel(5);
      supervisedUpdate({ model: m, optimizer: o, task: vlTask, lr: 1e-3, maxGradNorm: 1 }, examples);
      disposeAdamW(o);
      disposeModel(m);
      expect(calls.slice(1).map((c) => [c.images, c.taped])).toEqual([[3, true]]);
      expect(calls.every((c) => c.ms >= 0)).toBe(true);
    } finally {
      observeImageEncoder(null);
    }
    tf.tidy(() => encodeImages(model, imagesToTensor(model.config, [vlTask.expertExamples(createRng(3), 1, 'canonical')[0]!.image!.data])));
    expect(calls).toHaveLength(2); // stopped
  });

  it('rollout segments carry the env\'s card image; generation reads it and counts its visual tokens', () => {
    const ro = rollout(model, vlTask, { episodes: hands(4), verificationLimit: 2, temperature: 1, rng: createRng(3), actor });
    for (const e of ro.episodes) {
      const seg = e.segments[0]!;
      expect(seg.image).toEqual(renderCards(e.initial.observation.state.cards, VL_IMAGE));
      expect(seg.sequence.slice(0, vlCodec.promptTokens).map((t) => vlCodec.unit(t))).toEqual(['<bos>', 'rJ', 'n10', 'rQ', 'n10', 'rK', 'n10', 'T', 'n24', '>']);
      expect(e.record.initial.imageSize).toEqual({ width: 48, height: 24 });
    }
    // Every generate call's prefill reads the prompts and the visual tokens of each row once.
    const rounds = ro.episodes.reduce((s, e) => s + e.segments[0]!.attempts.length, 0);
    expect(ro.genTokens).toBeGreaterThanOrEqual(rounds * VISUAL + ro.sampledTokens);
  }, 120_000);

  it('SFT with images: loss falls on a tiny fixed image batch, the encoder trains, visual tokens count in D', () => {
    const { model: m, optimizer: o } = tinyVlModel(4);
    const examples = vlTask.expertExamples(createRng(7), 4, 'canonical');
    const before = encoderWeights(m);
    const losses: number[] = [];
    let tokens = 0;
    for (let s = 0; s < 10; s++) {
      const r = supervisedUpdate({ model: m, optimizer: o, task: vlTask, lr: 1e-2, maxGradNorm: 1 }, examples).metrics;
      losses.push(r['train/loss']!);
      tokens = r['train/tokens']!;
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.7);
    expect(losses.at(-1)!).toBeLessThan(Math.min(...losses.slice(0, 3)));
    expect(changed(before, encoderWeights(m))).toBe(true);
    expect(tokens).toBe(examples.reduce((s, e) => s + e.prompt.length + e.answer.length - 1, 0) + 4 * VISUAL);
    disposeAdamW(o);
    disposeModel(m);
  }, 120_000);

  it('base and SFT steps of the VL task train the encoder (every stage sees the images)', () => {
    const { model: m, optimizer: o } = tinyVlModel(5);
    let before = encoderWeights(m);
    baseStep(vlStepInput(m, o, 0, 'base', 1, 1e-2), { batch: 4 }, { multiTurn: true, maxAttempts: 3 });
    expect(changed(before, encoderWeights(m))).toBe(true);
    before = encoderWeights(m);
    sftStep(vlStepInput(m, o, 0, 'sft', 1, 1e-2), { batch: 4, expert: 'canonical' });
    expect(changed(before, encoderWeights(m))).toBe(true);
    disposeAdamW(o);
    disposeModel(m);
  }, 120_000);

  it('RL update with images: rows carry their segment\'s image, the encoder trains, and the reference pass reads images too', () => {
    const ro = rollout(model, vlTask, { episodes: hands(4).flatMap((h) => [h, h]), verificationLimit: 2, temperature: 1, rng: createRng(5), actor });
    const eps = ro.episodes.map((e, i) => ({ ...e, success: i % 2 === 0 }));
    const zeros = eps.map((e) => e.segments[0]!.attempts.map(() => 0));
    const b = buildRlBatch(rlRows(eps, zeros, zeros), vlCodec.tokenizer.pad);
    expect(b.images).toHaveLength(8);
    expect(b.images.every((im) => im?.width === 48 && im.height === 24)).toBe(true);
    const before = encoderWeights(model);
    const cfg = { ...smallConfig().rl, groupSize: 2, klBeta: 0.1 };
    const m = rlUpdate(model, optimizer, vlTask, eps, cfg, { lr: 1e-2, maxGradNorm: 1, pad: vlCodec.tokenizer.pad, reference: model });
    expect(m['train/grad_norm']).toBeGreaterThan(0);
    expect(changed(before, encoderWeights(model))).toBe(true);
    const text = eps.reduce((s, e) => s + e.segments[0]!.sequence.length - 1, 0);
    expect(m['train/tokens']).toBe(text + 8 * VISUAL);
    expect(m['gen/ref_tokens']).toBe(text + 8 * VISUAL);
    expect(m['rl/kl_ref']).toBeCloseTo(0, 6); // the reference is the policy itself before the update
  }, 120_000);

  it('RL steps with images leak no tensors', () => {
    const cfg = { ...smallConfig().rl, promptsPerStep: 2, groupSize: 2 };
    rlStep(vlStepInput(model, optimizer, 0, 'rl', 3), cfg);
    const before = tf.memory().numTensors;
    rlStep(vlStepInput(model, optimizer, 1, 'rl', 3), cfg);
    rlStep(vlStepInput(model, optimizer, 2, 'rl', 3), cfg);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});

describe('bad image input gets a clear error', () => {
  it('names the row and the sizes', () => {
    const { model } = tinyVlModel(1);
    const good = renderCards([{ rank: 1, suit: 'S' }], VL_IMAGE);
    const big = renderCards([{ rank: 1, suit: 'S' }], { width: 96, height: 48 });
    expect(() => rowImages(model, [good, big], 'observation')).toThrow("observation 1 is a 96×48 image; the model's encoder reads 48×24 images (the experiment's image block)");
    expect(() => rowImages(model, [good, undefined], 'example')).toThrow('example 1 has no image; this model reads an image with every sequence');
    expect(() => rowImages(model, [{ ...good, data: good.data.slice(1) }], 'example')).toThrow('example 0 has 3455 bytes; a 48×24 RGB image has 3456');
    disposeModel(model);
    const text = createModel({ ...tinyVlModel(1).model.config, image: undefined });
    expect(() => rowImages(text, [good], 'example')).toThrow('example 0 carries an image, but the model has no image encoder');
    disposeModel(text);
  });

  it('a text-only model given the VL task, or a VL model given the text task, fails at the first batch, not silently', () => {
    const { model: lang, optimizer } = tinyModel();
    expect(() => sftStep({ ...vlStepInput(lang, optimizer, 0, 'sft', 1), model: lang }, { batch: 2, expert: 'canonical' })).toThrow(/example 0 carries an image, but the model has no image encoder/);
    const { model: vl, optimizer: o2 } = tinyVlModel(1);
    expect(() => sftStep({ ...stepInput(vl, o2, 0, 'sft', 1) }, { batch: 2, expert: 'canonical' })).toThrow(/example 0 has no image/);
    for (const m of [lang, vl]) disposeModel(m);
    disposeAdamW(optimizer);
    disposeAdamW(o2);
  });
});
