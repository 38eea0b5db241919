/**
 * Policy diagnostics of played episodes (RL-NOTES "add to every run"): the token entropy of the
 * model's answers, and how far its next-token distributions have moved from a reference (the
 * branch's init) on the same contexts, KL(π_init ‖ π) over the whole vocabulary. Both are
 * token-means over every generated token of every attempt, read from one forward pass per
 * length bucket, so they cost a fraction of the generation they describe.
 */
import * as tf from '@tensorflow/tfjs';
import { forward, maskedEntropy, maskedForwardKl, type PolicyModel } from '../model';
import { rowImageTensor } from './images';
import { MAX_MICRO_ROWS } from './rl';
import { bucketBatches, buildRlBatch, rlRows } from './rl-batch';
import { episodeAttempts, type Episode } from './task';

export interface PolicyDiagnostics {
  /** Mean token entropy (nats) of the answers. */
  entropy: number;
  /** Mean KL(π_ref ‖ π) (nats/token) at the answers' positions; undefined without a reference. */
  klRef?: number;
}

export function policyDiagnostics(model: PolicyModel, episodes: readonly Episode[], pad: number, reference?: PolicyModel): PolicyDiagnostics {
  const zeros = episodes.map((e) => episodeAttempts(e).map(() => 0));
  const rows = rlRows(episodes, zeros, zeros);
  let tokens = 0;
  let entropy = 0;
  let kl = 0;
  for (const idx of bucketBatches(rows, MAX_MICRO_ROWS)) {
    const b = buildRlBatch(idx.map((j) => rows[j] as (typeof rows)[number]), pad);
    const n = b.actMask.reduce((s, x) => s + x, 0);
    if (n === 0) continue;
    const shape: [number, number] = [b.batch, b.length];
    const [h, k] = tf.tidy(() => {
      const tokens = tf.tensor2d(b.inputs, shape, 'int32');
      const mask = tf.tensor2d(b.actMask, shape);
      const logits = forward(model, { tokens, leftPad: b.leftPad, images: rowImageTensor(model, b.images, 'evaluated row') }).logits;
      const ent = maskedEntropy(logits, mask);
      if (!reference) return [ent, tf.scalar(0)];
      const refLogits = forward(reference, { tokens, leftPad: b.leftPad, images: rowImageTensor(reference, b.images, 'evaluated row') }).logits;
      return [ent, maskedForwardKl(refLogits, logits, mask)];
    });
    entropy += (h as tf.Scalar).dataSync()[0]! * n;
    kl += (k as tf.Scalar).dataSync()[0]! * n;
    tf.dispose([h, k]);
    tokens += n;
  }
  const d = Math.max(1, tokens);
  return reference ? { entropy: entropy / d, klRef: kl / d } : { entropy: entropy / d };
}

/** Share of distinct answers among the attempts of episodes that made more than one (revising means changing). */
export function distinctAnswerRatio(episodes: readonly Episode[]): number {
  let attempts = 0;
  let distinct = 0;
  for (const e of episodes) {
    for (const s of e.segments) {
      if (s.attempts.length < 2) continue;
      attempts += s.attempts.length;
      distinct += new Set(s.attempts.map((a) => a.tokens.join(','))).size;
    }
  }
  return attempts === 0 ? 1 : distinct / attempts;
}
