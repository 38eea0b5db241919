import { beforeAll, describe, expect, it } from 'vitest';
import { episodeRecordSchema } from '../../../../shared/api/episode';
import { createGeneralPointsEnv } from '../../../../shared/tasks/generalpoints';
import { evaluate, evaluatePassAtK, passAtK } from '../../../../electron/ml/engine/eval';
import { evalHands } from '../../../../electron/ml/tasks/generalpoints/task';
import { disposeModel } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { smallConfig, stable, task, tinyModel } from './fixtures';

beforeAll(useCpu);

describe('evaluation', () => {
  it('uses fixed hand sets with a face card under each split\'s rule', () => {
    const a = evalHands(42, 'ood', 30);
    expect(evalHands(42, 'ood', 30)).toEqual(a);
    expect(evalHands(43, 'ood', 30)).not.toEqual(a);
    for (const split of ['id', 'ood'] as const) {
      for (const h of evalHands(42, split, 30)) {
        const env = createGeneralPointsEnv({ verificationLimit: 3 });
        env.reset({ seed: h.seed, variant: h.variant });
        const hand = env.currentHand!;
        expect(hand.cards.some((c) => c.rank >= 11)).toBe(true);
        expect(hand.values.some((v) => v > 10)).toBe(split === 'ood');
      }
    }
  });

  it('reports success, first-attempt success, turn counts and the face-card diagnostics', () => {
    const { model } = tinyModel();
    const cfg = smallConfig().eval;
    const actor = { kind: 'checkpoint' as const, name: 'rl@0', runId: 'r1', step: 0 };
    const ood = evaluate(model, task, cfg, 'ood', actor, { createdAt: 't' });
    expect(ood.episodes).toHaveLength(cfg.oodEpisodes);
    for (const e of ood.episodes) {
      expect(() => episodeRecordSchema.parse(e)).not.toThrow();
      expect(e.split).toBe('ood');
      expect(e.actor).toEqual(actor);
    }
    const m = ood.metrics;
    for (const k of ['success', 'success_first', 'solved_at_1', 'solved_at_2', 'solved_at_3', 'face_as_10', 'face_card_as_10', 'solved_as_face10', 'numbers_correct', 'gen_tokens']) {
      expect(m, k).toHaveProperty([`eval/ood/${k}`]);
    }
    const solved = m['eval/ood/solved_at_1']! + m['eval/ood/solved_at_2']! + m['eval/ood/solved_at_3']!;
    expect(m['eval/ood/success']).toBeCloseTo(solved / cfg.oodEpisodes, 9);
    // Greedy: the same checkpoint gives the same numbers and episodes.
    const again = evaluate(model, task, cfg, 'ood', actor, { createdAt: 't' });
    expect(stable(again.metrics)).toEqual(stable(m));
    expect(again.episodes).toEqual(ood.episodes);
    const id = evaluate(model, task, cfg, 'id', actor, { episodes: 5 });
    expect(id.episodes).toHaveLength(5);
    expect(id.metrics).not.toHaveProperty(['eval/id/face_as_10']);
    disposeModel(model);
  });
  it('logs the answers\' entropy and distinct-answer ratio, and KL to the init: 0 against itself, positive against another model', () => {
    const a = tinyModel(1).model;
    const b = tinyModel(2).model;
    const cfg = smallConfig().eval;
    const actor = { kind: 'checkpoint' as const, name: 'x' };
    const self = evaluate(a, task, cfg, 'ood', actor, { reference: a }).metrics;
    expect(self['eval/ood/kl_init']).toBeCloseTo(0, 5);
    expect(self['eval/ood/entropy']).toBeGreaterThan(0);
    // An untrained model never solves: every episode retries, and its distinct share is in (0, 1].
    expect(self['eval/ood/distinct_ratio']).toBeGreaterThan(0);
    expect(self['eval/ood/distinct_ratio']).toBeLessThanOrEqual(1);
    expect(evaluate(a, task, cfg, 'ood', actor, { reference: b }).metrics['eval/ood/kl_init']).toBeGreaterThan(0.001);
    expect(evaluate(a, task, cfg, 'ood', actor).metrics['eval/ood/kl_init']).toBeUndefined();
    disposeModel(a);
    disposeModel(b);
  });
  it('pass@k: the unbiased estimator, and k = 1, 2, 4 … at temperature 1 on the fixed set, never falling with k', () => {
    expect(passAtK(4, 1, 1)).toBeCloseTo(0.25, 12);
    expect(passAtK(4, 1, 2)).toBeCloseTo(0.5, 12);
    expect(passAtK(16, 3, 4)).toBeCloseTo(1 - (13 * 12 * 11 * 10) / (16 * 15 * 14 * 13), 12);
    expect(passAtK(4, 0, 4)).toBe(0);
    expect(passAtK(4, 4, 1)).toBe(1);
    expect(() => passAtK(2, 1, 4)).toThrow(/at least 4 samples/);
    const { model } = tinyModel();
    const m = evaluatePassAtK(model, task, smallConfig().eval, 'id', 3, 4);
    expect(Object.keys(m).sort()).toEqual(['eval/id/pass@1', 'eval/id/pass@2', 'eval/id/pass@4']);
    expect(m['eval/id/pass@2']!).toBeGreaterThanOrEqual(m['eval/id/pass@1']!);
    expect(m['eval/id/pass@4']!).toBeGreaterThanOrEqual(m['eval/id/pass@2']!);
    disposeModel(model);
  });
});
