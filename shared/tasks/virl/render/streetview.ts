/**
 * One street view: what the agent sees looking along `heading` from `position` with a 90° field
 * of view. A deliberately simple pseudo-perspective (sky, road or facing facades, a row of plain
 * buildings, landmark facades with name signs, street furniture) drawn from the scene alone, so
 * the same state always gives the same pixels.
 */
import { bearing, distance, hashString, headingVector, signedDelta, type Vec2 } from '../geo';
import type { CityStyle, FontVariant } from '../style';
import type { Landmark, Scene } from '../types';
import { emblemCells, EMBLEM_BELOW_PX, landmarkBucket } from './emblem';
import { drawText, measureText, signText } from './font';
import { createImage, fillRect, mix, shade, strokeRect, type RgbImage } from './image';

/** Landmarks farther than this are not drawn, metres. */
const VIEW_RANGE_M = 70;
/** Half the field of view, degrees (FOV 90 as in the paper's street-view crops). */
const HALF_FOV = 45;
/** At most this many landmarks per view, the nearest: farther ones would hide behind them. */
const MAX_LANDMARKS_PER_VIEW = 3;
/** A street segment this close counts as the street the agent stands on, metres. */
const ON_STREET_M = 14;

/** Whether a street leaves `position` roughly along `heading` (the view looks down a road). */
function roadAhead(scene: Scene, position: Vec2, heading: number): boolean {
  const ahead = headingVector(heading);
  const probe = { x: position.x + ahead.x * 20, y: position.y + ahead.y * 20 };
  for (const [a, b] of scene.segments) {
    if (segmentDistance(probe, a, b) > ON_STREET_M) continue;
    const h = bearing(a, b);
    if (Math.abs(signedDelta(heading, h)) < 35 || Math.abs(signedDelta(heading, h + 180)) < 35) return true;
  }
  return false;
}

function segmentDistance(p: Vec2, a: Vec2, b: Vec2): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return distance(p, { x: a.x + t * dx, y: a.y + t * dy });
}

function drawSky(img: RgbImage, style: CityStyle, horizon: number): void {
  for (let y = 0; y < horizon; y++) fillRect(img, 0, y, img.width, 1, mix(style.sky.top, style.sky.bottom, y / Math.max(1, horizon - 1)));
  if (style.sky.kind === 'sunset') fillRect(img, img.width * 0.7, horizon * 0.25, img.width * 0.08, img.width * 0.08, [255, 214, 140]);
}

/** Windows or ornament of a facade, in the city's pattern. */
function drawPattern(img: RgbImage, style: CityStyle, x: number, y: number, w: number, h: number, seed: number): void {
  const cell = Math.max(3, Math.round(w / 5));
  const win = style.window;
  for (let yy = y + 2; yy + cell * 0.6 < y + h; yy += cell) {
    for (let xx = x + 1; xx + cell * 0.5 < x + w; xx += cell) {
      switch (style.facadePattern) {
        case 'grid': fillRect(img, xx + 1, yy, cell * 0.5, cell * 0.6, win); break;
        case 'arches': fillRect(img, xx + 1, yy + 1, cell * 0.5, cell * 0.6, win); fillRect(img, xx + 2, yy, cell * 0.3, 1, win); break;
        case 'brick': fillRect(img, xx, yy + cell * 0.8, cell, 1, shade(style.trim, 0.7)); fillRect(img, xx + 1, yy, cell * 0.4, cell * 0.5, win); break;
        case 'columns': fillRect(img, xx, yy, 1, cell, style.trim); fillRect(img, xx + 2, yy + 1, cell * 0.4, cell * 0.5, win); break;
        case 'panels': fillRect(img, xx, yy, cell - 1, cell * 0.7, (seed + xx) % 3 === 0 ? shade(win, 1.3) : win); break;
        case 'bands': break;
      }
    }
    if (style.facadePattern === 'bands') fillRect(img, x, yy, w, Math.max(1, cell * 0.4), win);
  }
  fillRect(img, x, y, w, 1, style.trim);
}

/** Plain buildings lining the street: a receding wall on each side, or one facing wall. */
function drawBuildings(img: RgbImage, style: CityStyle, horizon: number, ahead: boolean, seed: number): void {
  const W = img.width;
  const H = img.height;
  const n = 6;
  for (let k = 0; k < n; k++) {
    const hsh = hashString(`${seed}:${k}`);
    const color = style.facades[hsh % style.facades.length] ?? style.trim;
    const x = (k * W) / n;
    const w = W / n + 1;
    // Looking down a road, walls shrink towards the vanishing point in the middle.
    const depth = ahead ? Math.abs(k + 0.5 - n / 2) / (n / 2) : 1;
    const top = horizon - H * (0.12 + 0.3 * depth) - (hsh % 7);
    const bottom = ahead ? horizon + H * 0.25 * depth : horizon + H * 0.22;
    fillRect(img, x, top, w, bottom - top, color);
    drawPattern(img, style, x, top, w, bottom - top - 3, hsh);
  }
}

function drawGround(img: RgbImage, style: CityStyle, horizon: number, ahead: boolean): void {
  const W = img.width;
  const H = img.height;
  fillRect(img, 0, horizon, W, H - horizon, style.ground.sidewalk);
  if (ahead) {
    for (let y = horizon; y < H; y++) {
      const t = (y - horizon) / Math.max(1, H - horizon);
      const half = W * (0.03 + 0.4 * t);
      fillRect(img, W / 2 - half, y, half * 2, 1, style.ground.road);
      if (Math.floor(t * 12) % 2 === 0) fillRect(img, W / 2 - 0.5 - t, y, 1 + 2 * t, 1, style.ground.marking);
    }
  } else {
    // The street underfoot, crossing the bottom of the view.
    fillRect(img, 0, H * 0.86, W, H * 0.14, style.ground.road);
    fillRect(img, 0, H * 0.92, W, 1, style.ground.marking);
  }
}

function drawFurniture(img: RgbImage, style: CityStyle, horizon: number, seed: number): void {
  const H = img.height;
  const kind = style.furniture[seed % style.furniture.length];
  for (const side of [0.1, 0.9]) {
    const x = img.width * side;
    const h = H * 0.3;
    const base = horizon + H * 0.3;
    switch (kind) {
      case 'lamp': fillRect(img, x, base - h, 1, h, [40, 40, 40]); fillRect(img, x - 1, base - h, 3, 2, [250, 230, 150]); break;
      case 'tree': fillRect(img, x, base - h * 0.5, 1, h * 0.5, [90, 60, 30]); fillRect(img, x - 3, base - h, 7, h * 0.55, [60, 120, 60]); break;
      case 'palm': fillRect(img, x, base - h, 1, h, [120, 90, 50]); fillRect(img, x - 4, base - h, 9, 2, [50, 130, 60]); break;
      case 'bollard': fillRect(img, x, base - 4, 2, 4, [50, 50, 50]); break;
      case 'kiosk': fillRect(img, x - 3, base - 9, 7, 9, [180, 60, 40]); fillRect(img, x - 4, base - 10, 9, 2, [60, 60, 60]); break;
      case 'hydrant': fillRect(img, x, base - 4, 2, 4, [200, 40, 40]); break;
      default: break;
    }
  }
}

/** A landmark facade with its name sign, centred at screen x `cx`, scaled by distance. */
function drawLandmark(img: RgbImage, style: CityStyle, l: Landmark, cx: number, d: number, horizon: number): void {
  const W = img.width;
  const H = img.height;
  const near = Math.min(1, 12 / Math.max(d, 1));
  const fw = Math.max(W * 0.2, W * 0.75 * near);
  const fh = Math.max(H * 0.22, H * 0.6 * near);
  const bottom = horizon + H * (0.05 + 0.25 * near);
  const x = cx - fw / 2;
  const hsh = hashString(l.name);
  const wall = style.facades[(hsh >>> 3) % style.facades.length] ?? style.trim;
  fillRect(img, x, bottom - fh, fw, fh, shade(wall, 0.85 + 0.3 * near));
  drawPattern(img, style, x, bottom - fh, fw, fh * 0.55, hsh);
  // A kind cue (awning, columns or entrance) that hints at the category, never at the name.
  const door = shade(style.window, 0.8);
  if (['cafe', 'restaurant', 'bakery', 'market'].includes(l.kind)) {
    for (let i = 0; i < fw; i += 3) fillRect(img, x + i, bottom - fh * 0.38, 2, 3, i % 6 === 0 ? style.trim : wall);
  } else if (['museum', 'bank', 'library', 'theatre', 'church'].includes(l.kind)) {
    for (let i = 2; i < fw - 2; i += Math.max(3, fw / 6)) fillRect(img, x + i, bottom - fh * 0.35, 2, fh * 0.35, style.trim);
  }
  fillRect(img, cx - fw * 0.12, bottom - fh * 0.3, fw * 0.24, fh * 0.3, door);
  if (W < EMBLEM_BELOW_PX) {
    drawEmblem(img, style, l, cx, bottom - fh, near, hsh);
    return;
  }
  // The sign: the name in the city's font, always legible (scaled to the view, never below 1 px).
  const text = signText(l.name);
  const scale = W >= 256 ? 2 : 1;
  // A sign painter squeezes letters before breaking a word: drop the tracking if a word is too wide.
  const widest = Math.max(...text.split(' ').map((w) => measureText(w, style.font, scale).width));
  const font = widest > W - 6 ? { ...style.font, tracking: 0 as const } : style.font;
  const lines = wrap(text, font, scale, W - 6);
  const lh = measureText('A', font, scale).height + 2;
  const sw = Math.max(...lines.map((t) => measureText(t, font, scale).width)) + 4;
  const sh = lh * lines.length + 2;
  const sx = Math.max(1, Math.min(W - sw - 1, cx - sw / 2));
  const sy = Math.max(1, bottom - fh - sh + fh * 0.18);
  const board = style.sign.boards[hsh % style.sign.boards.length] ?? [0, 0, 0];
  fillRect(img, sx, sy, sw, sh, board);
  strokeRect(img, sx - 1, sy - 1, sw + 2, sh + 2, style.sign.border);
  lines.forEach((t, i) => drawText(img, sx + 2, sy + 2 + i * lh, t, font, style.sign.text, scale));
}

/** A small view's sign: the name's emblem (emblem.ts), as large as the facade allows, on the city's board and border. */
function drawEmblem(img: RgbImage, style: CityStyle, l: Landmark, cx: number, top: number, near: number, hsh: number): void {
  const cell = Math.max(2, Math.round((img.width * 0.15) * near));
  const side = 3 * cell;
  const x = Math.round(cx - side / 2);
  const y = Math.max(1, Math.round(top - side * 0.3));
  const board = style.sign.boards[hsh % style.sign.boards.length] ?? [0, 0, 0];
  fillRect(img, x, y, side, side, board);
  strokeRect(img, x - 1, y - 1, side + 2, side + 2, style.sign.border);
  emblemCells(landmarkBucket(l.name)).forEach((on, i) => {
    if (on) fillRect(img, x + (i % 3) * cell, y + Math.floor(i / 3) * cell, cell, cell, style.sign.text);
  });
}

/** Splits a sign text into at most two lines that fit `maxWidth`, cutting the second if needed. */
function wrap(text: string, font: FontVariant, scale: number, maxWidth: number): string[] {
  const fits = (t: string) => measureText(t, font, scale).width <= maxWidth;
  if (fits(text)) return [text];
  const words = text.split(' ');
  let first = '';
  while (words.length > 0 && fits(first ? `${first} ${words[0]}` : (words[0] as string))) first = first ? `${first} ${words.shift()}` : (words.shift() as string);
  let second = words.join(' ');
  while (second.length > 0 && !fits(second)) second = second.slice(0, -1);
  return first ? (second ? [first, second] : [first]) : [second];
}

/**
 * The landmarks a view along `heading` draws, nearest first: within range and the field of view,
 * at most MAX_LANDMARKS_PER_VIEW. `d` is the distance (m), `a` the bearing off the view's centre (°).
 */
export function visibleLandmarks(scene: Scene, position: Vec2, heading: number): Array<{ l: Landmark; d: number; a: number }> {
  const visible: Array<{ l: Landmark; d: number; a: number }> = [];
  for (const l of scene.landmarks) {
    const d = distance(position, l.position);
    if (d > VIEW_RANGE_M || d < 0.5) continue;
    const a = signedDelta(heading, bearing(position, l.position));
    if (Math.abs(a) <= HALF_FOV) visible.push({ l, d, a });
  }
  visible.sort((p, q) => p.d - q.d || p.l.id - q.l.id);
  return visible.slice(0, MAX_LANDMARKS_PER_VIEW);
}

/** Renders one view of `size`×`size` pixels. */
export function renderView(scene: Scene, position: Vec2, heading: number, size: number): RgbImage {
  const img = createImage(size, size);
  const style = scene.style;
  const horizon = Math.round(size * 0.48);
  const seed = hashString(`${Math.round(position.x / 10)},${Math.round(position.y / 10)},${Math.round(heading / 45)}`);
  const ahead = roadAhead(scene, position, heading);
  drawSky(img, style, horizon);
  drawGround(img, style, horizon, ahead);
  drawBuildings(img, style, horizon, ahead, seed);
  drawFurniture(img, style, horizon, seed);
  // Nearest last, so its sign is drawn on top.
  for (const { l, d, a } of visibleLandmarks(scene, position, heading).reverse()) {
    const cx = size / 2 + (size / 2) * Math.tan((a * Math.PI) / 180);
    drawLandmark(img, style, l, cx, d, horizon);
  }
  return img;
}

