import { beforeAll, describe, expect, it } from 'vitest';
import { renderCards } from '../../../shared/tasks/generalpoints/image';
import { createRng } from '../../../shared/util/rng';
import { rollout } from '../../../electron/ml/engine/rollout';
import { toEpisodeView } from '../../../renderer/src/pages/cards/episodes';
import { disposeModel } from '../../../electron/ml/model';
import { useCpu } from '../ml/tiny';
import { task as textTask, tinyModel } from '../ml/engine/fixtures';
import { tinyVlModel, vlCodec, vlTask, VL_IMAGE } from '../ml/engine/vl-fixtures';

beforeAll(useCpu);

const actor = { kind: 'checkpoint' as const, name: 't@0', step: 0 };

describe('card inspector: a trained VL agent\'s episode', () => {
  it('shows the image the model saw (re-rendered from the record) beside the cards each attempt read', () => {
    const { model } = tinyVlModel(4);
    const ro = rollout(model, vlTask, { episodes: [{ seed: 9, variant: { rule: 'face10', colors: 'red', vision: true }, split: 'ood' }], verificationLimit: 2, temperature: 1, rng: createRng(1), actor });
    const played = ro.episodes[0]!;
    // Through JSON, as the browser reads an episodes file.
    const view = toEpisodeView(JSON.parse(JSON.stringify(played.record)), 1);
    expect(view.image).toEqual(renderCards(played.initial.observation.state.cards, VL_IMAGE));
    expect(view.image!.data).toEqual(played.segments[0]!.image!.data);
    expect(view.reads).toHaveLength(played.segments[0]!.attempts.length);
    played.segments[0]!.attempts.forEach((a, i) => {
      const read = vlCodec.decodeAnswer(a.tokens).cards!.map((c) => c ?? '?');
      expect(view.reads[i]!.cards).toEqual(read);
      expect(view.reads[i]!.right).toBe(a.result.info.verdict !== 'wrong_cards');
    });
    disposeModel(model);
  });

  it('a right reading in another order counts as right; a text episode has no image', () => {
    const base = toEpisodeView(JSON.parse(JSON.stringify(rollout(tinyModel().model, textTask, { episodes: [{ seed: 1, variant: { rule: 'face10' }, split: 'id' }], verificationLimit: 1, temperature: 0, actor }).episodes[0]!.record)), 1);
    expect(base.image).toBeNull();
    expect(base.reads).toEqual([]);
    const rec = {
      format: 1, envId: 'GeneralPoints-v0', variant: { rule: 'face10', colors: 'black', vision: true }, seed: 1, split: 'id', actor,
      initial: { cards: [{ rank: 11, suit: 'S' }, { rank: 10, suit: 'C' }, { rank: 4, suit: 'S' }, { rank: 8, suit: 'C' }], values: [10, 10, 4, 8], imageSize: { width: 96, height: 48 } },
      steps: [
        { prompt: '', output: '', parsed: { cards: ['8', '4', '10', 'J'] }, reward: -1, feedback: '', verdict: 'wrong_value', terminated: false, truncated: false, info: {} },
        { prompt: '', output: '', parsed: { cards: ['8', '4', '10', 'Q'] }, reward: -1.5, feedback: '', verdict: 'wrong_cards', terminated: false, truncated: true, info: {} },
      ],
      success: false, createdAt: '2026-01-01T00:00:00Z',
    };
    const v = toEpisodeView(rec as never, 1);
    expect(v.reads.map((r) => r.right)).toEqual([true, false]);
    expect(v.image).toEqual(renderCards(rec.initial.cards as never, { width: 96, height: 48 }));
  });
});
