import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { paramCount } from '../../../electron/ml/flops';
import {
  createAdamW, createModel, disposeAdamW, disposeModel, encodeImages, forward, imagesToTensor, initialValues,
  maskedCrossEntropy, sftBatch, trainStep, type PolicyModel,
} from '../../../electron/ml/model';
import { countModelParams } from '../../../electron/ml/model/params';
import { PAD, tinyConfig, toyExamples, useCpu } from './tiny';

beforeAll(useCpu);

function sftLoss(model: PolicyModel) {
  const b = sftBatch(toyExamples(), PAD);
  return () =>
    tf.tidy(() => {
      const out = forward(model, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad });
      return maskedCrossEntropy(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'), tf.tensor2d(b.mask, [b.batch, b.length]));
    });
}

describe('policy model', () => {
  it('returns logits [B,T,V] and values [B,T], with and without image tokens', () => {
    const m = createModel(tinyConfig());
    const out = forward(m, { tokens: tf.zeros([3, 5], 'int32') as tf.Tensor2D });
    expect(out.logits.shape).toEqual([3, 5, 12]);
    expect(out.values.shape).toEqual([3, 5]);
    tf.dispose([out.logits, out.values]);
    disposeModel(m);

    const cfg = tinyConfig({ image: { height: 8, width: 12, channels: [4, 6], gridH: 1, gridW: 3 } });
    const mv = createModel(cfg);
    const img = new Uint8Array(8 * 12 * 3).map((_, i) => (i * 37) % 256);
    const images = imagesToTensor(cfg, [img, img]);
    const outV = forward(mv, { tokens: tf.ones([2, 4], 'int32') as tf.Tensor2D, images });
    expect(outV.logits.shape).toEqual([2, 4, 12]);
    expect(outV.values.shape).toEqual([2, 4]);
    expect(Number.isFinite(outV.logits.sum().dataSync()[0])).toBe(true);
    tf.dispose([outV.logits, outV.values, images]);
    expect(() => forward(mv, { tokens: tf.ones([2, 4], 'int32') as tf.Tensor2D })).toThrow(/pass images/);
    disposeModel(mv);
  });

  it('counts parameters as flops.ts does', () => {
    const cfg = tinyConfig({ image: { height: 4, width: 4, channels: [3], gridH: 2, gridW: 2 } });
    const m = createModel(cfg);
    expect(countModelParams(m)).toBe(paramCount(cfg));
    disposeModel(m);
  });

  it('pools a token\'s cells by averaging them, or keeps where each sits (concat)', () => {
    // 16×16 px, 2 convs → a 4×4 map of 4×4 px cells, pooled to 2×2 tokens of 2×2 cells each.
    const base = { height: 16, width: 16, channels: [4, 6], gridH: 2, gridW: 2 };
    const img = new Uint8Array(16 * 16 * 3).map((_, i) => (i * 37 + 11) % 256);
    // The same image with the top-left token's first two cells (pixels 0–3 and 4–7 of rows 0–3) swapped:
    // every cell's features are the same, only their place in the token differs.
    const swapped = img.slice();
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 3; c++) {
      const a = (y * 16 + x) * 3 + c;
      const b = (y * 16 + x + 4) * 3 + c;
      swapped[a] = img[b] as number;
      swapped[b] = img[a] as number;
    }
    const tokens = (pool: 'mean' | 'concat') => {
      const cfg = tinyConfig({ image: { ...base, pool } });
      const m = createModel(cfg);
      expect(m.params['img.proj.w']?.shape).toEqual([pool === 'concat' ? 6 * 4 : 6, cfg.dModel]);
      expect(countModelParams(m)).toBe(paramCount(cfg));
      const out = tf.tidy(() => encodeImages(m, imagesToTensor(cfg, [img, swapped])).arraySync() as number[][][]);
      disposeModel(m);
      return out;
    };
    const mean = tokens('mean');
    mean[0]!.forEach((tok, k) => tok.forEach((v, j) => expect(mean[1]![k]![j]).toBeCloseTo(v, 5)));
    const concat = tokens('concat');
    const moved = (k: number) => Math.max(...concat[0]![k]!.map((v, j) => Math.abs(v - (concat[1]![k]![j] as number))));
    expect(moved(0)).toBeGreaterThan(1e-3);
    for (const k of [1, 2, 3]) expect(moved(k)).toBeLessThan(1e-5);
  });

  it('left padding does not change a row’s outputs', () => {
    const m = createModel(tinyConfig());
    const a = forward(m, { tokens: tf.tensor2d([[2, 3, 4]], [1, 3], 'int32') });
    const b = forward(m, { tokens: tf.tensor2d([[PAD, PAD, 2, 3, 4]], [1, 5], 'int32'), leftPad: [2] });
    const la = a.logits.arraySync()[0] as number[][];
    const lb = (b.logits.arraySync()[0] as number[][]).slice(2);
    la.forEach((row, t) => row.forEach((v, j) => expect(lb[t]?.[j]).toBeCloseTo(v, 5)));
    tf.dispose([a.logits, a.values, b.logits, b.values]);
    disposeModel(m);
  });

  it('gives the same weights and first losses for the same seed', () => {
    const v1 = initialValues(tinyConfig());
    const v2 = initialValues(tinyConfig());
    const v3 = initialValues(tinyConfig({ initSeed: 2 }));
    expect([...v1.keys()]).toEqual([...v2.keys()]);
    for (const [k, v] of v1) expect(v2.get(k)).toEqual(v);
    expect(v3.get('tok_emb')).not.toEqual(v1.get('tok_emb'));

    const losses = [0, 1].map(() => {
      const m = createModel(tinyConfig());
      const opt = createAdamW(m, { beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0.01 });
      const loss = sftLoss(m);
      const ls = [0, 1, 2].map(() => trainStep(m, opt, loss, { lr: 1e-2, maxGradNorm: 1 }).loss);
      disposeAdamW(opt);
      disposeModel(m);
      return ls;
    });
    expect(losses[0]).toEqual(losses[1]);
  });

  it('decreases the loss on a tiny fixed batch without leaking tensors', () => {
    const m = createModel(tinyConfig());
    const opt = createAdamW(m, { beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0.01 });
    const loss = sftLoss(m);
    const first = trainStep(m, opt, loss, { lr: 1e-2, maxGradNorm: 1 });
    const tensorsAfterFirst = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 40; i++) last = trainStep(m, opt, loss, { lr: 1e-2, maxGradNorm: 1 });
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    expect(first.loss).toBeGreaterThan(2); // about ln(12) at init
    expect(last.loss).toBeLessThan(first.loss * 0.3);
    expect(first.gradNorm).toBeGreaterThan(0);
    expect(opt.step).toBe(41);
    disposeAdamW(opt);
    disposeModel(m);
  });

  it('trains the image encoder too', () => {
    const cfg = tinyConfig({ image: { height: 4, width: 4, channels: [4], gridH: 1, gridW: 1 } });
    const m = createModel(cfg);
    const opt = createAdamW(m, { beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0 });
    const before = (m.params['img.conv0.w'] as tf.Variable).dataSync().slice();
    const img = new Uint8Array(4 * 4 * 3).map((_, i) => (i * 53) % 256);
    trainStep(m, opt, () => tf.tidy(() => {
      const out = forward(m, { tokens: tf.tensor2d([[2, 3, 4]], [1, 3], 'int32'), images: imagesToTensor(cfg, [img]) });
      return maskedCrossEntropy(out.logits, tf.tensor2d([[3, 4, 5]], [1, 3], 'int32'), tf.ones([1, 3]));
    }), { lr: 1e-2 });
    expect((m.params['img.conv0.w'] as tf.Variable).dataSync()).not.toEqual(before);
    disposeAdamW(opt);
    disposeModel(m);
  });
});
