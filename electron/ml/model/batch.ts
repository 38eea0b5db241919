/** Packs variable-length token sequences into one left-padded batch (the model's layout). */
import * as tf from '@tensorflow/tfjs';

export interface PaddedBatch {
  /** Token ids, row-major [batch, length]. */
  ids: Int32Array;
  batch: number;
  length: number;
  /** Pad tokens in front of each row. */
  leftPad: number[];
}

/** Left-pads every sequence to the longest one (or to `length` when given). */
export function leftPadBatch(seqs: readonly (readonly number[])[], padToken: number, length?: number): PaddedBatch {
  const T = length ?? Math.max(1, ...seqs.map((s) => s.length));
  const ids = new Int32Array(seqs.length * T).fill(padToken);
  const leftPad: number[] = [];
  seqs.forEach((s, b) => {
    if (s.length > T) throw new Error(`sequence ${b} has ${s.length} tokens; the batch length is ${T}`);
    const pad = T - s.length;
    leftPad.push(pad);
    ids.set(s, b * T + pad);
  });
  return { ids, batch: seqs.length, length: T, leftPad };
}

export function batchTensor(b: PaddedBatch): tf.Tensor2D {
  return tf.tensor2d(b.ids, [b.batch, b.length], 'int32');
}

/** A left-padded language-modelling batch: inputs predict targets, loss only where mask = 1. */
export interface LmBatch {
  /** Input ids [batch, length] (row-major). */
  inputs: Int32Array;
  /** Next-token targets [batch, length]. */
  targets: Int32Array;
  /** 1 where the target is an answer token (counted in the loss), else 0. */
  mask: Float32Array;
  batch: number;
  length: number;
  leftPad: number[];
}

/**
 * Builds the SFT batch for (prompt, answer) pairs: sequence = prompt + answer, inputs are its
 * first n−1 tokens, targets the last n−1, and the mask selects answer tokens only.
 */
export function sftBatch(examples: readonly { prompt: readonly number[]; answer: readonly number[] }[], padToken: number): LmBatch {
  const seqs = examples.map((e) => [...e.prompt, ...e.answer]);
  const T = Math.max(1, ...seqs.map((s) => s.length - 1));
  const B = examples.length;
  const inputs = new Int32Array(B * T).fill(padToken);
  const targets = new Int32Array(B * T).fill(padToken);
  const mask = new Float32Array(B * T);
  const leftPad: number[] = [];
  examples.forEach((e, b) => {
    const s = seqs[b] as number[];
    if (e.prompt.length === 0) throw new Error(`example ${b} has an empty prompt`);
    const n = s.length - 1;
    const pad = T - n;
    leftPad.push(pad);
    inputs.set(s.slice(0, n), b * T + pad);
    targets.set(s.slice(1), b * T + pad);
    // target index j (within the row's n targets) is sequence token j+1: an answer token iff j+1 ≥ prompt length
    for (let j = e.prompt.length - 1; j < n; j++) mask[b * T + pad + j] = 1;
  });
  return { inputs, targets, mask, batch: B, length: T, leftPad };
}
