import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adamwUpdate, clipByGlobalNorm, createAdamW, createModel, disposeModel, forward, loadCheckpoint, lrAt,
  maskedCrossEntropy, packCheckpoint, saveCheckpoint, sftBatch, trainStep, unpackCheckpoint,
  type AdamWState, type PolicyModel,
} from '../../../electron/ml/model';
import { PAD, tinyConfig, toyExamples, useCpu } from './tiny';

beforeAll(useCpu);

describe('AdamW, clipping and schedule (hand-computed)', () => {
  it('one AdamW step with decoupled decay on matrices only', () => {
    const w = tf.variable(tf.tensor2d([[1]]));
    const b = tf.variable(tf.tensor1d([0]));
    const model = { config: tinyConfig(), names: ['w', 'b'], params: { w, b } } as unknown as PolicyModel;
    const opt: AdamWState = {
      config: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 }, step: 0,
      m: { w: tf.variable(tf.zeros([1, 1])), b: tf.variable(tf.zeros([1])) },
      v: { w: tf.variable(tf.zeros([1, 1])), b: tf.variable(tf.zeros([1])) },
      decay: new Set(['w']),
    };
    const grads = { w: tf.tensor2d([[0.5]]), b: tf.tensor1d([-1]) };
    adamwUpdate(model, opt, grads, 0.1);
    // w: 1·(1 − 0.1·0.1) − 0.1·(0.5/√0.25) = 0.89; b: 0 − 0.1·(−1/1) = 0.1
    expect(w.dataSync()[0]).toBeCloseTo(0.89, 6);
    expect(b.dataSync()[0]).toBeCloseTo(0.1, 6);
    expect(opt.m.w?.dataSync()[0]).toBeCloseTo(0.05, 7);
    expect(opt.v.w?.dataSync()[0]).toBeCloseTo(0.00025, 9);
    expect(opt.step).toBe(1);
    tf.dispose([w, b, ...Object.values(opt.m), ...Object.values(opt.v), ...Object.values(grads)]);
  });

  it('global-norm clipping', () => {
    const g = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) };
    const { grads, norm } = clipByGlobalNorm(g, 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(grads.a?.dataSync()[0]).toBeCloseTo(0.6, 6);
    expect(grads.b?.dataSync()[0]).toBeCloseTo(0.8, 6);
    expect(clipByGlobalNorm(g, 10).grads.a).toBe(g.a);
    tf.dispose([...Object.values(g), ...Object.values(grads)]);
  });

  it('warmup + cosine learning rate', () => {
    const s = { kind: 'cosine' as const, peak: 1e-3, warmupSteps: 10, totalSteps: 110, minLr: 1e-4 };
    expect(lrAt(s, 0)).toBeCloseTo(1e-4, 12);
    expect(lrAt(s, 9)).toBeCloseTo(1e-3, 12);
    expect(lrAt(s, 10)).toBeCloseTo(1e-3, 12);
    expect(lrAt(s, 60)).toBeCloseTo(5.5e-4, 12);
    expect(lrAt(s, 110)).toBeCloseTo(1e-4, 12);
    expect(lrAt(s, 500)).toBeCloseTo(1e-4, 12);
    expect(lrAt({ ...s, kind: 'constant', warmupSteps: 0 }, 77)).toBe(1e-3);
  });
});

describe('checkpoint', () => {
  function lossOf(model: PolicyModel) {
    const b = sftBatch(toyExamples(), PAD);
    return () => tf.tidy(() => {
      const out = forward(model, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad });
      return maskedCrossEntropy(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'), tf.tensor2d(b.mask, [b.batch, b.length]));
    });
  }

  it('round-trips weights and optimizer state exactly, and training resumes identically', () => {
    const m = createModel(tinyConfig());
    const opt = createAdamW(m, { beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0.01 });
    for (let i = 0; i < 2; i++) trainStep(m, opt, lossOf(m), { lr: 1e-2, maxGradNorm: 1 });
    const ckpt = saveCheckpoint(m, opt, { rng: [1, 2, 3, 4], step: 2 });
    const packed = packCheckpoint(ckpt);
    // a misaligned copy, as a file read might give
    const bytes = new Uint8Array(packed.data.length + 1).subarray(1);
    bytes.set(packed.data);
    const restored = unpackCheckpoint(packed.json, bytes);
    const { model: m2, optimizer: opt2 } = loadCheckpoint(restored);
    expect(opt2?.step).toBe(2);
    expect(restored.manifest.extra).toEqual({ rng: [1, 2, 3, 4], step: 2 });
    const again = saveCheckpoint(m2, opt2);
    for (const [name, data] of Object.entries(ckpt.tensors)) expect(again.tensors[name]).toEqual(data);

    const next1 = trainStep(m, opt, lossOf(m), { lr: 1e-2, maxGradNorm: 1 });
    const next2 = trainStep(m2, opt2 as AdamWState, lossOf(m2), { lr: 1e-2, maxGradNorm: 1 });
    expect(next2.loss).toBe(next1.loss);
    expect(saveCheckpoint(m2).tensors['param/head.w']).toEqual(saveCheckpoint(m).tensors['param/head.w']);
    disposeModel(m);
    disposeModel(m2);
  });

  it('rejects a checkpoint for a different shape', () => {
    const ckpt = saveCheckpoint(createModel(tinyConfig()));
    const entry = ckpt.manifest.tensors.find((e) => e.name === 'param/tok_emb');
    if (entry) entry.shape = [99, 16];
    expect(() => loadCheckpoint(ckpt)).toThrow(/shape/);
  });
});
