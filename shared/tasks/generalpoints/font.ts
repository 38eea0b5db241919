/**
 * A tiny bitmap font (3×5 rank glyphs) and 5×5 suit pips for the card images. Hand-drawn so the
 * rendering is deterministic and needs no font files; every glyph is distinct at scale 1.
 */
import type { Suit } from './cards';

/** Rows top to bottom; `#` is ink. */
export const RANK_GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '##.'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '.#.', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  A: ['.#.', '#.#', '###', '#.#', '#.#'],
  J: ['..#', '..#', '..#', '#.#', '.#.'],
  Q: ['.#.', '#.#', '#.#', '##.', '.##'],
  K: ['#.#', '##.', '#..', '##.', '#.#'],
};

export const SUIT_PIPS: Readonly<Record<Suit, readonly string[]>> = {
  S: ['..#..', '.###.', '#####', '#####', '..#..'],
  H: ['.#.#.', '#####', '#####', '.###.', '..#..'],
  D: ['..#..', '.###.', '#####', '.###.', '..#..'],
  C: ['.###.', '.###.', '#####', '#.#.#', '..#..'],
};

export const GLYPH_W = 3;
export const GLYPH_H = 5;
export const PIP_SIZE = 5;
