/**
 * The relaxed-SIMD (fused multiply-add) build of the wasm matmul kernel: chosen where the runtime
 * validates relaxed SIMD (Electron; Node 20 behind a V8 flag, set here for this process only) and
 * equal to the cpu backend within float tolerance.
 */
import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { installWasmMatMul, wasmMatMulVariant } from '../../../electron/ml/kernels/matmul';
import { createRng } from '../../../shared/util/rng';

describe('relaxed-SIMD matmul kernel', () => {
  it('is used where the runtime has relaxed SIMD and matches the cpu backend', async () => {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    installWasmMatMul();
    expect(await tf.setBackend('wasm')).toBe(true);
    const rng = createRng(11);
    const a = Float32Array.from({ length: 6 * 29 * 19 }, () => rng.next() * 2 - 1);
    const b = Float32Array.from({ length: 6 * 23 * 19 }, () => rng.next() * 2 - 1);
    const product = () => {
      const y = tf.matMul(tf.tensor3d(a, [6, 29, 19]), tf.tensor3d(b, [6, 23, 19]), false, true);
      const out = y.dataSync() as Float32Array;
      y.dispose();
      return out;
    };
    const got = product();
    expect(wasmMatMulVariant()).toBe('plain+relaxed');
    await tf.setBackend('cpu');
    const want = product();
    want.forEach((w, i) => expect(Math.abs((got[i] as number) - w)).toBeLessThan(1e-5 * (1 + Math.abs(w))));
  });
});
