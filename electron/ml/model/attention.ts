/**
 * Causal multi-head self-attention with an optional key/value cache.
 *
 * Sequence layout (absolute index a): [visual tokens 0..P) [left padding P..P+pad_b) [text...].
 * Every row is left-padded to the batch's longest prompt; pad keys are masked out, so a row's
 * outputs do not depend on how much padding it got (this is what makes batched generation with
 * a cache equal to per-row recomputation).
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from './dense';
import { param, type PolicyModel } from './params';

/** Cached keys and values of one layer, [B, H, S, dh]. */
export interface LayerKV {
  k: tf.Tensor4D;
  v: tf.Tensor4D;
}

/** Where the padding sits in a batch, in the layout above. */
export interface BatchLayout {
  batch: number;
  /** Number of visual tokens P in front of every row. */
  visual: number;
  /** Left-pad count of each row's text. */
  leftPad: readonly number[];
}

const NEG = -1e9; // not -Infinity: an all-masked row (a pad query) must give finite numbers, not NaN

/** Additive mask [B,1,Tq,past+Tq] for queries at absolute indices past..past+Tq. */
export function attentionBias(layout: BatchLayout, past: number, queryLen: number): tf.Tensor4D {
  const keys = past + queryLen;
  const out = new Float32Array(layout.batch * queryLen * keys);
  for (let b = 0; b < layout.batch; b++) {
    const padFrom = layout.visual;
    const padTo = layout.visual + (layout.leftPad[b] ?? 0);
    for (let i = 0; i < queryLen; i++) {
      const row = (b * queryLen + i) * keys;
      for (let j = 0; j < keys; j++) {
        const masked = j > past + i || (j >= padFrom && j < padTo);
        if (masked) out[row + j] = NEG;
      }
    }
  }
  return tf.tensor4d(out, [layout.batch, 1, queryLen, keys]);
}

/** [B,S,d] → [B,H,S,dh] */
function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [B, S, d] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [B, S, heads, d / heads]), [0, 2, 1, 3]);
}

/**
 * Attention of layer `l` for x [B,S,d] (already layer-normed). With `past`, the new keys and
 * values are appended to it. Returns the projected output and the full keys/values.
 */
export function selfAttention(
  model: PolicyModel,
  l: number,
  x: tf.Tensor3D,
  bias: tf.Tensor4D,
  past?: LayerKV,
): { out: tf.Tensor3D; kv: LayerKV } {
  const H = model.config.nHeads;
  const [B, S, d] = x.shape;
  const dh = d / H;
  // Separate q/k/v projections rather than one fused [d,3d] matmul: splitting its output on the
  // last axis cost more on wasm (SplitV 42 ms, slices ~46 ms in a training step) than the matmuls.
  const q = dense(x, param(model, `h${l}.attn.w_q`), param(model, `h${l}.attn.b_q`));
  const kNew = dense(x, param(model, `h${l}.attn.w_k`), param(model, `h${l}.attn.b_k`));
  const vNew = dense(x, param(model, `h${l}.attn.w_v`), param(model, `h${l}.attn.b_v`));
  let k = splitHeads(kNew, H);
  let v = splitHeads(vNew, H);
  if (past) {
    k = tf.concat([past.k, k], 2);
    v = tf.concat([past.v, v], 2);
  }
  const Sk = k.shape[2];
  // Batched matmuls take wasm's slow generic path whatever the transpose flags (measured), so
  // transposeB is used directly rather than adding a transpose op.
  const qh = tf.reshape(splitHeads(tf.mul(q, 1 / Math.sqrt(dh)), H), [B * H, S, dh]);
  const scores = tf.matMul(qh, tf.reshape(k, [B * H, Sk, dh]), false, true);
  const probs = tf.softmax(tf.add(tf.reshape(scores, [B, H, S, Sk]), bias));
  const ctx = tf.matMul(tf.reshape(probs, [B * H, S, Sk]), tf.reshape(v, [B * H, Sk, dh]));
  const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [B, H, S, dh]), [0, 2, 1, 3]), [B, S, d]);
  const out = dense(merged, param(model, `h${l}.attn.w_o`), param(model, `h${l}.attn.b_o`)) as tf.Tensor3D;
  return { out, kv: { k, v } };
}
