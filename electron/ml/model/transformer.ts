/**
 * The policy's forward pass: pre-LayerNorm causal transformer over [visual tokens, text tokens],
 * an LM head (logits) and a value head (one scalar per text position, for PPO).
 *
 * Three entry points share one block stack: `forward` (training, whole sequences), `prefill`
 * (a prompt batch, returning a key/value cache) and `decodeStep` (one token per row against the
 * cache). Text positions are per row: position = text index − leftPad, so a left-padded row
 * sees exactly the positions it would see unpadded.
 */
import * as tf from '@tensorflow/tfjs';
import { visualTokenCount } from './config';
import { dense, embed } from './dense';
import { encodeImages } from './image-encoder';
import { activation, layerNorm } from './layers';
import { attentionBias, type BatchLayout, type LayerKV, selfAttention } from './attention';
import { param, type PolicyModel } from './params';

export interface ForwardInput {
  /** Token ids [B,T] (int32), each row left-padded to T. */
  tokens: tf.Tensor2D;
  /** Left-pad count per row (default: no padding). Pad keys are masked; pad outputs are junk. */
  leftPad?: readonly number[];
  /** Images [B,H,W,3] in [−1,1] (see imagesToTensor); required iff the model has an image encoder. */
  images?: tf.Tensor4D;
}

// A type alias (not an interface) so the result can be returned from tf.tidy.
export type ForwardOutput = {
  /** Next-token logits at every text position, [B,T,V]. */
  logits: tf.Tensor3D;
  /** Value estimate at every text position, [B,T]: V(state after reading tokens 0..t). */
  values: tf.Tensor2D;
};

/** Keys/values of every layer plus the layout needed to extend them. */
export interface KVCache {
  layers: LayerKV[];
  layout: BatchLayout;
  /** Text tokens (including left padding) already in the cache. */
  textLen: number;
}

function layoutOf(model: PolicyModel, input: ForwardInput): BatchLayout {
  const B = input.tokens.shape[0];
  const leftPad = input.leftPad ?? new Array<number>(B).fill(0);
  if (leftPad.length !== B) throw new Error(`leftPad has ${leftPad.length} entries for a batch of ${B}`);
  const visual = visualTokenCount(model.config);
  if (visual > 0 && !input.images) throw new Error('this model has an image encoder; pass images');
  if (visual === 0 && input.images) throw new Error('this model has no image encoder, but images were given');
  return { batch: B, visual, leftPad };
}

/** Embeds text tokens at text indices start..start+T (token + per-row position embedding). */
function embedText(model: PolicyModel, tokens: tf.Tensor2D, layout: BatchLayout, start: number): tf.Tensor3D {
  const [B, T] = tokens.shape;
  const ctx = model.config.contextLength;
  const pos = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    const pad = layout.leftPad[b] ?? 0;
    for (let t = 0; t < T; t++) {
      const p = start + t - pad;
      if (p >= ctx) throw new Error(`sequence row ${b} needs position ${p}; the model's context length is ${ctx}`);
      pos[b * T + t] = Math.max(0, p); // pad slots reuse position 0; they are masked anyway
    }
  }
  const posIds = tf.tensor2d(pos, [B, T], 'int32');
  const tok = embed(param(model, 'tok_emb') as tf.Tensor2D, tokens);
  return tf.add(tok, embed(param(model, 'pos_emb') as tf.Tensor2D, posIds)) as tf.Tensor3D;
}

/** Runs all blocks on x [B,S,d] whose queries start at absolute index `past`. */
function blocks(
  model: PolicyModel,
  x: tf.Tensor3D,
  layout: BatchLayout,
  past: number,
  cache?: LayerKV[],
): { h: tf.Tensor3D; kv: LayerKV[] } {
  const bias = attentionBias(layout, past, x.shape[1]);
  const kv: LayerKV[] = [];
  let h = x;
  for (let l = 0; l < model.config.nLayers; l++) {
    const a = selfAttention(model, l, layerNorm(h, param(model, `h${l}.ln1.g`), param(model, `h${l}.ln1.b`)) as tf.Tensor3D, bias, cache?.[l]);
    kv.push(a.kv);
    h = tf.add(h, a.out);
    const n2 = layerNorm(h, param(model, `h${l}.ln2.g`), param(model, `h${l}.ln2.b`));
    const m = dense(activation(model.config.activation, dense(n2, param(model, `h${l}.mlp.w1`), param(model, `h${l}.mlp.b1`))), param(model, `h${l}.mlp.w2`), param(model, `h${l}.mlp.b2`));
    h = tf.add(h, m);
  }
  return { h: layerNorm(h, param(model, 'ln_f.g'), param(model, 'ln_f.b')) as tf.Tensor3D, kv };
}

function heads(model: PolicyModel, h: tf.Tensor3D): ForwardOutput {
  const [B, T] = h.shape;
  const logits = dense(h, param(model, 'head.w'), param(model, 'head.b')) as tf.Tensor3D;
  const values = tf.reshape(dense(h, param(model, 'value.w'), param(model, 'value.b')), [B, T]) as tf.Tensor2D;
  return { logits, values };
}

function stack(model: PolicyModel, input: ForwardInput, layout: BatchLayout) {
  const text = embedText(model, input.tokens, layout, 0);
  const x = input.images ? (tf.concat([encodeImages(model, input.images), text], 1) as tf.Tensor3D) : text;
  const { h, kv } = blocks(model, x, layout, 0);
  const [B, T, d] = text.shape;
  const hText = layout.visual > 0 ? (tf.slice(h, [0, layout.visual, 0], [B, T, d]) as tf.Tensor3D) : h;
  return { hText, kv };
}

/** Full forward pass (training and evaluation): logits [B,T,V] and values [B,T]. */
export function forward(model: PolicyModel, input: ForwardInput): ForwardOutput {
  const layout = layoutOf(model, input);
  return heads(model, stack(model, input, layout).hText);
}

/** Reads the prompts once: last-position logits [B,V] and values [B], and the cache to extend. */
export function prefill(
  model: PolicyModel,
  input: ForwardInput,
): { logits: tf.Tensor2D; values: tf.Tensor1D; cache: KVCache } {
  const layout = layoutOf(model, input);
  const { hText, kv } = stack(model, input, layout);
  const [B, T, d] = hText.shape;
  const out = heads(model, tf.slice(hText, [0, T - 1, 0], [B, 1, d]) as tf.Tensor3D);
  return {
    logits: tf.reshape(out.logits, [B, -1]) as tf.Tensor2D,
    values: tf.reshape(out.values, [B]) as tf.Tensor1D,
    cache: { layers: kv, layout, textLen: T },
  };
}

/** Appends one token per row ([B,1]) to the cache: next logits [B,V], values [B], and the longer cache. */
export function decodeStep(
  model: PolicyModel,
  cache: KVCache,
  tokens: tf.Tensor2D,
): { logits: tf.Tensor2D; values: tf.Tensor1D; cache: KVCache } {
  const B = tokens.shape[0];
  const x = embedText(model, tokens, cache.layout, cache.textLen);
  const past = cache.layout.visual + cache.textLen;
  const { h, kv } = blocks(model, x, cache.layout, past, cache.layers);
  const out = heads(model, h);
  return {
    logits: tf.reshape(out.logits, [B, -1]) as tf.Tensor2D,
    values: tf.reshape(out.values, [B]) as tf.Tensor1D,
    cache: { layers: kv, layout: cache.layout, textLen: cache.textLen + 1 },
  };
}

/** Frees the cache's tensors. */
export function disposeCache(cache: KVCache): void {
  for (const l of cache.layers) tf.dispose([l.k, l.v]);
}
