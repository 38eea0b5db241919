/**
 * A dealt hand: four cards under a resolved variant, with their values and solutions.
 */
import { rankLabel, type Card } from './cards';
import { valueOf, type ResolvedVariant } from './rules';
import { solveAll } from './solver';

export interface GpHand {
  /** The four cards in dealt order. */
  cards: Card[];
  /** Each card's value under the variant's value map, in card order. */
  values: number[];
  /** The variant the hand was dealt under (rule, values, target, colours, vision…). */
  variant: ResolvedVariant;
}

export function makeHand(cards: Card[], variant: ResolvedVariant): GpHand {
  return { cards, values: cards.map((c) => valueOf(variant.values, c.rank)), variant };
}

/** The paper's "Plain Cards": rank labels in dealt order, e.g. ['A', '3', 'K', '6']. */
export function handLabels(hand: GpHand): string[] {
  return hand.cards.map((c) => rankLabel(c.rank));
}

/** All distinct solutions, canonical first (cached per value multiset). */
export function handSolutions(hand: GpHand): readonly string[] {
  return solveAll(hand.values, hand.variant.target);
}

/** The cards for a feedback sentence: `7, 3, 10, 2`, or `J (10), 3, 7, A (1)` where a label is not its value. */
export function describeCards(hand: GpHand): string {
  return hand.cards
    .map((c, i) => {
      const label = rankLabel(c.rank);
      const v = String(hand.values[i]);
      return label === v ? label : `${label} (${v})`;
    })
    .join(', ');
}
