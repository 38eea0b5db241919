import { beforeAll, describe, expect, it } from 'vitest';
import { createGeneralPointsEnv } from '../../../../../shared/tasks/generalpoints';
import { deck, type Rank } from '../../../../../shared/tasks/generalpoints/cards';
import { dealWithSeed } from '../../../../../shared/tasks/generalpoints/deal';
import { mustResolveVariant } from '../../../../../shared/tasks/generalpoints/rules';
import { createRng } from '../../../../../shared/util/rng';
import { evaluate } from '../../../../../electron/ml/engine/eval';
import type { Episode } from '../../../../../electron/ml/engine/task';
import { GP_EXTRA_WORDS, GP_VL_EXTRA_WORDS, createGpCodec, createGpTokenizer } from '../../../../../electron/ml/tasks/generalpoints/codec';
import { cardsRead, evalHands, gpTaskFor, inRed, type GpEpisode } from '../../../../../electron/ml/tasks/generalpoints/task';
import { loadTask } from '../../../../../electron/ml/tasks';
import { disposeModel } from '../../../../../electron/ml/model';
import { useCpu } from '../../tiny';
import { smallConfig } from '../../engine/fixtures';
import { tinyVlModel, vlCodec as codec, vlTask, VL_IMAGE } from '../../engine/vl-fixtures';

beforeAll(useCpu);

const env = () => createGeneralPointsEnv({ verificationLimit: 3, imageSize: VL_IMAGE });
const visual = { rule: 'face10', colors: 'black', vision: true } as const;

/** An episode whose first attempt is `answer` (tokens), played through the real env. */
function played(seed: number, variant: Record<string, unknown>, answer: (ranks: Rank[], values: number[]) => number[]): GpEpisode {
  const e = env();
  const initial = e.reset({ seed, variant });
  const tokens = answer(initial.observation.state.cards.map((c) => c.rank), initial.observation.state.values);
  const result = e.step(codec.answerToEnvText(tokens));
  const { tokens: prompt, image } = codec.encodeObservation(initial.observation);
  return {
    spec: { seed, variant, split: 'id' }, initial, env: e, success: result.terminated,
    segments: [{ sequence: [...prompt, ...tokens], image, attempts: [{ start: prompt.length, tokens, logProbs: [], values: [], prompt: '', action: codec.answerToEnvText(tokens), result }] }],
  } as unknown as GpEpisode;
}

describe('GP-VL codec', () => {
  it('the prompt holds the rule and target but no cards; the image is the env\'s', () => {
    const e = env();
    const { observation } = e.reset({ seed: 4, variant: visual });
    const { tokens, image } = codec.encodeObservation(observation);
    expect(codec.tokensToText(tokens)).toBe('<bos> rJ n10 rQ n10 rK n10 T n24 >');
    expect(tokens).toHaveLength(codec.promptTokens);
    expect(image).toBe(observation.image);
    expect(image).toMatchObject({ width: 48, height: 24 });
    expect(() => codec.encodeObservation(createGeneralPointsEnv().reset({ seed: 4 }).observation)).toThrow(/needs the card image/);
  });

  it('the answer names the cards first; the env text is the paper\'s cards field, and the codec round-trips', () => {
    const a = codec.encodeAnswer([10, 10, 4, 8], '10*(8/10)*4', [11, 10, 4, 8]);
    expect(codec.tokensToText(a)).toBe('cJ c10 c4 c8 | n10 n10 n4 n8 | n10 * ( n8 / n10 ) * n4 <eos>');
    expect(codec.answerToEnvText(a)).toBe(`{"cards": ['J', '10', '4', '8'], "number": [10, 10, 4, 8], "formula": "10*(8/10)*4"}`);
    expect(codec.decodeAnswer(a)).toEqual({ cards: ['J', '10', '4', '8'], numbers: [10, 10, 4, 8], formula: '10*(8/10)*4', hasSeparator: true });
    expect(() => codec.encodeAnswer([1, 2, 3, 4], '1*2*3*4')).toThrow(/cards field/);
    expect(codec.contextFor(3)).toBe(10 + 25 * 2 + 22);
    // The longest formula (11 units) with four cards fits the 22-token budget.
    expect(codec.encodeAnswer([10, 10, 10, 10], '(10*10-10)/10', [13, 13, 13, 13]).length).toBeLessThanOrEqual(codec.maxAnswerTokens);
  });

  it('the VL vocabulary only appends to the GP-L one (every GP-L id keeps its meaning)', () => {
    const l = createGpTokenizer().toJSON().words;
    const vl = createGpTokenizer(true).toJSON().words;
    expect(vl.slice(0, l.length)).toEqual(l);
    expect(vl.slice(l.length)).toEqual([...GP_VL_EXTRA_WORDS]);
    expect(GP_EXTRA_WORDS).not.toContain('F_card');
    expect(createGpCodec().imageSize).toBeNull();
  });

  it('a wrong card list scores −1.5 and nothing else, even with a correct formula; its block says F_card', () => {
    const e = env();
    const { observation, info } = e.reset({ seed: 11, variant: visual });
    const ranks = observation.state.cards.map((c) => c.rank);
    const formula = info.solutions![0]!;
    const good = codec.encodeAnswer(observation.state.values, formula, ranks);
    const swapped = [...ranks].reverse(); // same cards in another order: still read right (sorted, as the paper)
    const misread = ranks.map((r, i) => (i === 0 ? (((r % 13) + 1) as Rank) : r));
    const wrong = codec.encodeAnswer(observation.state.values, formula, misread);
    const r1 = e.step(codec.answerToEnvText(wrong));
    expect(r1.reward).toBe(-1.5);
    expect(r1.info.verdict).toBe('wrong_cards');
    expect(r1.info.formula).toBeNull(); // nothing else was scored
    const block = codec.encodeRetry(wrong, r1);
    expect(codec.unit(block[codec.maxAnswerTokens]!)).toBe('F_card');
    expect(codec.unit(block[codec.maxAnswerTokens + 1]!)).toBe('F_na');
    const r2 = e.step(codec.answerToEnvText(codec.encodeAnswer(observation.state.values, formula, swapped)));
    expect(r2.info.verdict).toBe('correct');
    expect(r2.reward).toBe(5);
    expect(good.length).toBeLessThanOrEqual(codec.maxAnswerTokens);
  });
});

describe('GP-VL task', () => {
  it('visual variant: train and ID on black suits, OOD on red, rule J/Q/K = 10; rule variant: black, 10 → 11/12/13', () => {
    const colours = (variant: Record<string, unknown>) => new Set(Array.from({ length: 30 }, (_, i) => env().reset({ seed: i, variant }).observation.state.cards.map((c) => c.suit)).flat());
    const v = vlTask.variants;
    expect(v.train).toEqual({ rule: 'face10', colors: 'black', vision: true });
    expect(colours(v.id)).toEqual(new Set(['S', 'C']));
    expect(colours(v.ood)).toEqual(new Set(['H', 'D']));
    expect(v.ood).toMatchObject({ rule: 'face10', vision: true });
    const rule = gpTaskFor({ modality: 'vision-language', variant: 'rule', image: VL_IMAGE }).variants;
    expect(rule.id).toEqual({ rule: 'face10', requireFace: true, colors: 'black', vision: true });
    expect(rule.ood).toEqual({ rule: 'face11-13', requireFace: true, colors: 'black', vision: true });
    expect(colours(rule.ood)).toEqual(new Set(['S', 'C']));
    // Training episodes and expert examples show images of black hands only.
    const specs = vlTask.trainingEpisodes(createRng(1), 20);
    expect(specs.every((s) => s.variant.colors === 'black' && s.variant.vision === true)).toBe(true);
    const ex = vlTask.expertExamples(createRng(2), 10, 'canonical');
    for (const x of ex) {
      expect(x.image).toMatchObject({ width: 48, height: 24 });
      const cards = codec.tokensToText(x.answer).split(' | ')[0]!;
      expect(cards).toMatch(/^c\S+ c\S+ c\S+ c\S+$/);
    }
  });

  it('the visual variant needs images: a language config asking for it is refused by name', () => {
    expect(() => gpTaskFor({ modality: 'language', variant: 'visual' })).toThrow('the visual variant of GeneralPoints shows card images: set modality to vision-language');
    expect(() => gpTaskFor({ modality: 'vision-language', variant: 'visual' })).toThrow(/needs an image block/);
  });

  it('loadTask builds the task of the experiment: GP-VL at the image block\'s size', async () => {
    const t = await loadTask({ task: 'generalpoints', modality: 'vision-language', variant: 'visual', image: VL_IMAGE });
    expect(t.imageSize).toEqual({ width: 48, height: 24 });
    expect((await loadTask({ task: 'generalpoints', modality: 'language', variant: 'rule' })).imageSize).toBeUndefined();
    // A card-sized (non-square) image block is refused for V-IRL-VL by name.
    await expect(loadTask({ task: 'virl', modality: 'vision-language', variant: 'visual', image: VL_IMAGE })).rejects.toThrow(/V-IRL street views are a square/);
  });

  it('the red probe deals the same ranks in the same places, spades → hearts and clubs → diamonds', () => {
    const black = evalHands(20250117, 'id', 40, vlTask.variants);
    const red = inRed(black);
    const map: Record<string, string> = { S: 'H', C: 'D' };
    for (const [i, b] of black.entries()) {
      const hb = dealWithSeed(b.seed, mustResolveVariant(b.variant))!;
      const hr = dealWithSeed(red[i]!.seed, mustResolveVariant(red[i]!.variant))!;
      if (!hb.ok || !hr.ok) throw new Error('deal failed');
      expect(hr.hand.cards).toEqual(hb.hand.cards.map((c) => ({ rank: c.rank, suit: map[c.suit] })));
    }
    expect(deck('black').map((c) => c.rank)).toEqual(deck('red').map((c) => c.rank));
  });

  it('recognition: all four cards right as a multiset at the first attempt; per-card accuracy in place; red hands apart', () => {
    const right = played(1, visual, (r, v) => codec.encodeAnswer(v, '1', [...r].reverse()));
    const oneWrong = played(2, visual, (r, v) => codec.encodeAnswer(v, '1', r.map((x, i) => (i === 0 ? (((x % 13) + 1) as Rank) : x))));
    const redRight = played(3, { ...visual, colors: 'red' }, (r, v) => codec.encodeAnswer(v, '1', r));
    expect(cardsRead(codec, right)).toMatchObject({ all: true, red: false });
    expect(cardsRead(codec, oneWrong)).toEqual({ all: false, inPlace: 3, red: false });
    expect(cardsRead(codec, redRight)).toEqual({ all: true, inPlace: 4, red: true });
    const m = vlTask.evalMetrics([right, oneWrong, redRight] as Episode[] as GpEpisode[], 'id', 3);
    expect(m['eval/id/recognition']).toBeCloseTo(2 / 3, 10);
    expect(m['eval/id/recognition_red']).toBe(1);
    expect(m['eval/id/card_accuracy']).toBeCloseTo((cardsRead(codec, right).inPlace + 3 + 4) / 12, 10);
  });

  it('every evaluation logs recognition for ID and OOD, and for the ID hands in red (probe)', () => {
    const { model } = tinyVlModel(3);
    const cfg = { ...smallConfig().eval, idEpisodes: 3, oodEpisodes: 3 };
    const id = evaluate(model, vlTask, cfg, 'id', { kind: 'checkpoint', name: 't' });
    const ood = evaluate(model, vlTask, cfg, 'ood', { kind: 'checkpoint', name: 't' });
    for (const k of ['eval/id/recognition', 'eval/id/card_accuracy', 'eval/id/red/recognition', 'eval/id/red/recognition_red', 'eval/id/red/success', 'eval/id/red/success_first', 'eval/id/red/episodes']) expect(id.metrics[k]).toBeTypeOf('number');
    expect(id.metrics['eval/id/red/episodes']).toBe(3);
    expect(id.metrics['eval/id/recognition_red']).toBeUndefined(); // the ID hands are black
    for (const k of ['eval/ood/recognition', 'eval/ood/recognition_red', 'eval/ood/card_accuracy']) expect(ood.metrics[k]).toBeTypeOf('number');
    expect(id.episodes).toHaveLength(3); // the probe's episodes are not mixed into the split's file
    disposeModel(model);
  });
});
