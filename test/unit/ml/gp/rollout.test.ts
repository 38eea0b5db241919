import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { episodeRecordSchema } from '../../../../shared/api/episode';
import { verifyAnswer } from '../../../../shared/tasks/generalpoints';
import { createRng } from '../../../../shared/util/rng';
import { buildRlBatch, rollout, sftStep, type RolloutHand } from '../../../../electron/ml/gp';
import { disposeAdamW, disposeModel, forward, tokenLogProbs } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { codec, smallConfig, tinyModel } from './fixtures';

beforeAll(useCpu);

const actor = { kind: 'checkpoint' as const, name: 'test@0', step: 0 };
const hands = (n: number): RolloutHand[] => Array.from({ length: n }, (_, i) => ({ seed: 100 + i, variant: { rule: 'face10' }, split: 'id' }));

describe('multi-turn rollout through the real env', () => {
  // A few SFT steps so some answers are well-formed and the verdicts vary.
  const { model, optimizer } = tinyModel(3);
  const warm = () => {
    for (let s = 0; s < 3; s++) sftStep({ model, optimizer, codec, seed: 1, stageId: 'sft', step: s }, smallConfig().sft);
  };

  it('produces valid episode records with ≤ V attempts and the verifier\'s verdicts', () => {
    warm();
    const V = 3;
    const ro = rollout(model, codec, { hands: hands(8), verificationLimit: V, temperature: 1, rng: createRng(1), actor });
    expect(ro.episodes).toHaveLength(8);
    for (const e of ro.episodes) {
      expect(() => episodeRecordSchema.parse(e.record)).not.toThrow();
      expect(e.attempts.length).toBeGreaterThanOrEqual(1);
      expect(e.attempts.length).toBeLessThanOrEqual(V);
      expect(e.record.steps).toHaveLength(e.attempts.length);
      expect(e.record.actor).toEqual(actor);
      expect(e.success).toBe(e.solvedAt > 0);
      // Episodes stop at the first correct attempt; unsolved ones use all V.
      if (!e.success) expect(e.attempts).toHaveLength(V);
      e.attempts.forEach((a, k) => {
        const step = e.record.steps[k]!;
        expect(step.verdict).toBe(verifyAnswer(e.hand, a.envText).verdict);
        expect(step.output).toBe(codec.tokensToText(a.tokens));
        expect(a.start).toBe(codec.promptTokens + k * codec.blockTokens);
        expect(e.sequence.slice(a.start, a.start + a.tokens.length)).toEqual(a.tokens);
        if (k < e.attempts.length - 1) {
          const block = e.sequence.slice(a.start, a.start + codec.blockTokens);
          expect(codec.unit(block[codec.maxAnswerTokens]!)).toMatch(/^F_(val|num|parse)$/);
        }
      });
      expect(e.record.steps[0]!.prompt).toMatch(/^target 24 rule J=10 Q=10 K=10\ncards /);
    }
  });

  it('log-probs from one forward pass over the final sequence match sampling time', () => {
    const ro = rollout(model, codec, { hands: hands(6), verificationLimit: 3, temperature: 1, rng: createRng(2), actor });
    const zeros = ro.episodes.map((e) => e.attempts.map(() => 0));
    const b = buildRlBatch(ro.episodes, zeros, zeros, codec.tokenizer.pad);
    const lp = tf.tidy(() => {
      const out = forward(model, { tokens: tf.tensor2d(b.inputs, [b.batch, b.length], 'int32'), leftPad: b.leftPad });
      return tokenLogProbs(out.logits, tf.tensor2d(b.targets, [b.batch, b.length], 'int32'));
    });
    const got = lp.dataSync();
    lp.dispose();
    let checked = 0;
    b.actMask.forEach((m, i) => {
      if (m === 0) return;
      expect(got[i]).toBeCloseTo(b.oldLogProbs[i]!, 3);
      checked++;
    });
    expect(checked).toBe(ro.sampledTokens);
  });

  it('greedy rollouts are deterministic and leak no tensors', () => {
    const before = tf.memory().numTensors;
    const a = rollout(model, codec, { hands: hands(5), verificationLimit: 2, temperature: 0, actor, createdAt: 'x' });
    const b = rollout(model, codec, { hands: hands(5), verificationLimit: 2, temperature: 0, actor, createdAt: 'x', maxBatch: 2 });
    expect(a.episodes.map((e) => e.record)).toEqual(b.episodes.map((e) => e.record));
    expect(tf.memory().numTensors).toBe(before);
    disposeAdamW(optimizer);
    disposeModel(model);
  });
});
