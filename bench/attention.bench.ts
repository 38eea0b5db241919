/**
 * Attention's batched products on wasm, forward and backward at the recipe's shapes (B=128, 4
 * heads, T=31, dh=24; bench/model.bench.ts): tfjs's stock BatchMatMul (a scalar loop for every
 * batched or transposed case), the wasm-SIMD kernel of electron/ml/kernels/matmul.ts, and the
 * restructuring that stays on XNNPACK, one batch-1 untransposed product per (sequence, head) with
 * explicit transposes (dense.ts's matMul2d). All three run in the same process, alternated.
 *
 * Env: BENCH_STEPS (timed repetitions, default 3).
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmMatMul, setWasmMatMulEnabled } from '../electron/ml/kernels/matmul';
import { matMul2d } from '../electron/ml/model/dense';
import type { BenchResult, BenchSuite } from './harness';

const STEPS = Number(process.env.BENCH_STEPS ?? 3);
const [B, H, T, DH] = [128, 4, 31, 24];

type Core = (q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, bias: tf.Tensor3D) => tf.Tensor;

const batched: Core = (q, k, v, bias) => tf.matMul(tf.softmax(tf.add(tf.matMul(q, k, false, true), bias)), v);

/** One batch-1, untransposed product per (sequence, head): XNNPACK's only fast case. */
const sliced: Core = (q, k, v, bias) => {
  const qs = tf.unstack(q) as tf.Tensor2D[];
  const kts = tf.unstack(tf.transpose(k, [0, 2, 1])) as tf.Tensor2D[];
  const vs = tf.unstack(v) as tf.Tensor2D[];
  const bs = tf.unstack(bias) as tf.Tensor2D[];
  return tf.stack(qs.map((qi, i) => matMul2d(tf.softmax(tf.add(matMul2d(qi, kts[i]!), bs[i]!)) as tf.Tensor2D, vs[i]!)));
};

function stepMs(core: Core, inputs: tf.Tensor3D[]): number {
  const t0 = performance.now();
  const w = tf.tidy(() => {
    const g = tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.sum(tf.square(core(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, inputs[3]!))));
    const out = g(inputs.slice(0, 3));
    return tf.addN(out.map((o) => tf.sum(o)));
  });
  w.dataSync();
  w.dispose();
  return performance.now() - t0;
}

const suite: BenchSuite = async () => {
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} CPUs`);
  installWasmMatMul();
  await tf.setBackend('wasm');
  const inputs = [
    tf.randomNormal([B * H, T, DH], 0, 1, 'float32', 1),
    tf.randomNormal([B * H, T, DH], 0, 1, 'float32', 2),
    tf.randomNormal([B * H, T, DH], 0, 1, 'float32', 3),
    tf.mul(tf.randomUniform([B * H, T, T], 0, 1, 'float32', 4), -1),
  ] as tf.Tensor3D[];
  const cases = {
    kernel: () => { setWasmMatMulEnabled(true); return stepMs(batched, inputs); },
    stock: () => { setWasmMatMulEnabled(false); return stepMs(batched, inputs); },
    sliced: () => { setWasmMatMulEnabled(false); return stepMs(sliced, inputs); },
  };
  const times: Record<keyof typeof cases, number[]> = { kernel: [], stock: [], sliced: [] };
  for (let i = 0; i <= STEPS; i++) {
    for (const k of Object.keys(cases) as (keyof typeof cases)[]) {
      const ms = cases[k]();
      if (i > 0) times[k].push(ms);
    }
  }
  setWasmMatMulEnabled(true);
  tf.dispose(inputs);
  const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const results: BenchResult[] = [
    { name: `attention fwd+bwd [${B * H},${T},${DH}]: SIMD kernel`, value: med(times.kernel), unit: 'ms', baseline: { name: 'stock tfjs kernel', value: med(times.stock) } },
    { name: 'attention fwd+bwd: XNNPACK-only (per-head slices)', value: med(times.sliced), unit: 'ms', baseline: { name: 'stock tfjs kernel', value: med(times.stock) } },
  ];
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} after`);
  return results;
};

export default suite;
