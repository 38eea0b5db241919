/**
 * A tiny 5×7 bitmap font for shop signs, with per-city glyph styles (bold, slanted, serif,
 * condensed, tall, tracking). Every city draws the same letters differently, so reading a sign in
 * a new city is a visual generalisation test, as street views of a new city are in the paper.
 */
import type { FontVariant, Rgb } from '../style';
import { setPixel, type RgbImage } from './image';

/** Rows of each glyph, most significant bit = leftmost pixel. */
const GLYPHS: Record<string, string> = {
  A: '01110 10001 10001 11111 10001 10001 10001', B: '11110 10001 10001 11110 10001 10001 11110',
  C: '01110 10001 10000 10000 10000 10001 01110', D: '11100 10010 10001 10001 10001 10010 11100',
  E: '11111 10000 10000 11110 10000 10000 11111', F: '11111 10000 10000 11110 10000 10000 10000',
  G: '01110 10001 10000 10111 10001 10001 01111', H: '10001 10001 10001 11111 10001 10001 10001',
  I: '01110 00100 00100 00100 00100 00100 01110', J: '00111 00010 00010 00010 00010 10010 01100',
  K: '10001 10010 10100 11000 10100 10010 10001', L: '10000 10000 10000 10000 10000 10000 11111',
  M: '10001 11011 10101 10101 10001 10001 10001', N: '10001 10001 11001 10101 10011 10001 10001',
  O: '01110 10001 10001 10001 10001 10001 01110', P: '11110 10001 10001 11110 10000 10000 10000',
  Q: '01110 10001 10001 10001 10101 10010 01101', R: '11110 10001 10001 11110 10100 10010 10001',
  S: '01111 10000 10000 01110 00001 00001 11110', T: '11111 00100 00100 00100 00100 00100 00100',
  U: '10001 10001 10001 10001 10001 10001 01110', V: '10001 10001 10001 10001 10001 01010 00100',
  W: '10001 10001 10001 10101 10101 10101 01010', X: '10001 10001 01010 00100 01010 10001 10001',
  Y: '10001 10001 10001 01010 00100 00100 00100', Z: '11111 00001 00010 00100 01000 10000 11111',
  0: '01110 10001 10011 10101 11001 10001 01110', 1: '00100 01100 00100 00100 00100 00100 01110',
  2: '01110 10001 00001 00010 00100 01000 11111', 3: '11111 00010 00100 00010 00001 10001 01110',
  4: '00010 00110 01010 10010 11111 00010 00010', 5: '11111 10000 11110 00001 00001 10001 01110',
  6: '00110 01000 10000 11110 10001 10001 01110', 7: '11111 00001 00010 00100 01000 01000 01000',
  8: '01110 10001 10001 01110 10001 10001 01110', 9: '01110 10001 10001 01111 00001 00010 01100',
  '.': '00000 00000 00000 00000 00000 01100 01100', '-': '00000 00000 00000 11111 00000 00000 00000',
  "'": '00100 00100 01000 00000 00000 00000 00000', '&': '01100 10010 10100 01000 10101 10010 01101',
  '/': '00000 00001 00010 00100 01000 10000 00000', ',': '00000 00000 00000 00000 01100 00100 01000',
  ' ': '00000 00000 00000 00000 00000 00000 00000',
};

/** A rasterised glyph: rows of booleans. */
interface Bitmap { w: number; h: number; on: boolean[][] }

function base(ch: string): Bitmap | null {
  const def = GLYPHS[ch];
  if (!def) return null;
  const on = def.split(' ').map((row) => [...row].map((b) => b === '1'));
  return { w: 5, h: 7, on };
}

function styled(b: Bitmap, v: FontVariant): Bitmap {
  let rows = b.on.map((r) => r.slice());
  if (v.condensed) rows = rows.map((r) => [r[0] ?? false, (r[1] ?? false) || (r[2] ?? false), r[3] ?? false, r[4] ?? false]);
  if (v.tall) rows.splice(3, 0, (rows[3] ?? []).slice());
  if (v.weight) rows = rows.map((r) => [...r, false].map((p, i) => p || (r[i - 1] ?? false)));
  if (v.serif) {
    const pad = (r: boolean[]) => [false, ...r, false];
    rows = rows.map(pad);
    // Feet under the stems of the bottom row, caps over the stems of the top row.
    for (const [edge, inner] of [[rows.length - 1, rows.length - 2], [0, 1]] as const) {
      const row = rows[edge] as boolean[];
      const next = rows[inner] as boolean[];
      const stems = row.map((p, i) => p && (next[i] ?? false));
      stems.forEach((s, i) => { if (s) { row[i - 1] = true; row[i + 1] = true; } });
    }
  }
  if (v.slant) {
    const h = rows.length;
    const shift = (r: number) => (v.slant > 0 ? Math.floor((h - 1 - r) / 3) : Math.floor(r / 3));
    const extra = Math.floor((h - 1) / 3);
    rows = rows.map((r, i) => [...new Array<boolean>(shift(i)).fill(false), ...r, ...new Array<boolean>(extra - shift(i)).fill(false)]);
  }
  return { w: rows[0]?.length ?? 0, h: rows.length, on: rows };
}

const cache = new Map<string, Bitmap | null>();
function glyph(ch: string, v: FontVariant): Bitmap | null {
  const key = `${v.weight}${v.slant}${+v.serif}${+v.condensed}${+v.tall}${ch}`;
  let g = cache.get(key);
  if (g === undefined) {
    const b = base(ch);
    g = b ? styled(b, v) : null;
    cache.set(key, g);
  }
  return g;
}

/** Upper-cases, strips accents and drops characters the font lacks (signs show what they can). */
export function signText(name: string): string {
  return [...name.normalize('NFD').toUpperCase()].filter((c) => GLYPHS[c] !== undefined).join('').replace(/\s+/g, ' ').trim();
}

/** Width and height in pixels of `text` (already passed through signText) at `scale`. */
export function measureText(text: string, v: FontVariant, scale = 1): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (const ch of text) {
    const g = glyph(ch, v);
    if (!g) continue;
    width += g.w + v.tracking;
    height = Math.max(height, g.h);
  }
  return { width: Math.max(0, width - v.tracking) * scale, height: (height || 7) * scale };
}

/** Draws `text` with its top-left corner at (x, y). */
export function drawText(img: RgbImage, x: number, y: number, text: string, v: FontVariant, color: Rgb, scale = 1): void {
  let cx = Math.round(x);
  const cy = Math.round(y);
  for (const ch of text) {
    const g = glyph(ch, v);
    if (!g) continue;
    for (let r = 0; r < g.h; r++) {
      const row = g.on[r] as boolean[];
      for (let c = 0; c < g.w; c++) {
        if (!row[c]) continue;
        for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) setPixel(img, cx + c * scale + sx, cy + r * scale + sy, color);
      }
    }
    cx += (g.w + v.tracking) * scale;
  }
}
