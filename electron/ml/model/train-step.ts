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

export function trainStep(
  model: PolicyModel,
  opt: AdamWState,
  lossFn: (ctx: StepContext) => tf.Scalar,
  options: TrainStepOptions,
): TrainStepResult {
  const kept: [string, tf.Scalar][] = [];
  const ctx: StepContext = { metric: (name, value) => kept.push([name, tf.keep(value)]) };
  const vars = paramList(model);
  const { value, grads } = tf.variableGrads(() => lossFn(ctx), vars);
  // variableGrads keys by tfjs's global variable name; map back to parameter names.
  const named: Record<string, tf.Tensor> = {};
  model.names.forEach((n, i) => {
    const g = grads[(vars[i] as tf.Variable).name];
    if (g) named[n] = g;
  });
  try {
    const { grads: clipped, norm } = clipByGlobalNorm(named, options.maxGradNorm ?? Infinity);
    adamwUpdate(model, opt, clipped, options.lr);
    tf.dispose(Object.values(clipped)); // disposing the same tensor twice (below) is a no-op
    const metrics: Record<string, number> = {};
    for (const [name, v] of kept) metrics[name] = v.dataSync()[0] as number;
    return { loss: value.dataSync()[0] as number, gradNorm: norm, metrics };
  } finally {
    tf.dispose([value, ...Object.values(grads), ...kept.map(([, v]) => v)]);
  }
}
