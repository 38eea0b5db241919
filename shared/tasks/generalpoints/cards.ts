/**
 * Playing cards: ranks, suits, the 52-card deck, labels as the paper writes them, and a display
 * model for the UI (the card inspector draws real cards as SVG from it).
 */

/** Rank 1..13: 1 = Ace, 11 = Jack, 12 = Queen, 13 = King. */
export type Rank = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13;

/** Suit letter as in the reference's image file names: Spades, Hearts, Diamonds, Clubs. */
export type Suit = 'S' | 'H' | 'D' | 'C';

export interface Card {
  rank: Rank;
  suit: Suit;
}

/** Suit colour sets: `black` is the visual in-distribution set, `red` the visual OOD one, `mixed` GP-L's. */
export type SuitColors = 'black' | 'red' | 'mixed';

export const RANKS: readonly Rank[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
export const SUITS: readonly Suit[] = ['S', 'H', 'D', 'C'];

/** Suits allowed under each colour set (the reference's `face_cards_color`, which restricts all cards). */
export const SUITS_BY_COLORS: Readonly<Record<SuitColors, readonly Suit[]>> = {
  black: ['S', 'C'],
  red: ['H', 'D'],
  mixed: ['H', 'S', 'D', 'C'],
};

const RANK_LABELS = ['A', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K'] as const;

/** The paper's "Plain Cards" label: A, 2..9, 10, J, Q, K (ten is written `10`, as in the text prompt). */
export function rankLabel(rank: Rank): string {
  return RANK_LABELS[rank - 1] as string;
}

/** True for J, Q, K. */
export function isFaceRank(rank: Rank): boolean {
  return rank >= 11;
}

export function isRank(n: number): n is Rank {
  return Number.isInteger(n) && n >= 1 && n <= 13;
}

const SUIT_SYMBOLS: Record<Suit, string> = { S: '♠', H: '♥', D: '♦', C: '♣' };
const SUIT_NAMES: Record<Suit, string> = { S: 'spades', H: 'hearts', D: 'diamonds', C: 'clubs' };

export function suitColor(suit: Suit): 'black' | 'red' {
  return suit === 'H' || suit === 'D' ? 'red' : 'black';
}

/** Everything an SVG renderer needs to draw one card. */
export interface CardDisplay {
  /** Rank label in the corner: A, 2..10, J, Q, K. */
  rankLabel: string;
  /** Unicode suit symbol: ♠ ♥ ♦ ♣. */
  suitSymbol: string;
  /** English suit name, for titles and accessibility labels. */
  suitName: string;
  /** Ink colour class of the card. */
  color: 'black' | 'red';
  /** Ink colour as CSS hex (the same inks the RGB renderer uses). */
  colorHex: string;
  /** Short id like `QS` or `10H`. */
  code: string;
  /** Whether the card is a J, Q or K (drawn with a face frame, and the cards whose value the rule changes). */
  isFace: boolean;
}

export const INK_BLACK: readonly [number, number, number] = [17, 17, 17];
export const INK_RED: readonly [number, number, number] = [198, 40, 40];

function hex(rgb: readonly [number, number, number]): string {
  return '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
}

export function cardDisplay(card: Card): CardDisplay {
  const color = suitColor(card.suit);
  return {
    rankLabel: rankLabel(card.rank),
    suitSymbol: SUIT_SYMBOLS[card.suit],
    suitName: SUIT_NAMES[card.suit],
    color,
    colorHex: hex(color === 'red' ? INK_RED : INK_BLACK),
    code: rankLabel(card.rank) + card.suit,
    isFace: isFaceRank(card.rank),
  };
}

/** Every card of the allowed suits, in a fixed order (suit-major), so seeded draws are reproducible. */
export function deck(colors: SuitColors): Card[] {
  const out: Card[] = [];
  for (const suit of SUITS_BY_COLORS[colors]) for (const rank of RANKS) out.push({ rank, suit });
  return out;
}

const RANK_WORDS: Record<string, Rank> = {
  A: 1, ACE: 1, '1': 1, T: 10, TEN: 10, J: 11, JACK: 11, Q: 12, QUEEN: 12, K: 13, KING: 13,
};

/**
 * Reads a rank as a careful human would: `A`/`1`/`ace`, `2`..`10`, `T`, `J`/`jack`, `Q`, `K`.
 * `11`..`13` are not accepted: a card shows a letter, and writing 11 for J is a value, not a card.
 */
export function parseRankLabel(text: string): Rank | null {
  const t = text.trim().toUpperCase();
  const word = RANK_WORDS[t];
  if (word !== undefined) return word;
  if (/^\d{1,2}$/.test(t)) {
    const n = Number(t);
    if (n >= 2 && n <= 10) return n as Rank;
  }
  return null;
}

const SUIT_BY_CHAR: Record<string, Suit> = { S: 'S', H: 'H', D: 'D', C: 'C', '♠': 'S', '♥': 'H', '♦': 'D', '♣': 'C', '♤': 'S', '♡': 'H', '♢': 'D', '♧': 'C' };

/**
 * Parses one card as typed on a command line or in the inspector: a rank with an optional suit
 * before or after it (`QS`, `SQ`, `Q♠`, `10h`, `Q`). Returns null suit when none is given.
 */
export function parseCardText(text: string): { rank: Rank; suit: Suit | null } | null {
  const t = text.trim();
  if (t === '') return null;
  const first = SUIT_BY_CHAR[(t[0] as string).toUpperCase()];
  const last = SUIT_BY_CHAR[(t[t.length - 1] as string).toUpperCase()];
  const candidates: Array<{ body: string; suit: Suit | null }> = [{ body: t, suit: null }];
  if (last && t.length > 1) candidates.push({ body: t.slice(0, -1), suit: last });
  if (first && t.length > 1) candidates.push({ body: t.slice(1), suit: first });
  for (const c of candidates) {
    const rank = parseRankLabel(c.body);
    if (rank !== null) return { rank, suit: c.suit };
  }
  return null;
}
