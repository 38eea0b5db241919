/**
 * The optional image encoder: RGB Uint8 images → a grid of visual tokens of width d.
 *
 * Each conv is 2×2 with stride 2, written as space-to-depth + one dense matmul, because the wasm
 * backend has no Conv2DBackpropFilter kernel (a tf.conv2d encoder could not train there) and a
 * dense matmul goes through the fast path in dense.ts. The last feature map is pooled to
 * gridH×gridW (averaged, or each token's cells concatenated: ImageEncoderConfig.pool), projected to
 * d, and given a learned per-slot position embedding.
 */
import * as tf from '@tensorflow/tfjs';
import { encoderFeatureSize, type ModelConfig } from './config';
import { dense } from './dense';
import { param, type PolicyModel } from './params';

/**
 * Packs per-example RGB Uint8 images (each H·W·3, row-major) into one float tensor [B,H,W,3] in
 * [−1,1]: centred, so ink and paper push the first ReLU features in opposite directions.
 */
export function imagesToTensor(cfg: ModelConfig, images: readonly Uint8Array[]): tf.Tensor4D {
  const img = cfg.image;
  if (!img) throw new Error('this model has no image encoder, but images were given');
  const size = img.height * img.width * 3;
  const flat = new Float32Array(images.length * size);
  images.forEach((im, i) => {
    if (im.length !== size) {
      throw new Error(`image ${i} has ${im.length} bytes; expected ${img.height}×${img.width}×3 = ${size}`);
    }
    for (let j = 0; j < size; j++) flat[i * size + j] = (im[j] as number) / 127.5 - 1;
  });
  return tf.tensor4d(flat, [images.length, img.height, img.width, 3]);
}

/** 2×2 stride-2 conv + ReLU on x [B,H,W,c] with weight [4c, cout]. */
function patchConv(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor): tf.Tensor4D {
  const [B, H, W, c] = x.shape;
  // [B·H/2, 2, W/2, 2c] → [B·H/2, W/2, 2, 2c]: each output pixel's 2×2×c patch becomes contiguous.
  const s = tf.transpose(tf.reshape(x, [B * (H / 2), 2, W / 2, 2 * c]), [0, 2, 1, 3]);
  const y = tf.relu(dense(tf.reshape(s, [B * (H / 2) * (W / 2), 4 * c]), w, b));
  return tf.reshape(y, [B, H / 2, W / 2, w.shape[1] as number]);
}

/** One encoder forward as the observer sees it: images encoded, its wall time, and whether a gradient tape recorded it. */
export interface EncoderCall {
  images: number;
  ms: number;
  /** Recorded for a backward pass (a training update), not a rollout or reference pass. */
  taped: boolean;
}

let observer: ((call: EncoderCall) => void) | null = null;

/**
 * Reports every encoder forward to `fn` (null: stop). The VL benchmark uses it to tell how many
 * images a step encodes, and where; the wasm and cpu backends run each op when it is called, so
 * the time is the forward's compute.
 */
export function observeImageEncoder(fn: ((call: EncoderCall) => void) | null): void {
  observer = fn;
}

/** Visual tokens [B, gridH·gridW, d] for images [B,H,W,3] (floats in [−1,1], see imagesToTensor). */
export function encodeImages(model: PolicyModel, images: tf.Tensor4D): tf.Tensor3D {
  if (!observer) return encode(model, images);
  const t0 = performance.now();
  const out = encode(model, images);
  observer({ images: images.shape[0], ms: performance.now() - t0, taped: tf.engine().isTapeOn() });
  return out;
}

function encode(model: PolicyModel, images: tf.Tensor4D): tf.Tensor3D {
  const img = model.config.image;
  if (!img) throw new Error('this model has no image encoder, but images were given');
  const [B, H, W] = images.shape;
  if (H !== img.height || W !== img.width) {
    throw new Error(`images are ${H}×${W}; the encoder expects ${img.height}×${img.width}`);
  }
  let x = images;
  img.channels.forEach((_, i) => {
    x = patchConv(x, param(model, `img.conv${i}.w`), param(model, `img.conv${i}.b`));
  });
  const { h, w } = encoderFeatureSize(img);
  const fh = h / img.gridH;
  const fw = w / img.gridW;
  const c = x.shape[3];
  let cells: tf.Tensor;
  if (fh === 1 && fw === 1) cells = tf.reshape(x, [B, img.gridH * img.gridW, c]);
  else if (img.pool === 'concat') {
    // [B·gridH, fh, gridW, fw·c] → [B·gridH, gridW, fh, fw·c]: each token's fh×fw cells side by side.
    const rows = tf.reshape(x, [B * img.gridH, fh, img.gridW, fw * c]);
    cells = tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [B, img.gridH * img.gridW, fh * fw * c]);
  } else cells = tf.reshape(tf.avgPool(x, [fh, fw], [fh, fw], 'valid'), [B, img.gridH * img.gridW, c]);
  const tokens = dense(cells, param(model, 'img.proj.w'), param(model, 'img.proj.b'));
  return tf.add(tokens, param(model, 'img.pos')) as tf.Tensor3D;
}
