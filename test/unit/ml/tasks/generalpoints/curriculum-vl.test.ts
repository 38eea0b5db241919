import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAnswer } from '../../../../../shared/tasks/generalpoints';
import { RANKS, SUITS, suitColor, type Card } from '../../../../../shared/tasks/generalpoints/cards';
import { renderCards } from '../../../../../shared/tasks/generalpoints/image';
import { createRng } from '../../../../../shared/util/rng';
import { recognitionExample, recognitionPrompt, vlCurriculumExample } from '../../../../../electron/ml/tasks/generalpoints/curriculum-vl';
import { curriculumExample } from '../../../../../electron/ml/tasks/generalpoints/curriculum';
import { useCpu } from '../../tiny';
import { vlCodec as codec, vlTask, VL_IMAGE } from '../../engine/vl-fixtures';

beforeAll(useCpu);

describe('GP-VL base curriculum', () => {
  const N = 3000;
  const examples = (() => {
    const rng = createRng(11);
    return Array.from({ length: N }, () => vlCurriculumExample(rng, codec, { maxAttempts: 3 }));
  })();

  it('recognises every rank and suit, singly and in hands, red as often as black and independently of the rank', () => {
    const rec = examples.filter((e) => e.kind === 'recognition');
    expect(rec.length / N).toBeGreaterThan(0.35);
    expect(rec.length / N).toBeLessThan(0.45);
    const singles = rec.filter((e) => e.cards.length === 1).length;
    expect(singles / rec.length).toBeGreaterThan(0.4);
    expect(rec.filter((e) => e.cards.length === 4).length).toBe(rec.length - singles);
    const cards = examples.flatMap((e) => e.cards);
    for (const r of RANKS) {
      const ofRank = cards.filter((c) => c.rank === r);
      const red = ofRank.filter((c) => suitColor(c.suit) === 'red').length / ofRank.length;
      // Colour carries no label: about half of every rank is red.
      expect(red).toBeGreaterThan(0.4);
      expect(red).toBeLessThan(0.6);
    }
    for (const s of SUITS) expect(cards.filter((c) => c.suit === s).length / cards.length).toBeGreaterThan(0.2);
    // Rule examples show mixed-suit hands too, not only recognition.
    const ruleCards = examples.filter((e) => e.kind === 'rule').flatMap((e) => e.cards);
    expect(ruleCards.filter((c) => suitColor(c.suit) === 'red').length / ruleCards.length).toBeGreaterThan(0.4);
  });

  it('a recognition example is the hand layout with the card in its slot (others empty), answered left to right', () => {
    const rng = createRng(5);
    for (let i = 0; i < 40; i++) {
      const e = recognitionExample(rng, codec);
      expect(e.prompt).toEqual(recognitionPrompt(codec));
      expect(codec.tokensToText(e.answer)).toBe([...e.cards.map((c) => `c${c.rank === 1 ? 'A' : c.rank === 11 ? 'J' : c.rank === 12 ? 'Q' : c.rank === 13 ? 'K' : c.rank}`), '<eos>'].join(' '));
      if (e.cards.length === 4) expect(e.image).toEqual(renderCards(e.cards, VL_IMAGE));
      else {
        const slot = [0, 1, 2, 3].find((k) => {
          const slots: (Card | null)[] = [null, null, null, null];
          slots[k] = e.cards[0]!;
          return JSON.stringify(renderCards(slots, VL_IMAGE).data) === JSON.stringify(e.image!.data);
        });
        expect(slot).toBeTypeOf('number');
      }
    }
  });

  it('never the in-distribution task: every prompt states a rule other than J/Q/K = 10 and 11/12/13, or asks only to read', () => {
    const id = ['rJ n10 rQ n10 rK n10', 'rJ n11 rQ n12 rK n13'];
    for (const e of examples) {
      const text = codec.tokensToText(e.prompt);
      if (e.kind === 'recognition') expect(text).toBe('<bos> R >');
      else for (const r of id) expect(text.startsWith(`<bos> ${r} `)).toBe(false);
      expect(e.image).toMatchObject({ width: 48, height: 24 });
    }
    // The engine's curriculum batches all carry images.
    expect(vlTask.curriculumExamples(createRng(1), 16, { multiTurn: false, maxAttempts: 1 }).every((e) => e.image !== undefined)).toBe(true);
  });

  it('rule examples answer in the GP-VL format; multi-turn ones include misread-card attempts with F_card feedback', () => {
    const rng = createRng(3);
    let cardBlocks = 0;
    for (let i = 0; i < 300; i++) {
      const e = curriculumExample(rng, codec, { maxAttempts: 3 });
      expect(e.hand.variant.vision).toBe(true);
      expect(verifyAnswer(e.hand, codec.answerToEnvText(e.answer)).verdict).toBe('correct');
      const blocks = (e.prompt.length - codec.promptTokens) / codec.blockTokens;
      for (let k = 0; k < blocks; k++) {
        const block = e.prompt.slice(codec.promptTokens + k * codec.blockTokens, codec.promptTokens + (k + 1) * codec.blockTokens);
        if (codec.unit(block[codec.maxAnswerTokens]!) === 'F_card') cardBlocks++;
      }
    }
    expect(cardBlocks).toBeGreaterThan(20);
  });
});
