/** Elementwise building blocks of the transformer: layer norm and the MLP nonlinearity. */
import * as tf from '@tensorflow/tfjs';

/** LayerNorm over the last axis (eps 1e-5, as PyTorch). */
export function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const axis = x.shape.length - 1;
  const { mean, variance } = tf.moments(x, axis, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const C = 0.044715;

/**
 * Tanh-approximated GELU with a hand-written derivative: autodiff of the 7-op forward would
 * record ~15 elementwise backward ops over the widest activation in the model. On wasm, tf.tanh
 * and tf.pow take ~28 ms each at 3968×384 against 1.6 ms for tf.sigmoid and 0.5 ms for two
 * muls, so tanh(z) is computed as 2σ(2z) − 1 and x³ as x·x·x.
 */
export const gelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(x, tf.square(x)), C)), 2 * SQRT_2_OVER_PI); // 2z
  const t = tf.sub(tf.mul(tf.sigmoid(inner), 2), 1);
  save([x, t]);
  return {
    value: tf.mul(tf.mul(x, 0.5), tf.add(t, 1)),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ts] = saved as [tf.Tensor, tf.Tensor];
      // d/dx = 0.5(1+t) + 0.5·x·(1−t²)·√(2/π)(1+3c·x²)
      const sech2 = tf.sub(1, tf.square(ts));
      const dInner = tf.mul(tf.add(tf.mul(tf.square(xs), 3 * C), 1), SQRT_2_OVER_PI);
      const d = tf.add(tf.mul(tf.add(ts, 1), 0.5), tf.mul(tf.mul(tf.mul(xs, 0.5), sech2), dInner));
      return [tf.mul(dy as tf.Tensor, d)];
    },
  };
});

export function activation(kind: 'gelu' | 'relu', x: tf.Tensor): tf.Tensor {
  return kind === 'gelu' ? gelu(x) : tf.relu(x);
}
