import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { episodeRecordSchema } from '../../../../shared/api/episode';
import { verifyAnswer } from '../../../../shared/tasks/generalpoints';
import { createRng } from '../../../../shared/util/rng';
import { buildRlBatch, rlRows } from '../../../../electron/ml/engine/rl-batch';
import { rollout } from '../../../../electron/ml/engine/rollout';
import { sftStep } from '../../../../electron/ml/engine/sft';
import type { EpisodeSpec } from '../../../../electron/ml/engine/task';
import { episodeHand, solvedAt } from '../../../../electron/ml/tasks/generalpoints/task';
import { disposeAdamW, disposeModel, forward, tokenLogProbs } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { codec, smallConfig, stepInput, task, tinyModel } from './fixtures';

beforeAll(useCpu);

const actor = { kind: 'checkpoint' as const, name: 'test@0', step: 0 };
const hands = (n: number): EpisodeSpec[] => Array.from({ length: n }, (_, i) => ({ seed: 100 + i, variant: { rule: 'face10' }, split: 'id' }));

describe('multi-turn rollout through the real env', () => {
  // A few SFT steps so some answers are well-formed and the verdicts vary.
  const { model, optimizer } = tinyModel(3);
  const warm = () => {
    for (let s = 0; s < 3; s++) sftStep(stepInput(model, optimizer, s, 'sft', 1, 1e-2), smallConfig().sft);
  };

  it('produces valid episode records with ≤ V attempts and the verifier\'s verdicts', () => {
    warm();
    const V = 3;
    const ro = rollout(model, task, { episodes: hands(8), verificationLimit: V, temperature: 1, rng: createRng(1), actor });
    expect(ro.episodes).toHaveLength(8);
    for (const e of ro.episodes) {
      expect(() => episodeRecordSchema.parse(e.record)).not.toThrow();
      expect(e.segments).toHaveLength(1);
      const { attempts, sequence } = e.segments[0]!;
      expect(attempts.length).toBeGreaterThanOrEqual(1);
      expect(attempts.length).toBeLessThanOrEqual(V);
      expect(e.record.steps).toHaveLength(attempts.length);
      expect(e.record.actor).toEqual(actor);
      expect(e.success).toBe(solvedAt(e) > 0);
      expect(e.record.success).toBe(e.success);
      // Episodes stop at the first correct attempt; unsolved ones use all V.
      if (!e.success) expect(attempts).toHaveLength(V);
      attempts.forEach((a, k) => {
        const step = e.record.steps[k]!;
        expect(step.verdict).toBe(verifyAnswer(episodeHand(e), a.action).verdict);
        expect(step.output).toBe(codec.tokensToText(a.tokens));
        expect(a.start).toBe(codec.promptTokens + k * codec.blockTokens);
        expect(sequence.slice(a.start, a.start + a.tokens.length)).toEqual(a.tokens);
        // The recorded prompt is what the model read: every token before the attempt.
        expect(step.prompt).toBe(codec.tokensToText(sequence.slice(0, a.start)));
        if (k < attempts.length - 1) {
          const block = sequence.slice(a.start, a.start + codec.blockTokens);
          expect(codec.unit(block[codec.maxAnswerTokens]!)).toMatch(/^F_(val|num|parse)$/);
        }
      });
      expect(e.record.steps[0]!.prompt).toMatch(/^<bos> rJ n10 rQ n10 rK n10 T n24 c\S+ c\S+ c\S+ c\S+ >$/);
    }
  });

  it('log-probs from one forward pass over the final sequence match sampling time', () => {
    const ro = rollout(model, task, { episodes: hands(6), verificationLimit: 3, temperature: 1, rng: createRng(2), actor });
    const zeros = ro.episodes.map((e) => e.segments[0]!.attempts.map(() => 0));
    const b = buildRlBatch(rlRows(ro.episodes, zeros, zeros), codec.tokenizer.pad);
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
    const a = rollout(model, task, { episodes: hands(5), verificationLimit: 2, temperature: 0, actor, createdAt: 'x' });
    const b = rollout(model, task, { episodes: hands(5), verificationLimit: 2, temperature: 0, actor, createdAt: 'x', maxBatch: 2 });
    expect(a.episodes.map((e) => e.record)).toEqual(b.episodes.map((e) => e.record));
    expect(tf.memory().numTensors).toBe(before);
    disposeAdamW(optimizer);
    disposeModel(model);
  });
});
