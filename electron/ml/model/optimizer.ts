/**
 * AdamW (decoupled weight decay, as torch.optim.AdamW) with its state in tf.Variables so the
 * moments can be checkpointed and restored exactly, plus global-norm gradient clipping.
 */
import * as tf from '@tensorflow/tfjs';
import { paramSpecs, type PolicyModel } from './params';

export interface AdamWConfig {
  /** First-moment decay β1. */
  beta1: number;
  /** Second-moment decay β2 (the recipe uses 0.98). */
  beta2: number;
  /** Denominator epsilon. */
  eps: number;
  /** Decoupled weight decay λ (applied as p ← p·(1 − lr·λ) to matrices only). */
  weightDecay: number;
}

export const RECIPE_ADAMW: AdamWConfig = { beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0.01 };

export interface AdamWState {
  config: AdamWConfig;
  /** Updates applied so far (the bias corrections use step + 1 for the next update). */
  step: number;
  m: Record<string, tf.Variable>;
  v: Record<string, tf.Variable>;
  /** Names whose parameters receive weight decay. */
  decay: Set<string>;
}

export function createAdamW(model: PolicyModel, config: AdamWConfig): AdamWState {
  const m: Record<string, tf.Variable> = {};
  const v: Record<string, tf.Variable> = {};
  for (const name of model.names) {
    const p = model.params[name] as tf.Variable;
    m[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false));
    v[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false));
  }
  const decay = new Set(paramSpecs(model.config).filter((s) => s.decay).map((s) => s.name));
  return { config: { ...config }, step: 0, m, v, decay };
}

/**
 * Applies one update with learning rate `lr`. Parameters without a gradient (not on the loss's
 * path, e.g. the image encoder in a text-only batch) are left alone, as torch does.
 */
export function adamwUpdate(model: PolicyModel, opt: AdamWState, grads: Record<string, tf.Tensor>, lr: number): void {
  const { beta1, beta2, eps, weightDecay } = opt.config;
  const t = opt.step + 1;
  const bc1 = 1 - beta1 ** t;
  const bc2 = 1 - beta2 ** t;
  tf.tidy(() => {
    for (const name of model.names) {
      const g = grads[name];
      if (!g) continue;
      const p = model.params[name] as tf.Variable;
      const m = opt.m[name] as tf.Variable;
      const v = opt.v[name] as tf.Variable;
      m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
      v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), eps);
      const decayed = opt.decay.has(name) && weightDecay > 0 ? tf.mul(p, 1 - lr * weightDecay) : p;
      p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), lr / bc1)));
    }
  });
  opt.step = t;
}

/**
 * Scales gradients so their global L2 norm is at most maxNorm (torch clip_grad_norm_:
 * coefficient min(1, maxNorm/(norm + 1e-6))). Returns the gradients to apply and the norm before clipping.
 */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: number } {
  const names = Object.keys(grads);
  const norm = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n] as tf.Tensor))))).dataSync()[0] as number);
  const coef = Math.min(1, maxNorm / (norm + 1e-6));
  const out: Record<string, tf.Tensor> = {};
  // Below the threshold the input tensors are returned as they are (the caller owns both maps).
  for (const n of names) out[n] = coef < 1 ? tf.mul(grads[n] as tf.Tensor, coef) : (grads[n] as tf.Tensor);
  return { grads: out, norm };
}

export function disposeAdamW(opt: AdamWState): void {
  tf.dispose([...Object.values(opt.m), ...Object.values(opt.v)]);
}
