/**
 * The wasm batched/transposed matmul kernel (electron/ml/kernels/matmul.ts) against the cpu
 * backend: products and gradients on random shapes, attention and its gradients, a training
 * step's losses against the stock kernel, and no leaked tensors or heap.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installWasmMatMul, setWasmMatMulEnabled, usesFastPath, wasmMatMulVariant } from '../../../electron/ml/kernels/matmul';
import { matmul_plain_relaxed } from '../../../electron/ml/kernels/wasm-modules';
import { attentionBias, selfAttention } from '../../../electron/ml/model/attention';
import { createAdamW, createModel, disposeAdamW, disposeModel, forward, maskedCrossEntropy, sftBatch, trainStep, type PolicyModel } from '../../../electron/ml/model';
import { createRng, type Rng } from '../../../shared/util/rng';
import { PAD, tinyConfig, toyExamples } from './tiny';

beforeAll(async () => {
  expect(installWasmMatMul()).toBe(true);
  expect(await tf.setBackend('wasm')).toBe(true);
});
afterAll(() => setWasmMatMulEnabled(true));

/** Runs f on `backend` with the given inputs (copied there) and returns plain arrays. */
async function on<T extends number[][]>(backend: 'cpu' | 'wasm', inputs: { shape: number[]; values: Float32Array }[], f: (...xs: tf.Tensor[]) => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
  const outs = f(...xs);
  const data = outs.map((o) => o.dataSync() as Float32Array);
  tf.dispose([...xs, ...outs]);
  return data as unknown as Float32Array[] & T;
}

function random(shape: number[], rng: Rng) {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Float32Array.from({ length: n }, () => rng.next() * 2 - 1) };
}

function expectClose(actual: Float32Array, expected: Float32Array, tol: number, what: string) {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs((actual[i] as number) - (expected[i] as number)) / (1 + Math.abs(expected[i] as number));
    worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
  }
  expect(worst, what).toBeLessThan(tol);
}

describe('wasm batched/transposed matmul kernel', () => {
  it('routes only the cases the stock kernel does slowly', () => {
    expect(usesFastPath([3, 4], [4, 5], false, false)).toBe(false); // XNNPACK's fast case stays
    expect(usesFastPath([1, 3, 4], [4, 5], false, false)).toBe(false);
    expect(usesFastPath([3, 4], [5, 4], false, true)).toBe(true);
    expect(usesFastPath([2, 3, 4], [2, 4, 5], false, false)).toBe(true);
    expect(usesFastPath([2, 3, 4], [4, 5], false, false)).toBe(true); // broadcast B
    expect(usesFastPath([2, 1, 3, 4], [1, 3, 4, 5], false, false)).toBe(false); // 2×3 broadcast: stock
    expect(usesFastPath([0, 3, 4], [0, 4, 5], false, false)).toBe(false);
  });

  it('equals the cpu backend on random shapes, flags and broadcasts, values and gradients', async () => {
    const rng = createRng(7);
    const cases: { a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [];
    for (let i = 0; i < 24; i++) {
      const batch = [1, 2, 5, 8][rng.int(4)] as number;
      const [M, K, N] = [1 + rng.int(37), 1 + rng.int(33), 1 + rng.int(41)] as [number, number, number];
      const tA = rng.int(2) === 1;
      const tB = rng.int(2) === 1;
      const bcast = rng.int(3); // 0 both batched, 1 A single, 2 B single
      const aCore = tA ? [K, M] : [M, K];
      const bCore = tB ? [N, K] : [K, N];
      cases.push({ a: bcast === 1 ? aCore : [batch, ...aCore], b: bcast === 2 ? bCore : [batch, ...bCore], tA, tB });
    }
    cases.push({ a: [2, 3, 31, 24], b: [2, 3, 31, 24], tA: false, tB: true }); // attention scores, rank 4
    cases.push({ a: [64, 31, 31], b: [64, 31, 24], tA: true, tB: false });
    cases.push({ a: [16, 1, 24], b: [16, 28, 24], tA: false, tB: true }); // cached decoding: row dot products
    cases.push({ a: [6, 3, 7], b: [6, 9, 7], tA: false, tB: true }); // dot products with a K tail
    cases.push({ a: [3, 2], b: [4, 5, 3], tA: true, tB: true }); // transposed, broadcast A, few rows
    cases.push({ a: [16, 1, 28], b: [16, 28, 24], tA: false, tB: false }); // B read in place (N % 4 = 0)
    for (const c of cases) {
      const inputs = [random(c.a, rng), random(c.b, rng), random([1], rng)];
      // tfjs's BatchMatMul gradient does not reduce broadcast batch axes (on any backend), so
      // gradients are compared where both operands have the same batch.
      const withGrads = c.a.length === c.b.length;
      const f = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.matMul(a, b, c.tA, c.tB);
        if (!withGrads) return [y];
        // A non-uniform upstream gradient, so the backward products are checked element by element.
        const w = tf.sin(tf.reshape(tf.range(0, y.size), y.shape));
        const [ga, gb] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, z, c.tA, c.tB), w)))([a, b]);
        return [y, ga as tf.Tensor, gb as tf.Tensor];
      };
      const want = await on('cpu', inputs, f);
      const got = await on('wasm', inputs, f);
      // Relaxed SIMD exactly where the runtime validates it (not Node 20 without its flag).
      expect(wasmMatMulVariant()).toBe(WebAssembly.validate(Buffer.from(matmul_plain_relaxed, 'base64')) ? 'plain+relaxed' : 'plain');
      const what = `${JSON.stringify(c)}`;
      got.forEach((g, k) => expectClose(g, want[k] as Float32Array, 1e-5, `${what} output ${k}`));
    }
  });

  it('gives attention outputs and gradients equal to the cpu backend', async () => {
    const cfg = tinyConfig({ dModel: 24, nHeads: 3, nLayers: 1 });
    const rng = createRng(3);
    const x = random([4, 7, 24], rng);
    const run = () => {
      const model = createModel(cfg);
      const names = Object.keys(model.params).filter((n) => n.startsWith('h0.attn'));
      const layout = { batch: 4, visual: 0, leftPad: [0, 2, 1, 0] };
      const out = (xx: tf.Tensor, ...ps: tf.Tensor[]) => {
        void ps;
        const bias = attentionBias(layout, 0, 7);
        const y = selfAttention(model, 0, xx as tf.Tensor3D, bias).out;
        return tf.sum(tf.mul(y, tf.cos(tf.reshape(tf.range(0, y.size), y.shape))));
      };
      const xt = tf.tensor(x.values, x.shape);
      const y = tf.tidy(() => selfAttention(model, 0, xt as tf.Tensor3D, attentionBias(layout, 0, 7)).out);
      const { grads } = tf.variableGrads(() => out(xt) as tf.Scalar, names.map((n) => model.params[n] as tf.Variable));
      const gx = tf.grad((xx: tf.Tensor) => out(xx))(xt);
      const res = [y.dataSync() as Float32Array, gx.dataSync() as Float32Array, ...names.map((n) => grads[(model.params[n] as tf.Variable).name]!.dataSync() as Float32Array)];
      expect(res.length).toBe(2 + 8); // q, k, v, o weights and biases
      tf.dispose([xt, y, gx, ...Object.values(grads)]);
      disposeModel(model);
      return res;
    };
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    const got = run();
    got.forEach((g, k) => expectClose(g, want[k] as Float32Array, 1e-4, `attention output/gradient ${k}`));
  });

  it('trains to the same losses as the stock kernel, without leaking tensors or heap', async () => {
    await tf.setBackend('wasm');
    const cfg = tinyConfig({ dModel: 32, nHeads: 4, nLayers: 2 });
    const losses = (fast: boolean) => {
      setWasmMatMulEnabled(fast);
      const model = createModel(cfg);
      const opt = createAdamW(model, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01 });
      const b = sftBatch(toyExamples(), PAD);
      const loss = (m: PolicyModel) => () => tf.tidy(() => {
        const out = forward(m, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad });
        return maskedCrossEntropy(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'), tf.tensor2d(b.mask, [b.batch, b.length]));
      });
      const out: number[] = [];
      const before = tf.memory().numTensors;
      const heapBefore = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      for (let s = 0; s < 5; s++) out.push(trainStep(model, opt, loss(model), { lr: 3e-3, maxGradNorm: 1 }).loss);
      expect(tf.memory().numTensors).toBe(before);
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(heapBefore);
      disposeAdamW(opt);
      disposeModel(model);
      return out;
    };
    const stock = losses(false);
    const fast = losses(true);
    expect(stock[4]).toBeLessThan(stock[0] as number); // it trains
    fast.forEach((l, i) => expect(l).toBeCloseTo(stock[i] as number, 5));
  });
});
