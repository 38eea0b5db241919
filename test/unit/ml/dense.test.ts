import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { dense, embed, setDenseMode } from '../../../electron/ml/model/dense';
import { gelu } from '../../../electron/ml/model/layers';
import { tokenLogProbs } from '../../../electron/ml/model/losses';
import { paramCount, generationFlops, trainingFlops } from '../../../electron/ml/flops';
import { recipeModelConfig } from '../../../electron/ml/model/config';

afterAll(() => setDenseMode('custom'));

function grads(mode: 'custom' | 'plain', nIn: number, nOut: number): number[][] {
  setDenseMode(mode);
  const x = tf.tensor2d(Array.from({ length: 5 * nIn }, (_, i) => Math.sin(i)), [5, nIn]);
  const w = tf.tensor2d(Array.from({ length: nIn * nOut }, (_, i) => Math.cos(i * 0.7)), [nIn, nOut]);
  const b = tf.tensor1d(Array.from({ length: nOut }, (_, i) => i / 3));
  const ids = tf.tensor1d([0, 2, 1, 2, 0], 'int32');
  const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
    tf.sum(tf.square(tf.add(tf.add(dense(xx, ww), dense(xx, ww, bb)), embed(ww as tf.Tensor2D, ids).sum(1, true)))),
  );
  const out = g([x, w, b]).map((t) => Array.from(t.dataSync()));
  tf.dispose([x, w, b, ids]);
  return out;
}

describe.each(['cpu', 'wasm'])('dense matmul gradients on %s', (backend) => {
  it('custom gradients equal tf.matMul autodiff (both weight-gradient orders) and gelu matches its formula', async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    for (const [nIn, nOut] of [[3, 4], [4, 3]] as const) {
      const custom = grads('custom', nIn, nOut);
      const plain = grads('plain', nIn, nOut);
      custom.forEach((g, k) => g.forEach((v, i) => expect(v).toBeCloseTo(plain[k]?.[i] as number, 2)));
    }
    const x = tf.linspace(-4, 4, 17);
    const ref = (t: tf.Tensor) => tf.mul(tf.mul(t, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(t, tf.mul(0.044715, tf.pow(t, 3)))))));
    const [gCustom] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(gelu(t), t)))([x]);
    const [gRef] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(ref(t), t)))([x]);
    const a = gCustom?.dataSync() as Float32Array;
    (gRef?.dataSync() as Float32Array).forEach((v, i) => expect(a[i]).toBeCloseTo(v, 4));
    tf.dispose([x, gCustom as tf.Tensor, gRef as tf.Tensor]);

    // token log-probs (softmax-based, custom gradient) against tf.logSoftmax autodiff
    const logits = tf.tensor3d([[[1, -2, 0.5, 3], [0, 0, 0, 0], [40, -40, 2, 1]]]);
    const targets = tf.tensor2d([[3, 1, 1]], [1, 3], 'int32');
    const wts = tf.tensor2d([[0.5, -1, 2]]);
    const mine = tf.valueAndGrad((l: tf.Tensor) => tf.sum(tf.mul(tokenLogProbs(l as tf.Tensor3D, targets), wts)))(logits);
    const ref2 = tf.valueAndGrad((l: tf.Tensor) => tf.sum(tf.mul(tf.sum(tf.mul(tf.logSoftmax(l), tf.oneHot(targets, 4)), -1), wts)))(logits);
    expect(mine.value.dataSync()[0]).toBeCloseTo(ref2.value.dataSync()[0] as number, 4);
    const gm = mine.grad.dataSync();
    ref2.grad.dataSync().forEach((v, i) => expect(gm[i]).toBeCloseTo(v, 5));
    tf.dispose([logits, targets, wts, mine.value, mine.grad, ref2.value, ref2.grad]);
  });
});

describe('flops', () => {
  it('counts 6·N·D for training and 2·N·D for generation', () => {
    const n = paramCount(recipeModelConfig(100, 32));
    expect(n).toBeGreaterThan(330_000); // RECIPE.md: about 352k at vocabulary 69, context 32
    expect(n).toBeLessThan(400_000);
    expect(trainingFlops(n, 10)).toBe(60 * n);
    expect(generationFlops(n, 10)).toBe(20 * n);
  });
});
