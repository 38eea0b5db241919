/**
 * Images on their way into the model. A model with an image encoder reads exactly one image with
 * every sequence, at the size its encoder was built for; a language-only model reads none. Each
 * batch the engine builds (rollout prompts, supervised examples, RL rows, the reference pass) goes
 * through here, so a task that sends the wrong image, or none, is told which row and why.
 */
import * as tf from '@tensorflow/tfjs';
import type { RgbImage } from '../../../shared/tasks/image';
import { imagesToTensor, visualTokenCount, type PolicyModel } from '../model';

/** The rows' image bytes for `generate`/`forward`, or undefined for a language-only model; throws a message naming the row. */
export function rowImages(model: PolicyModel, images: readonly (RgbImage | undefined)[], what: string): Uint8Array[] | undefined {
  const enc = model.config.image;
  if (!enc) {
    const i = images.findIndex((im) => im !== undefined);
    if (i >= 0) throw new Error(`${what} ${i} carries an image, but the model has no image encoder (a vision-language experiment needs an image block)`);
    return undefined;
  }
  return images.map((im, i) => {
    if (!im) throw new Error(`${what} ${i} has no image; this model reads an image with every sequence`);
    if (im.width !== enc.width || im.height !== enc.height) {
      throw new Error(`${what} ${i} is a ${im.width}×${im.height} image; the model's encoder reads ${enc.width}×${enc.height} images (the experiment's image block)`);
    }
    if (im.data.length !== im.width * im.height * 3) throw new Error(`${what} ${i} has ${im.data.length} bytes; a ${im.width}×${im.height} RGB image has ${im.width * im.height * 3}`);
    return im.data;
  });
}

/** The rows' images as the model's input tensor [B,H,W,3] (undefined for a language-only model). Call inside tf.tidy. */
export function rowImageTensor(model: PolicyModel, images: readonly (RgbImage | undefined)[], what: string): tf.Tensor4D | undefined {
  const data = rowImages(model, images, what);
  return data ? imagesToTensor(model.config, data) : undefined;
}

/** Visual tokens the model reads before each sequence's text (0 without an encoder): part of D in 6·N·D and 2·N·D. */
export function visualTokens(model: PolicyModel): number {
  return visualTokenCount(model.config);
}
