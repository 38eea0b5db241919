import { describe, expect, it } from 'vitest';
import { dealHand, handFromCards, solveAll, VALUE_MAPS } from '../../../../shared/tasks/generalpoints/index';

function deal(seed: number, v: Parameters<typeof dealHand>[0] extends infer O ? Omit<O, 'seed'> : never) {
  const d = dealHand({ seed, ...v });
  if (!d.ok) throw new Error(d.error);
  return d.value;
}

describe('dealing', () => {
  it('without replacement (default): 4 distinct cards, always solvable', () => {
    for (let s = 0; s < 200; s++) {
      const d = deal(s, {});
      expect(new Set(d.hand.cards.map((c) => `${c.rank}${c.suit}`)).size).toBe(4);
      expect(d.solutions.length).toBeGreaterThan(0);
      expect(d.split).toBe('id');
    }
  });

  it('face11-13: at least one face card, values 11/12/13, split ood', () => {
    for (let s = 0; s < 100; s++) {
      const d = deal(s, { rule: 'face11-13' });
      expect(d.hand.cards.some((c) => c.rank >= 11)).toBe(true);
      d.hand.cards.forEach((c, i) => expect(d.values[i]).toBe(c.rank));
      expect(d.split).toBe('ood');
    }
  });

  it('suit colours restrict every card; red is the visual OOD split', () => {
    for (let s = 0; s < 50; s++) {
      expect(deal(s, { colors: 'black' }).hand.cards.every((c) => c.suit === 'S' || c.suit === 'C')).toBe(true);
      const red = deal(s, { colors: 'red' });
      expect(red.hand.cards.every((c) => c.suit === 'H' || c.suit === 'D')).toBe(true);
      expect(red.split).toBe('ood');
    }
  });

  it('with replacement: the reference draw can repeat a card', () => {
    let repeats = 0;
    for (let s = 0; s < 400; s++) {
      const d = deal(s, { draw: 'with-replacement', colors: 'black' });
      if (new Set(d.hand.cards.map((c) => `${c.rank}${c.suit}`)).size < 4) repeats++;
    }
    expect(repeats).toBeGreaterThan(0);
  });

  it('custom values and target', () => {
    const values = VALUE_MAPS.face10.map((v, i) => (i === 0 ? 11 : v));
    const d = deal(5, { values, target: 30 });
    expect(d.hand.variant.customValues).toBe(true);
    expect(solveAll(d.values, 30).length).toBeGreaterThan(0);
    expect(d.paperPrompt).toContain("'A' counts as '11'.");
    expect(dealHand({ seed: 1, values: Array(13).fill(0) }).ok).toBe(false);
    expect(dealHand({ seed: 1, rule: 'face12' as never })).toEqual({ ok: false, error: 'unknown rule "face12" (use face10 or face11-13)' });
  });

  it('cards from text: suits optional, errors readable', () => {
    const h = handFromCards('QS 10h 4 A♣');
    expect(h.ok && h.value.cards).toEqual([{ rank: 12, suit: 'S' }, { rank: 10, suit: 'H' }, { rank: 4, suit: 'H' }, { rank: 1, suit: 'C' }]);
    expect(handFromCards('J,3,7')).toEqual({ ok: false, error: 'a hand has 4 cards, got 3 (J, 3, 7)' });
    expect(handFromCards('J,3,7,Z').ok).toBe(false);
  });
});
