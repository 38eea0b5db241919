/**
 * One optimisation step: loss and gradients, global-norm clipping, AdamW update. Tensors made
 * by the loss function are freed; only numbers come back, so a training loop cannot leak.
 */
import * as tf from '@tensorflow/tfjs';
import { adamwUpdate, type AdamWState, clipByGlobalNorm } from './optimizer';
import { paramList, type PolicyModel } from './params';

/** Lets a loss function report extra scalars (e.g. PPO's clipfrac) computed on the same pass. */
export interface StepContext {
  metric(name: string, value: tf.Scalar): void;
}

export interface TrainStepOptions {
  /** Learning rate of this update (see lrAt). */
  lr: number;
  /** Clip the global gradient norm to this value (omit or Infinity: no clipping). */
  maxGradNorm?: number;
}

export interface TrainStepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  metrics: Record<string, number>;
}

/**
 * One update. `lossFn` may be a list of micro-batch losses whose sum is the step's loss: their
 * gradients are accumulated one tape at a time (so only one micro-batch's activations are alive
 * at once) and applied once; a single function is the one-tape step.
 */
export function trainStep(
  model: PolicyModel,
  opt: AdamWState,
  lossFn: ((ctx: StepContext) => tf.Scalar) | readonly ((ctx: StepContext) => tf.Scalar)[],
  options: TrainStepOptions,
): TrainStepResult {
  const parts = typeof lossFn === 'function' ? [lossFn] : lossFn;
  const kept: [string, tf.Scalar][] = [];
  const ctx: StepContext = { metric: (name, value) => kept.push([name, tf.keep(value)]) };
  const vars = paramList(model);
  let value: tf.Scalar | null = null;
  let named: Record<string, tf.Tensor> = {};
  for (const part of parts) {
    const r = tf.variableGrads(() => part(ctx), vars);
    // variableGrads keys by tfjs's global variable name; map back to parameter names.
    const these: Record<string, tf.Tensor> = {};
    model.names.forEach((n, i) => {
      const g = r.grads[(vars[i] as tf.Variable).name];
      if (g) these[n] = g;
    });
    if (value === null) {
      value = r.value;
      named = these;
      continue;
    }
    const sum = tf.add(value, r.value) as tf.Scalar;
    tf.dispose([value, r.value]);
    value = sum;
    for (const [n, g] of Object.entries(these)) {
      const prev = named[n];
      named[n] = prev ? tf.add(prev, g) : g;
      if (prev) tf.dispose([prev, g]);
    }
  }
  if (value === null) throw new Error('trainStep needs at least one loss');
  try {
    const { grads: clipped, norm } = clipByGlobalNorm(named, options.maxGradNorm ?? Infinity);
    adamwUpdate(model, opt, clipped, options.lr);
    tf.dispose(Object.values(clipped)); // disposing the same tensor twice (below) is a no-op
    const metrics: Record<string, number> = {};
    for (const [name, v] of kept) metrics[name] = (metrics[name] ?? 0) + (v.dataSync()[0] as number);
    return { loss: value.dataSync()[0] as number, gradNorm: norm, metrics };
  } finally {
    tf.dispose([value, ...Object.values(named), ...kept.map(([, v]) => v)]);
  }
}
