/**
 * PPO / GRPO loss terms on token tensors [B,T] with a mask selecting the generated (action)
 * tokens. Formulas follow CleanRL's ppo.py so logged diagnostics mean the familiar things.
 */
import * as tf from '@tensorflow/tfjs';
import { maskedMean } from './losses';

export interface PolicyLossInput {
  /** log π_θ(a_t|s_t) under the current parameters (differentiable). */
  newLogProbs: tf.Tensor;
  /** log π_old(a_t|s_t) recorded at rollout time. */
  oldLogProbs: tf.Tensor;
  advantages: tf.Tensor;
  mask: tf.Tensor;
  /** PPO clip range ε (0.2 in CleanRL). */
  clip: number;
}

// A type alias (not an interface) so the result can be returned from tf.tidy.
export type PolicyLossOutput = {
  /** mean(max(−A·ρ, −A·clip(ρ, 1−ε, 1+ε))). */
  loss: tf.Scalar;
  /** mean((ρ−1) − log ρ): the low-variance KL(old‖new) estimate. */
  approxKl: tf.Scalar;
  /** Share of tokens with |ρ−1| > ε. */
  clipfrac: tf.Scalar;
};

export function ppoPolicyLoss(x: PolicyLossInput): PolicyLossOutput {
  const logRatio = tf.sub(x.newLogProbs, x.oldLogProbs);
  const ratio = tf.exp(logRatio);
  const pg1 = tf.mul(tf.neg(x.advantages), ratio);
  const pg2 = tf.mul(tf.neg(x.advantages), tf.clipByValue(ratio, 1 - x.clip, 1 + x.clip));
  return {
    loss: maskedMean(tf.maximum(pg1, pg2), x.mask),
    approxKl: maskedMean(tf.sub(tf.sub(ratio, 1), logRatio), x.mask),
    clipfrac: maskedMean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), x.clip), 'float32'), x.mask),
  };
}

export interface ValueLossInput {
  newValues: tf.Tensor;
  /** Values recorded at rollout time (for value clipping). */
  oldValues: tf.Tensor;
  returns: tf.Tensor;
  mask: tf.Tensor;
  /** Clip the value change to ±clip like PPO2; omit for the plain squared error. */
  clip?: number;
}

/** 0.5·mean((V−R)²), or with clipping 0.5·mean(max((V−R)², (V_old + clip(V−V_old, ±c) − R)²)). */
export function valueLoss(x: ValueLossInput): tf.Scalar {
  const err = tf.square(tf.sub(x.newValues, x.returns));
  if (x.clip === undefined) return tf.mul(maskedMean(err, x.mask), 0.5);
  const clipped = tf.add(x.oldValues, tf.clipByValue(tf.sub(x.newValues, x.oldValues), -x.clip, x.clip));
  return tf.mul(maskedMean(tf.maximum(err, tf.square(tf.sub(clipped, x.returns))), x.mask), 0.5);
}

/**
 * k3 estimator of KL(π‖π_ref) from samples of π (Schulman's "approximating KL"):
 * with r = log π_ref − log π, k3 = e^r − r − 1 ≥ 0 per token; masked mean.
 */
export function k3Kl(logProbs: tf.Tensor, refLogProbs: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  const r = tf.sub(refLogProbs, logProbs);
  return maskedMean(tf.sub(tf.sub(tf.exp(r), r), 1), mask);
}

/** Policy-gradient loss of the recipe's GRPO/REINFORCE: −mean(A·log π) over the masked tokens. */
export function policyGradientLoss(logProbs: tf.Tensor, advantages: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.neg(maskedMean(tf.mul(advantages, logProbs), mask));
}
