import { beforeAll, describe, expect, it } from 'vitest';
import { episodeRecordSchema } from '../../../../shared/api/episode';
import { createGeneralPointsEnv } from '../../../../shared/tasks/generalpoints';
import { evaluate } from '../../../../electron/ml/engine/eval';
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
});
