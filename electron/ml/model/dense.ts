/**
 * 2-D matmuls whose gradients avoid tfjs's transposed-matmul kernels.
 *
 * On the wasm backend a BatchMatMul with `transposeA` or `transposeB` falls off XNNPACK onto a
 * naive loop: measured here 2.9 GFLOP/s against 33 GFLOP/s for the plain product of the same
 * size (STACK.md §1.3 saw the same). Autodiff of `matMul(x, W)` uses both flags in the backward
 * pass, so we supply the gradients ourselves with explicit `tf.transpose` ops (a cheap copy)
 * followed by plain products, and for the weight gradient we transpose whichever of x or dy is
 * smaller: dW = xᵀ·dy, or dW = (dyᵀ·x)ᵀ where the final transpose is only weight-sized.
 */
import * as tf from '@tensorflow/tfjs';

/** `custom`: the transposes-explicit gradients above; `plain`: tf.matMul's own (the bench baseline). */
export type DenseMode = 'custom' | 'plain';

let mode: DenseMode = 'custom';

/** Chooses how dense matmuls are differentiated (process-wide; the benchmark compares both). */
export function setDenseMode(m: DenseMode): void {
  mode = m;
}

export function getDenseMode(): DenseMode {
  return mode;
}

/** Weight gradient xᵀ·dy for x [N,in], dy [N,out], transposing the smaller operand. */
function weightGrad(x: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  const [, nIn] = x.shape;
  const [, nOut] = dy.shape;
  if (nIn <= nOut) return tf.matMul(tf.transpose(x), dy);
  return tf.transpose(tf.matMul(tf.transpose(dy), x)) as tf.Tensor2D;
}

const customMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w) as tf.Tensor,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(ws)), weightGrad(xs, g)];
    },
  };
});

/**
 * x·W + b with the bias gradient as ones[1,N]·dy: tf.sum over axis 0 transposes first on wasm
 * (6.4 ms against 0.24 ms for the matmul at 3968×384).
 */
const customAffine = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b) as tf.Tensor,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      const ones = tf.ones([1, g.shape[0]]) as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(ws)), weightGrad(xs, g), tf.reshape(tf.matMul(ones, g), [g.shape[1]])];
    },
  };
});

/** x [N,in] · W [in,out]. */
export function matMul2d(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  if (mode === 'plain') return tf.matMul(x, w);
  return customMatMul(x, w) as tf.Tensor2D;
}

/** x [..., in] · W [in,out] + b, on the flattened leading axes. */
export function dense(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  const nIn = x.shape[x.shape.length - 1] as number;
  const x2 = tf.reshape(x, [-1, nIn]) as tf.Tensor2D;
  let y: tf.Tensor;
  if (!b) y = matMul2d(x2, w as tf.Tensor2D);
  else if (mode === 'plain') y = tf.add(tf.matMul(x2, w as tf.Tensor2D), b);
  else y = customAffine(x2, w, b);
  return tf.reshape(y, [...lead, w.shape[1] as number]);
}

/**
 * Rows of table E [V,d] selected by integer ids, as oneHot(ids)·E. Measured on wasm: 5 ms against
 * 13 ms for tf.gather at 4096×96, and its gradient is one plain matmul instead of a scatter-add.
 * The one-hot matrix needs no gradient, so it is captured rather than passed as an input.
 */
export function embed(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const V = table.shape[0];
  const flat = tf.reshape(ids, [-1]);
  // tfjs-backend-wasm 4.22 fills a float32 oneHot with int32 bit patterns (1 reads as 1.4e-45),
  // so build it as int32 and cast: correct on every backend.
  const oh = tf.cast(tf.oneHot(tf.cast(flat, 'int32'), V), 'float32') as tf.Tensor2D;
  let rows: tf.Tensor2D;
  if (mode === 'plain') {
    rows = tf.matMul(oh, table);
  } else {
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [e, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
      save([oh]);
      return {
        value: tf.matMul(oh, e) as tf.Tensor,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
          weightGrad(saved[0] as tf.Tensor2D, dy as tf.Tensor2D),
        ],
      };
    });
    rows = f(table) as tf.Tensor2D;
  }
  return tf.reshape(rows, [...ids.shape, table.shape[1]]);
}
