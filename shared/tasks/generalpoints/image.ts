/**
 * The vision variant's observation: the four cards as an RGB image, rendered deterministically
 * in pure TypeScript. Layout follows the reference (a dark green table, four 5:7 cards in a row,
 * vertically centred; PAPER.md §1.3) at a small, configurable size; each card shows its rank
 * glyph above its suit pip, in the suit's ink (black for ♠♣, red for ♥♦).
 */
import { INK_BLACK, INK_RED, rankLabel, suitColor, type Card } from './cards';
import { GLYPH_H, GLYPH_W, PIP_SIZE, RANK_GLYPHS, SUIT_PIPS } from './font';
import type { RgbImage } from '../image';

export type { RgbImage };

/** Image size of the vision variant's observation. */
export interface GpImageSize {
  /** Width in pixels, 48..1200. Default 96. */
  width: number;
  /** Height in pixels, 20..1200. Default 48. */
  height: number;
}

export const DEFAULT_IMAGE_SIZE: GpImageSize = { width: 96, height: 48 };

type Rgb = readonly [number, number, number];
const TABLE: Rgb = [0x35, 0x65, 0x4d];
const PAPER: Rgb = [255, 255, 255];
const EDGE: Rgb = [158, 158, 158];

export function checkImageSize(size: GpImageSize): string | null {
  const ok = (v: number, lo: number): boolean => Number.isInteger(v) && v >= lo && v <= 1200;
  if (!ok(size.width, 48)) return `image width must be an integer from 48 to 1200, got ${size.width}`;
  if (!ok(size.height, 20)) return `image height must be an integer from 20 to 1200, got ${size.height}`;
  return null;
}

function fillRect(img: RgbImage, x0: number, y0: number, w: number, h: number, c: Rgb): void {
  for (let y = Math.max(0, y0); y < Math.min(img.height, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x0 + w); x++) {
      const o = (y * img.width + x) * 3;
      img.data[o] = c[0];
      img.data[o + 1] = c[1];
      img.data[o + 2] = c[2];
    }
  }
}

function drawBitmap(img: RgbImage, rows: readonly string[], x0: number, y0: number, s: number, c: Rgb): void {
  rows.forEach((row, ry) => {
    for (let rx = 0; rx < row.length; rx++) if (row[rx] === '#') fillRect(img, x0 + rx * s, y0 + ry * s, s, s, c);
  });
}

function drawCard(img: RgbImage, card: Card, x: number, y: number, w: number, h: number): void {
  fillRect(img, x, y, w, h, EDGE);
  fillRect(img, x + 1, y + 1, w - 2, h - 2, PAPER);
  const ink = suitColor(card.suit) === 'red' ? INK_RED : INK_BLACK;
  // Scale so that "10" (two glyphs and a gap: 7 columns) and rank + gap + pip (11 rows) fit inside the border.
  const s = Math.max(1, Math.min(Math.floor((w - 2) / 7), Math.floor((h - 2) / 13)));
  const label = rankLabel(card.rank);
  const glyphs = label.split('').map((ch) => RANK_GLYPHS[ch] as readonly string[]);
  const labelW = (glyphs.length * (GLYPH_W + 1) - 1) * s;
  const blockH = (GLYPH_H + 1 + PIP_SIZE) * s;
  const top = y + Math.floor((h - blockH) / 2);
  let gx = x + Math.floor((w - labelW) / 2);
  for (const g of glyphs) {
    drawBitmap(img, g, gx, top, s, ink);
    gx += (GLYPH_W + 1) * s;
  }
  drawBitmap(img, SUIT_PIPS[card.suit], x + Math.floor((w - PIP_SIZE * s) / 2), top + (GLYPH_H + 1) * s, s, ink);
}

/**
 * Renders the cards in a row; the same cards and size always give the same bytes. A null leaves
 * its slot empty (the table shows): a single card drawn where it would sit in a hand.
 */
export function renderCards(cards: readonly (Card | null)[], size: GpImageSize = DEFAULT_IMAGE_SIZE): RgbImage {
  const problem = checkImageSize(size);
  if (problem) throw new Error(problem);
  const { width, height } = size;
  const img: RgbImage = { width, height, data: new Uint8Array(width * height * 3) };
  fillRect(img, 0, 0, width, height, TABLE);
  const n = Math.max(1, cards.length);
  // As the reference: card width 90% of a quarter of the canvas, 5:7 cards, 10% gaps; also bounded by the height.
  const cardW = Math.floor(Math.min((width / n) * 0.9, ((height * 0.95) * 5) / 7));
  const cardH = Math.floor((cardW * 7) / 5);
  const gap = Math.floor(cardW * 0.1);
  const rowW = n * cardW + (n - 1) * gap;
  const x0 = Math.floor((width - rowW) / 2);
  const y0 = Math.floor((height - cardH) / 2);
  cards.forEach((card, i) => {
    if (card) drawCard(img, card, x0 + i * (cardW + gap), y0, cardW, cardH);
  });
  return img;
}
