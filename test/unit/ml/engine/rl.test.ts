import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RlStageConfig } from '../../../../shared/experiments/config';
import { createRng } from '../../../../shared/util/rng';
import { buildRlBatch, grpoAttemptAdvantages, lengthBuckets, ppoAttemptAdvantages, rlRows } from '../../../../electron/ml/engine/rl-batch';
import { grpoReturns, rlStep, rlUpdate } from '../../../../electron/ml/engine/rl';
import { rollout } from '../../../../electron/ml/engine/rollout';
import { repeatedAttempts } from '../../../../electron/ml/engine/task';
import type { GpEpisode } from '../../../../electron/ml/tasks/generalpoints/task';
import {
  createModel, disposeAdamW, disposeModel, forward, loadCheckpoint, maskedEntropy, policyGradientLoss, saveCheckpoint, tokenLogProbs, trainStep, type AdamWState, type PolicyModel,
} from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { codec, smallConfig, stable, stepInput, task, tinyGpConfig, tinyModel } from './fixtures';

const input = (model: PolicyModel, optimizer: AdamWState, step: number) => stepInput(model, optimizer, step, 'rl', 11);
const grpo = (): RlStageConfig => smallConfig().rl;
const ppo = (): RlStageConfig => ({ ...smallConfig().rl, algorithm: 'ppo', epochs: 2, entropyCoef: 0.01 });
const opts = { lr: 1e-3, maxGradNorm: 1, pad: codec.tokenizer.pad };

// One sampled batch (2 hands × 4 episodes) shared by the update tests; outcomes are then forced.
let sampled: GpEpisode[] = [];
// outcome(i) = the attempt that solved episode i (0: unsolved, one attempt kept).
const withOutcomes = (outcome: (i: number) => number): GpEpisode[] =>
  sampled.map((e, i) => ({ ...e, segments: [{ ...seg(e), attempts: seg(e).attempts.slice(0, Math.max(1, outcome(i))) }], success: outcome(i) > 0 }));
const seg = (e: GpEpisode) => e.segments[0]!;
const grpoAdv = (eps: GpEpisode[], penalty = 0) => grpoAttemptAdvantages(eps, grpoReturns(task, eps, penalty), 4);
const seqTokens = (eps: GpEpisode[]) => eps.reduce((s, e) => s + seg(e).sequence.length - 1, 0);

beforeAll(async () => {
  await useCpu();
  const model = createModel(tinyGpConfig());
  const episodes = Array.from({ length: 8 }, (_, i) => ({ seed: 5 + Math.floor(i / 4), variant: { rule: 'face10' }, split: 'id' as const }));
  sampled = rollout(model, task, { episodes, verificationLimit: 2, temperature: 1, rng: createRng(9), actor: { kind: 'checkpoint', name: 't' } }).episodes;
  disposeModel(model);
});

describe('RL update', () => {
  const { model, optimizer } = tinyModel();
  afterAll(() => {
    disposeAdamW(optimizer);
    disposeModel(model);
  });

  it('GRPO: an all-correct group gives zero advantage and zero gradient; mixed groups do not', () => {
    const all = withOutcomes(() => 1);
    expect(grpoAdv(all).flat().every((a) => a === 0)).toBe(true);
    expect(rlUpdate(model, optimizer, task, all, grpo(), opts)['train/grad_norm']).toBe(0);
    const mixed = withOutcomes((i) => (i % 2 === 0 ? 1 : 0));
    expect(grpoAdv(mixed).map((a) => a[0])).toEqual([0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5]);
    expect(rlUpdate(model, optimizer, task, mixed, grpo(), opts)['train/grad_norm']).toBeGreaterThan(0);
  });

  it('GRPO repeat penalty: an attempt repeating an earlier one verbatim lowers its episode\'s reward', () => {
    // Group of 4, all unsolved with two attempts; episodes 0 and 2 repeat their first answer.
    const eps = withOutcomes(() => 0).slice(0, 4).map((e, i): GpEpisode => {
      const first = seg(e).attempts[0]!;
      const second = { ...first, start: first.start + 1, tokens: i % 2 === 0 ? first.tokens.slice() : [...first.tokens, 99] };
      return { ...e, segments: [{ ...seg(e), attempts: [first, second] }] };
    });
    expect(eps.map((e) => repeatedAttempts(e))).toEqual([1, 0, 1, 0]);
    expect(grpoAdv(eps).flat().every((a) => a === 0)).toBe(true);
    // R = 0 − 0.5·repeats → [−0.5, 0, −0.5, 0], group mean −0.25.
    expect(grpoAdv(eps, 0.5).map((a) => a[0])).toEqual([-0.25, 0.25, -0.25, 0.25]);
  });

  it('PPO: GAE over attempts with the value at each attempt start, normalised; value loss and epochs', () => {
    const eps = withOutcomes((i) => [2, 0, 1, 0][i % 4]!);
    // The value head starts at zero: solved at turn 2 → A = [γλ·1, 1], returns = A + V = [0.855, 1].
    const { adv, ret } = ppoAttemptAdvantages(eps, eps.map((e) => task.attemptRewards(e)), 0.9, 0.95);
    expect(ret[0]![0]).toBeCloseTo(0.855, 6);
    expect(ret[0]![1]).toBeCloseTo(1, 6);
    expect(adv.flat().reduce((s, a) => s + a, 0)).toBeCloseTo(0, 5);
    const m = rlUpdate(model, optimizer, task, eps, ppo(), opts);
    expect(m['rl/value_loss']).toBeGreaterThan(0);
    expect(m['rl/approx_kl']).toBeGreaterThan(0); // the second epoch moved off the sampling policy
    expect(m['train/tokens']).toBe(2 * seqTokens(eps));
  });

  it('k3 KL to the reference: zero against itself, and with β > 0 it pulls even when all rewards are 0', () => {
    const none = withOutcomes(() => 0);
    const a = tinyModel(4);
    const same = rlUpdate(a.model, a.optimizer, task, none, grpo(), { ...opts, reference: a.model });
    expect(same['rl/kl_ref']).toBeCloseTo(0, 6);
    expect(same['train/grad_norm']).toBe(0);
    const far = createModel(tinyGpConfig(2));
    const pulled = rlUpdate(a.model, a.optimizer, task, none, { ...grpo(), klBeta: 0.1 }, { ...opts, reference: far });
    expect(pulled['rl/kl_ref']).toBeGreaterThan(1e-4);
    expect(pulled['train/grad_norm']).toBeGreaterThan(0);
    expect(pulled['gen/ref_tokens']).toBe(seqTokens(none));
    for (const m of [a.model, far]) disposeModel(m);
    disposeAdamW(a.optimizer);
  });
  it('buckets episodes by length and still takes exactly the one-padded-batch step', () => {
    // Half the episodes cut to their first attempt (solved), half kept at two: two lengths.
    const eps = sampled.map((e, i): GpEpisode => {
      if (i % 2 === 1) return { ...e, success: false };
      const first = seg(e).attempts[0]!;
      return { ...e, segments: [{ ...seg(e), attempts: [first], sequence: seg(e).sequence.slice(0, first.start + first.tokens.length) }], success: true };
    });
    expect(new Set(eps.map((e) => seg(e).sequence.length)).size).toBeGreaterThan(1);
    const adv = grpoAdv(eps);
    const rows = rlRows(eps, adv, eps.map((e) => seg(e).attempts.map(() => 0)));
    expect(lengthBuckets(rows).map((b) => b.length)).toEqual([4, 4]);
    const a = tinyModel(3);
    const b = tinyModel(3);
    const got = rlUpdate(a.model, a.optimizer, task, eps, grpo(), opts);
    // Reference: every episode in one left-padded batch, the token-mean policy gradient over it.
    const batch = buildRlBatch(rows, opts.pad);
    const shape: [number, number] = [batch.batch, batch.length];
    const ref = trainStep(b.model, b.optimizer, (ctx) => tf.tidy(() => {
      const mask = tf.tensor2d(batch.actMask, shape);
      const out = forward(b.model, { tokens: tf.tensor2d(batch.inputs, shape, 'int32'), leftPad: batch.leftPad });
      ctx.metric('ent', maskedEntropy(out.logits, mask));
      return policyGradientLoss(tokenLogProbs(out.logits, tf.tensor2d(batch.targets, shape, 'int32')), tf.tensor2d(batch.advantages, shape), mask);
    }), { lr: opts.lr, maxGradNorm: opts.maxGradNorm });
    expect(got['train/loss']).toBeCloseTo(ref.loss, 5);
    expect(got['train/grad_norm']).toBeCloseTo(ref.gradNorm, 4);
    expect(got['rl/entropy']).toBeCloseTo(ref.metrics.ent!, 5);
    expect(got['train/tokens']).toBe(batch.tokens);
    const after = (m: PolicyModel) => Float32Array.from(m.params[m.names[0]!]!.dataSync());
    const [pa, pb] = [after(a.model), after(b.model)];
    expect(Math.max(...pa.map((x, i) => Math.abs(x - pb[i]!)))).toBeLessThan(1e-5);
    // Micro-batches of 3 rows (gradients accumulated tape by tape, as V-IRL's large steps run): the same step.
    const c = tinyModel(3);
    const micro = rlUpdate(c.model, c.optimizer, task, eps, grpo(), { ...opts, maxMicroRows: 3 });
    expect(micro['train/loss']).toBeCloseTo(ref.loss, 5);
    expect(micro['train/grad_norm']).toBeCloseTo(ref.gradNorm, 4);
    expect(micro['rl/entropy']).toBeCloseTo(ref.metrics.ent!, 5);
    const pc = after(c.model);
    expect(Math.max(...pc.map((x, i) => Math.abs(x - pb[i]!)))).toBeLessThan(1e-5);
    for (const m of [a, b, c]) {
      disposeAdamW(m.optimizer);
      disposeModel(m.model);
    }
  });
});

describe('RL step', () => {
  it('reports its metrics, is a function of (seed, step), and resumes exactly without leaking tensors', () => {
    const cfg = grpo();
    const { model, optimizer } = tinyModel();
    const first = rlStep(input(model, optimizer, 0), cfg);
    for (const k of ['rl/reward', 'rl/success', 'rl/success_first', 'rl/approx_kl', 'rl/clipfrac', 'rl/entropy', 'train/tokens', 'gen/tokens', 'perf/gen_share']) {
      expect(first.metrics, k).toHaveProperty([k]);
    }
    expect(first.episodes).toHaveLength(cfg.promptsPerStep * cfg.groupSize);
    const ckpt = saveCheckpoint(model, optimizer);
    const before = tf.memory().numTensors;
    const next = stable(rlStep(input(model, optimizer, 1), cfg).metrics);
    expect(tf.memory().numTensors).toBe(before);
    const restored = loadCheckpoint(ckpt);
    expect(stable(rlStep(input(restored.model, restored.optimizer!, 1), cfg).metrics)).toEqual(next);
    // A fresh run from the same init gives the same step 0.
    const again = tinyModel();
    expect(stable(rlStep(input(again.model, again.optimizer, 0), cfg).metrics)).toEqual(stable(first.metrics));
    for (const m of [model, restored.model, again.model]) disposeModel(m);
    for (const o of [optimizer, restored.optimizer!, again.optimizer]) disposeAdamW(o);
  });
});
