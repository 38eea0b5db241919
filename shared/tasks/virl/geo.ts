/**
 * Planar geometry and heading vocabulary shared by cities, routes and imports.
 *
 * Positions are metres in a local east/north frame (x east, y north). Headings are compass
 * degrees: 0 = north, clockwise, always normalised to [0, 360).
 */

export interface Vec2 {
  /** Metres east of the frame origin. */
  x: number;
  /** Metres north of the frame origin. */
  y: number;
}

/** The 8 compass names at 0, 45, …, 315 degrees (`geocode_utils.py` order). */
export const COMPASS = ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest'] as const;
export type Compass = (typeof COMPASS)[number];

/** Spatial relations: 8 sectors centred on 0, 45, …, 315 degrees relative to the arrival heading. */
export const RELATIONS = ['front', 'right front', 'right', 'right behind', 'behind', 'left behind', 'left', 'left front'] as const;
export type Relation = (typeof RELATIONS)[number];

/** Relative turn words of the out-of-distribution action space. */
export const RELATIVE_TURNS = ['left', 'right', 'slightly left', 'slightly right'] as const;
export type RelativeTurn = (typeof RELATIVE_TURNS)[number];

/**
 * How the relative turn label is computed. `wrapped` (default, the paper's intent) takes the
 * signed difference modulo 360; `reference` keeps the reference code's raw difference, which
 * calls 350° → 10° a `left` turn (PAPER.md §6.8).
 */
export type RelativeTurnMode = 'wrapped' | 'reference';

export function normHeading(h: number): number {
  const r = h % 360;
  return r < 0 ? r + 360 : r;
}

/** Signed smallest rotation from `from` to `to`, in (-180, 180]. */
export function signedDelta(from: number, to: number): number {
  const d = normHeading(to - from);
  return d > 180 ? d - 360 : d;
}

/** Compass heading of the direction from `a` to `b`. */
export function bearing(a: Vec2, b: Vec2): number {
  return normHeading((Math.atan2(b.x - a.x, b.y - a.y) * 180) / Math.PI);
}

export function distance(a: Vec2, b: Vec2): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

export function lerp(a: Vec2, b: Vec2, t: number): Vec2 {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

/** Unit vector pointing along a compass heading. */
export function headingVector(h: number): Vec2 {
  const r = (h * Math.PI) / 180;
  return { x: Math.sin(r), y: Math.cos(r) };
}

/** Nearest of the 8 compass names. */
export function compassName(h: number): Compass {
  return COMPASS[Math.round(normHeading(h) / 45) % 8] as Compass;
}

/** Sector of a target seen at compass bearing `targetBearing` by someone facing `facing`. */
export function relationOf(facing: number, targetBearing: number): Relation {
  return RELATIONS[Math.round(normHeading(targetBearing - facing) / 45) % 8] as Relation;
}

/**
 * Relative turn word from heading `prev` to heading `next` (`_parse_instruction_and_rail`):
 * d < -45 left, d > 45 right, -45 ≤ d ≤ 0 slightly left, 0 < d ≤ 45 slightly right.
 */
export function relativeTurn(prev: number, next: number, mode: RelativeTurnMode = 'wrapped'): RelativeTurn {
  const d = mode === 'wrapped' ? signedDelta(prev, next) : next - prev;
  if (d < -45) return 'left';
  if (d > 45) return 'right';
  return d <= 0 ? 'slightly left' : 'slightly right';
}

/** Length of a polyline. */
export function polylineLength(points: readonly Vec2[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += distance(points[i - 1] as Vec2, points[i] as Vec2);
  return total;
}

/** The point at arc length `s` along a polyline (clamped to its ends). */
export function pointAlong(points: readonly Vec2[], s: number): Vec2 {
  const first = points[0];
  if (!first) throw new Error('pointAlong needs a non-empty polyline');
  let left = Math.max(0, s);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Vec2;
    const b = points[i] as Vec2;
    const len = distance(a, b);
    if (left <= len) return len === 0 ? a : lerp(a, b, left / len);
    left -= len;
  }
  return points[points.length - 1] as Vec2;
}

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Equirectangular projection of [lat, lng] to metres around `origin`. Routes span well under a
 * few kilometres, where its error is far below street-view relocation noise.
 */
export function projectLatLng(origin: { lat: number; lng: number }, lat: number, lng: number): Vec2 {
  const rad = Math.PI / 180;
  return {
    x: (lng - origin.lng) * rad * EARTH_RADIUS_M * Math.cos(origin.lat * rad),
    y: (lat - origin.lat) * rad * EARTH_RADIUS_M,
  };
}

/** 32-bit FNV-1a hash of a string, used to derive seeds from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
