/**
 * Seeded dealing. A hand is redrawn until it is solvable under the active rule (and has a face
 * card where the variant requires one), as the reference's `reset` does; solvability is a table
 * lookup, so this costs microseconds.
 */
import { createRng, type Rng } from '../../util/rng';
import { RANKS, SUITS_BY_COLORS, deck, isFaceRank, type Card, type Rank } from './cards';
import { makeHand, type GpHand } from './hand';
import { allRankMultisets, solvableTable, isSolvableRanks } from './solvable';
import type { ResolvedVariant } from './rules';

/** 4 distinct cards from the deck of the allowed suits (the paper's "without replacement"). */
function drawWithoutReplacement(rng: Rng, v: ResolvedVariant): Card[] {
  const cards = deck(v.colors);
  for (let i = 0; i < 4; i++) {
    const j = i + rng.int(cards.length - i);
    [cards[i], cards[j]] = [cards[j] as Card, cards[i] as Card];
  }
  return cards.slice(0, 4);
}

/**
 * The reference's `_generate_cards`: ranks independent and uniform; with a face card required,
 * three uniform ranks plus one J/Q/K, shuffled; suits independent and uniform among those allowed.
 */
function drawWithReplacement(rng: Rng, v: ResolvedVariant): Card[] {
  let ranks: Rank[] = [0, 1, 2, 3].map(() => rng.pick(RANKS));
  if (v.requireFace) ranks = rng.shuffle([...ranks.slice(0, 3), (11 + rng.int(3)) as Rank]);
  return ranks.map((rank) => ({ rank, suit: rng.pick(SUITS_BY_COLORS[v.colors]) }));
}

/** Whether the variant can deal any hand at all (a custom target or value map may make none solvable). */
export function canDeal(v: ResolvedVariant): boolean {
  const table = solvableTable(v.values, v.target);
  return allRankMultisets().some((ranks, i) => table[i] === 1 && (!v.requireFace || ranks.some(isFaceRank)));
}

/** Draws from an existing generator (the env keeps one per episode). Returns an error message when no hand can be dealt. */
export function drawHand(rng: Rng, v: ResolvedVariant): { ok: true; hand: GpHand } | { ok: false; error: string } {
  if (!canDeal(v)) {
    return { ok: false, error: `no ${v.requireFace ? 'hand with a face card' : 'hand'} can make ${v.target} under these card values` };
  }
  // The cap only matters for odd custom rules whose few solvable hands need three or four cards
  // of one rank, which a two-suit deck without replacement cannot deal.
  for (let tries = 0; tries < 200_000; tries++) {
    const cards = v.draw === 'with-replacement' ? drawWithReplacement(rng, v) : drawWithoutReplacement(rng, v);
    const ranks = cards.map((c) => c.rank);
    if (v.requireFace && !ranks.some(isFaceRank)) continue;
    if (isSolvableRanks(ranks, v.values, v.target)) return { ok: true, hand: makeHand(cards, v) };
  }
  return { ok: false, error: `no solvable hand found in 200000 draws from the ${v.colors} deck; try draw with-replacement or other values` };
}

/** Deals the hand of a seed: the same seed and variant always give the same hand. */
export function dealWithSeed(seed: number, v: ResolvedVariant): { ok: true; hand: GpHand } | { ok: false; error: string } {
  if (!Number.isInteger(seed)) return { ok: false, error: `seed must be an integer, got ${seed}` };
  return drawHand(createRng(seed), v);
}
