/**
 * The threaded wasm build in Node (electron/ml/kernels/wasm-threads.ts): it starts with the
 * requested threads and trains to the same losses as the single-thread build.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { registerThreadedWasm, restoreStockWasm, wasmThreadsInUse } from '../../../electron/ml/kernels/wasm-threads';
import { createAdamW, createModel, disposeAdamW, disposeModel, forward, maskedCrossEntropy, sftBatch, trainStep } from '../../../electron/ml/model';
import { PAD, tinyConfig, toyExamples } from './tiny';

/** Five SFT steps from the same seeded init; a model large enough that XNNPACK splits its work. */
function losses(): number[] {
  const model = createModel(tinyConfig({ dModel: 64, nHeads: 4, nLayers: 2, ffnMult: 4 }));
  const opt = createAdamW(model, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01 });
  const examples = Array.from({ length: 8 }, () => toyExamples()).flat();
  const b = sftBatch(examples, PAD);
  const loss = () => tf.tidy(() => {
    const out = forward(model, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad });
    return maskedCrossEntropy(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'), tf.tensor2d(b.mask, [b.batch, b.length]));
  });
  const out: number[] = [];
  for (let s = 0; s < 5; s++) out.push(trainStep(model, opt, loss, { lr: 3e-3, maxGradNorm: 1 }).loss);
  disposeAdamW(opt);
  disposeModel(model);
  return out;
}

describe('threaded wasm backend in Node', () => {
  it('rejects thread counts it cannot honour', () => {
    expect(() => registerThreadedWasm(1)).toThrow(/2\.\.8 threads, got 1/);
    expect(() => registerThreadedWasm(9)).toThrow(/2\.\.8 threads, got 9/);
    expect(() => registerThreadedWasm(2.5)).toThrow(/got 2.5/);
  });

  it('runs 2 threads and trains to the same losses as 1 thread', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(wasmThreadsInUse()).toBe(1);
    const single = losses();

    registerThreadedWasm(2);
    expect(await tf.setBackend('wasm')).toBe(true);
    const heap = (tf.backend() as unknown as { wasm: { HEAPF32: Float32Array } }).wasm.HEAPF32;
    expect(heap.buffer).toBeInstanceOf(SharedArrayBuffer); // really the threaded build
    expect(wasmThreadsInUse()).toBe(2);
    const threaded = losses();

    expect(single[4]).toBeLessThan(single[0] as number);
    threaded.forEach((l, i) => expect(l).toBeCloseTo(single[i] as number, 5));

    restoreStockWasm();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(wasmThreadsInUse()).toBe(1);
  });
});
