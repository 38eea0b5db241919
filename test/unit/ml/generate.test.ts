import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../shared/util/rng';
import {
  batchTensor, createAdamW, createModel, disposeAdamW, disposeModel, forward, generate, grpoAdvantages, leftPadBatch,
  maskedEntropy, ppoPolicyLoss, tokenLogProbs, trainStep, valueLoss, type PolicyModel,
} from '../../../electron/ml/model';
import type { ModelConfig } from '../../../electron/ml/model/config';
import { EOS, PAD, tinyConfig, useCpu } from './tiny';

beforeAll(useCpu);

/** A random model with spread-out logits, so greedy choices are not near-ties. */
function sharpModel(cfg: ModelConfig): PolicyModel {
  const m = createModel(cfg);
  const w = m.params['head.w'] as tf.Variable;
  tf.tidy(() => w.assign(tf.mul(w, 150)));
  const v = m.params['value.w'] as tf.Variable;
  tf.tidy(() => v.assign(tf.onesLike(v)));
  return m;
}

const prompts = [[2, 3, 4, 5], [7], [9, 8, 3]];

describe('generation', () => {
  it('with a KV cache gives the same greedy tokens, log-probs and values as full recomputation', () => {
    const m = sharpModel(tinyConfig());
    const opts = { prompts, maxNewTokens: 6, padToken: PAD, stopToken: EOS, temperature: 0 };
    const cached = generate(m, opts);
    const full = generate(m, { ...opts, useCache: false });
    expect(cached.tokens.flat().length).toBeGreaterThan(prompts.length); // not a trivial all-stop
    expect(cached.tokens).toEqual(full.tokens);
    expect(cached.stopped).toEqual(full.stopped);
    cached.logProbs.forEach((row, b) => row.forEach((lp, i) => expect(lp).toBeCloseTo(full.logProbs[b]?.[i] as number, 4)));
    cached.values.forEach((row, b) => row.forEach((v, i) => expect(v).toBeCloseTo(full.values[b]?.[i] as number, 4)));
    expect(cached.tokensProcessed).toBeLessThan(full.tokensProcessed);
    // each row alone (no padding) gives the same as the batch
    prompts.forEach((p, b) => {
      const alone = generate(m, { ...opts, prompts: [p] });
      expect(alone.tokens[0]).toEqual(cached.tokens[b]);
    });
    disposeModel(m);
  });

  it('returns the log-probs a training forward pass recomputes (PPO old log-probs)', () => {
    const m = sharpModel(tinyConfig());
    const g = generate(m, { prompts, maxNewTokens: 5, padToken: PAD, stopToken: EOS, temperature: 1, rng: createRng(3) });
    const seqs = prompts.map((p, b) => [...p, ...(g.tokens[b] as number[])]);
    const batch = leftPadBatch(seqs, PAD);
    const lp = tf.tidy(() => {
      const out = forward(m, { tokens: batchTensor(batch), leftPad: batch.leftPad });
      const ids = batchTensor(batch);
      // logits at t predict token t+1
      const T = batch.length;
      const logits = tf.slice(out.logits, [0, 0, 0], [batch.batch, T - 1, -1]) as tf.Tensor3D;
      return tokenLogProbs(logits, tf.slice(ids, [0, 1], [batch.batch, T - 1]) as tf.Tensor2D);
    });
    const rows = lp.arraySync();
    lp.dispose();
    prompts.forEach((p, b) => {
      const gen = g.logProbs[b] as number[];
      const start = (batch.leftPad[b] as number) + p.length - 1;
      gen.forEach((v, i) => expect(v).toBeCloseTo(rows[b]?.[start + i] as number, 4));
    });
    disposeModel(m);
  });

  it('samples reproducibly from a seed and stops at the stop token', () => {
    const m = sharpModel(tinyConfig());
    const run = (seed: number) =>
      generate(m, { prompts, maxNewTokens: 8, padToken: PAD, stopToken: EOS, temperature: 1.5, rng: createRng(seed) });
    const a = run(11);
    expect(run(11).tokens).toEqual(a.tokens);
    const several = [11, 12, 13, 14].map((s) => JSON.stringify(run(s).tokens));
    expect(new Set(several).size).toBeGreaterThan(1);
    a.tokens.forEach((row, b) => {
      const stop = row.indexOf(EOS);
      expect(a.stopped[b]).toBe(stop >= 0);
      if (stop >= 0) expect(stop).toBe(row.length - 1);
      else expect(row).toHaveLength(8);
      expect(a.logProbs[b]).toHaveLength(row.length);
      expect(a.values[b]).toHaveLength(row.length);
    });
    disposeModel(m);
  });

  it('works with image tokens and does not leak tensors', () => {
    const cfg = tinyConfig({ image: { height: 8, width: 8, channels: [4, 4], gridH: 2, gridW: 1 } });
    const m = sharpModel(cfg);
    const images = [0, 1, 2].map((k) => new Uint8Array(8 * 8 * 3).map((_, i) => (i * (k + 3)) % 256));
    const opts = { prompts, images, maxNewTokens: 5, padToken: PAD, stopToken: EOS, temperature: 0 };
    generate(m, opts); // warm-up: backends allocate some tensors once
    const before = tf.memory().numTensors;
    const cached = generate(m, opts);
    const full = generate(m, { ...opts, useCache: false });
    expect(tf.memory().numTensors).toBe(before);
    expect(cached.tokens).toEqual(full.tokens);
    expect(() => generate(m, { ...opts, maxNewTokens: 14 })).toThrow(/context length/);
    disposeModel(m);
  });

  it('feeds a PPO step: on-policy ratio 1 (approx_kl 0, clipfrac 0), metrics reported, no leak', () => {
    const m = sharpModel(tinyConfig());
    const opt = createAdamW(m, { beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0 });
    const group = [prompts[0], prompts[0], prompts[1], prompts[1]] as number[][];
    const g = generate(m, { prompts: group, maxNewTokens: 4, padToken: PAD, stopToken: EOS, temperature: 1, rng: createRng(9) });
    const adv = grpoAdvantages([1, 0, 0, 1], 2); // as if samples 0 and 3 were verified correct
    const seqs = group.map((p, b) => [...p, ...(g.tokens[b] as number[])]);
    const batch = leftPadBatch(seqs, PAD);
    const T = batch.length - 1;
    const old = new Float32Array(batch.batch * T);
    const oldV = new Float32Array(batch.batch * T);
    const mask = new Float32Array(batch.batch * T);
    const advT = new Float32Array(batch.batch * T);
    group.forEach((p, b) => {
      const start = (batch.leftPad[b] as number) + p.length - 1;
      (g.logProbs[b] as number[]).forEach((lp, i) => {
        old[b * T + start + i] = lp;
        oldV[b * T + start + i] = g.values[b]?.[i] as number;
        mask[b * T + start + i] = 1;
        advT[b * T + start + i] = adv[b] as number;
      });
    });
    const step = () => trainStep(m, opt, (ctx) => {
      const ids = batchTensor(batch);
      const out = forward(m, { tokens: tf.slice(ids, [0, 0], [batch.batch, T]) as tf.Tensor2D, leftPad: batch.leftPad });
      const lp = tokenLogProbs(out.logits, tf.slice(ids, [0, 1], [batch.batch, T]) as tf.Tensor2D);
      const maskT = tf.tensor2d(mask, [batch.batch, T]);
      const pg = ppoPolicyLoss({ newLogProbs: lp, oldLogProbs: tf.tensor2d(old, [batch.batch, T]), advantages: tf.tensor2d(advT, [batch.batch, T]), mask: maskT, clip: 0.2 });
      const vl = valueLoss({ newValues: out.values, oldValues: tf.tensor2d(oldV, [batch.batch, T]), returns: tf.zeros([batch.batch, T]), mask: maskT });
      ctx.metric('approx_kl', pg.approxKl);
      ctx.metric('clipfrac', pg.clipfrac);
      ctx.metric('entropy', maskedEntropy(out.logits, maskT));
      return tf.add(pg.loss, tf.mul(vl, 0.5)) as tf.Scalar;
    }, { lr: 1e-2, maxGradNorm: 1 });
    const first = step();
    expect(first.metrics.approx_kl).toBeCloseTo(0, 5);
    expect(first.metrics.clipfrac).toBe(0);
    expect(first.metrics.entropy).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    const second = step();
    expect(tf.memory().numTensors).toBe(before);
    expect(second.metrics.approx_kl).toBeGreaterThan(1e-6); // the policy moved
    disposeAdamW(opt);
    disposeModel(m);
  });
});
