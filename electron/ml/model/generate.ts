/**
 * Batched autoregressive generation (greedy or temperature sampling) with a key/value cache:
 * the prompts are read once (prefill), then each step feeds one token per row. `useCache:
 * false` recomputes the whole prefix every step instead (the benchmark baseline and the test
 * oracle). Prompts of different lengths are left-padded; see attention.ts for the masking.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../shared/util/rng';
import { batchTensor, leftPadBatch } from './batch';
import { visualTokenCount } from './config';
import { imagesToTensor } from './image-encoder';
import type { PolicyModel } from './params';
import { logSumExp, sampleToken } from './sampling';
import { decodeStep, disposeCache, forward, type KVCache, prefill } from './transformer';

export interface GenerateOptions {
  /** Prompt token ids, one array per row (any lengths ≥ 1). */
  prompts: readonly (readonly number[])[];
  /** One RGB Uint8 image per row (H·W·3), for models with an image encoder. */
  images?: readonly Uint8Array[];
  /** Upper bound on generated tokens per row. */
  maxNewTokens: number;
  /** A row stops after emitting this token (it is included in the output). */
  stopToken?: number;
  /** Token used for left padding and fed to rows that have stopped. */
  padToken: number;
  /** 0 = greedy; otherwise sample from softmax(logits / temperature). */
  temperature: number;
  /** Seeded generator for the sampling draws (required when temperature > 0). */
  rng?: Rng;
  /** Reuse keys/values between steps (default true). */
  useCache?: boolean;
}

export interface GenerateResult {
  /** Generated ids per row, up to and including the stop token. */
  tokens: number[][];
  /**
   * log π(token | prefix) of each generated token under the model's own distribution
   * (temperature 1, whatever temperature sampled it), as PPO's old log-probs.
   */
  logProbs: number[][];
  /** Value head output at the position that produced each token: V(state before the token). */
  values: number[][];
  /** Whether each row emitted the stop token. */
  stopped: boolean[];
  /** Model forward tokens processed (prompt and visual tokens once with a cache), for FLOP accounting. */
  tokensProcessed: number;
}

export function generate(model: PolicyModel, opts: GenerateOptions): GenerateResult {
  const B = opts.prompts.length;
  if (B === 0) return { tokens: [], logProbs: [], values: [], stopped: [], tokensProcessed: 0 };
  const V = model.config.vocabSize;
  const ctx = model.config.contextLength;
  opts.prompts.forEach((p, b) => {
    if (p.length === 0) throw new Error(`prompt ${b} is empty`);
    if (p.length + opts.maxNewTokens - 1 > ctx) {
      throw new Error(`prompt ${b} (${p.length} tokens) + ${opts.maxNewTokens} new tokens exceeds the context length ${ctx}`);
    }
  });
  const padded = leftPadBatch(opts.prompts, opts.padToken);
  const images = opts.images ? imagesToTensor(model.config, opts.images) : undefined;
  const result: GenerateResult = {
    tokens: opts.prompts.map(() => []),
    logProbs: opts.prompts.map(() => []),
    values: opts.prompts.map(() => []),
    stopped: new Array<boolean>(B).fill(false),
    tokensProcessed: 0,
  };
  const useCache = opts.useCache ?? true;
  // Full-recompute mode keeps the growing token matrix on the CPU.
  const seqs: number[][] = opts.prompts.map((p) => p.slice());
  let cache: KVCache | undefined;
  try {
    // Visual tokens are read with the prompt (prefill) and sit in the cache afterwards.
    const visual = visualTokenCount(model.config);
    let step = tidyObject(() => prefill(model, { tokens: batchTensor(padded), leftPad: padded.leftPad, images }));
    cache = step.cache;
    result.tokensProcessed += B * (padded.length + visual);
    for (let n = 0; n < opts.maxNewTokens; n++) {
      const logits = step.logits.dataSync();
      const values = step.values.dataSync();
      tf.dispose([step.logits, step.values]);
      const next = new Int32Array(B).fill(opts.padToken);
      let live = 0;
      for (let b = 0; b < B; b++) {
        if (result.stopped[b]) {
          // Stopped rows keep growing with pad tokens at the end; causality keeps them harmless.
          (seqs[b] as number[]).push(opts.padToken);
          continue;
        }
        const tok = sampleToken(logits, b * V, V, opts.temperature, opts.rng);
        (result.tokens[b] as number[]).push(tok);
        (result.logProbs[b] as number[]).push((logits[b * V + tok] as number) - logSumExp(logits, b * V, V));
        (result.values[b] as number[]).push(values[b] as number);
        next[b] = tok;
        (seqs[b] as number[]).push(tok);
        if (tok === opts.stopToken) result.stopped[b] = true;
        else live++;
      }
      if (live === 0 || n === opts.maxNewTokens - 1) break;
      if (useCache) {
        const old = step.cache;
        step = tidyObject(() => decodeStep(model, old, tf.tensor2d(next, [B, 1], 'int32')));
        disposeCache(old);
        cache = step.cache;
        result.tokensProcessed += B;
      } else {
        step = tidyObject(() => lastPosition(model, seqs, opts.padToken, padded.leftPad, images));
        result.tokensProcessed += B * (padded.length + n + 1 + visual);
      }
    }
    tf.dispose([step.logits, step.values]);
  } finally {
    if (cache) disposeCache(cache);
    images?.dispose();
  }
  return result;
}

/** tf.tidy for results that carry plain fields next to their tensors (tidy keeps every tensor in them). */
function tidyObject<T extends object>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** Full forward over the current sequences; logits and values at the last position. */
function lastPosition(
  model: PolicyModel,
  seqs: readonly number[][],
  padToken: number,
  leftPad: readonly number[],
  images?: tf.Tensor4D,
): { logits: tf.Tensor2D; values: tf.Tensor1D; cache: KVCache } {
  // Every row grew by the same count, so padding each to the longest keeps the original left pads.
  const padded = leftPadBatch(seqs, padToken);
  const out = forward(model, { tokens: batchTensor(padded), leftPad, images });
  const [B, T, V] = out.logits.shape;
  return {
    logits: tf.reshape(tf.slice(out.logits, [0, T - 1, 0], [B, 1, V]), [B, V]) as tf.Tensor2D,
    values: tf.reshape(tf.slice(out.values, [0, T - 1], [B, 1]), [B]) as tf.Tensor1D,
    cache: { layers: [], layout: { batch: B, visual: 0, leftPad }, textLen: T },
  };
}
