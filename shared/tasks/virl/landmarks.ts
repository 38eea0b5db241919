/**
 * Landmark placement and naming. Landmarks stand along street edges, set back from the centre
 * line, with short unique names (they must fit on a sign in a small street-view image).
 */
import type { Rng } from '../../util/rng';
import { bearing, distance, headingVector, lerp, type Vec2 } from './geo';
import type { Landmark, LandmarkKind, StreetEdge, StreetNode } from './types';

/** Distance from the street centre line to a landmark's front, metres. */
export const LANDMARK_SETBACK_M = 11;
/** Edges shorter than this get no landmarks (they would crowd the intersection). */
const MIN_EDGE_M = 30;

const GENERIC_WORDS = [
  'Blue', 'Golden', 'Oak', 'Maple', 'Lotus', 'Harbor', 'Corner', 'Sun', 'Moon', 'Star', 'Cedar', 'Iris',
  'Linden', 'Olive', 'Coral', 'Amber', 'Pine', 'Jade', 'Ruby', 'Silver', 'North', 'Echo', 'Nova', 'Atlas',
  'Willow', 'Birch', 'Fern', 'Juniper', 'Tulip', 'Falcon', 'Anchor', 'Lantern',
];
const TOPICS = ['Maps', 'Clocks', 'Glass', 'Ships', 'Toys', 'Light', 'Coins', 'Music', 'Design', 'Film'];
const SAINTS = ['Mark', 'Paul', 'Anne', 'Jude', 'Luke', 'Clare', 'Agnes', 'Peter', 'James', 'Mary'];

/** Name templates per kind; `W` is a word, `T` a museum topic, `S` a saint. */
const TEMPLATES: Record<LandmarkKind, string[]> = {
  shop: ['W Shop', 'W Store', 'W Supply'],
  cafe: ['W Cafe', 'Cafe W', 'W Coffee'],
  restaurant: ['W Grill', 'W Kitchen', 'W Diner', 'W Bistro'],
  bakery: ['W Bakery', 'W Bread'],
  bookstore: ['W Books'],
  pharmacy: ['W Pharmacy', 'W Chemist'],
  bank: ['W Bank', 'Bank of W'],
  hotel: ['Hotel W', 'The W Inn'],
  station: ['W Station', 'W Metro'],
  museum: ['Museum of T', 'W Museum'],
  gallery: ['W Gallery'],
  theatre: ['W Theatre'],
  cinema: ['W Cinema'],
  library: ['W Library'],
  market: ['W Market'],
  church: ['St S', 'W Chapel'],
};

/** Relative frequency of kinds: streets hold more shops and cafes than museums. */
const KIND_WEIGHTS: Array<[LandmarkKind, number]> = [
  ['shop', 6], ['cafe', 5], ['restaurant', 5], ['bakery', 3], ['bookstore', 2], ['pharmacy', 3], ['bank', 3],
  ['hotel', 3], ['station', 2], ['museum', 1], ['gallery', 2], ['theatre', 1], ['cinema', 1], ['library', 1],
  ['market', 2], ['church', 1],
];
const WEIGHT_TOTAL = KIND_WEIGHTS.reduce((s, [, w]) => s + w, 0);

function pickKind(rng: Rng): LandmarkKind {
  let r = rng.next() * WEIGHT_TOTAL;
  for (const [kind, w] of KIND_WEIGHTS) {
    r -= w;
    if (r < 0) return kind;
  }
  return 'shop';
}

function makeName(kind: LandmarkKind, rng: Rng, cityWords: readonly string[]): string {
  const words = rng.next() < 0.5 ? cityWords : GENERIC_WORDS;
  return rng
    .pick(TEMPLATES[kind])
    .replace('W', rng.pick(words))
    .replace(/\bT\b/, rng.pick(TOPICS))
    .replace(/\bS\b/, rng.pick(SAINTS));
}

/** Places landmarks on both sides of every long-enough edge. */
export function placeLandmarks(
  nodes: readonly StreetNode[], edges: readonly StreetEdge[], density: number, rng: Rng, cityWords: readonly string[],
): Landmark[] {
  const out: Landmark[] = [];
  const used = new Set<string>();
  for (const e of edges) {
    const a = (nodes[e.a] as StreetNode).position;
    const b = (nodes[e.b] as StreetNode).position;
    if (distance(a, b) < MIN_EDGE_M) continue;
    const h = bearing(a, b);
    for (const side of [-90, 90]) {
      // One landmark per half of the block face, each with probability density / 2.
      for (const [lo, hi] of [[0.14, 0.42], [0.58, 0.86]] as const) {
        if (rng.next() >= density / 2) continue;
        const t = lo + rng.next() * (hi - lo);
        const streetPoint = lerp(a, b, t);
        const n = headingVector(h + side);
        const kind = pickKind(rng);
        let name = makeName(kind, rng, cityWords);
        for (let tries = 0; used.has(name) && tries < 12; tries++) name = makeName(kind, rng, cityWords);
        if (used.has(name)) continue;
        used.add(name);
        out.push({
          id: out.length, name, kind, edge: e.id, streetPoint,
          position: { x: streetPoint.x + n.x * LANDMARK_SETBACK_M, y: streetPoint.y + n.y * LANDMARK_SETBACK_M },
        });
      }
    }
  }
  return out;
}

/** The landmark nearest to `p` within `radius` metres, skipping `exclude` ids. */
export function nearestLandmark(landmarks: readonly Landmark[], p: Vec2, radius: number, exclude: ReadonlySet<number> = new Set()): Landmark | null {
  let best: Landmark | null = null;
  let bestD = radius;
  for (const l of landmarks) {
    if (exclude.has(l.id)) continue;
    const d = distance(p, l.position);
    if (d <= bestD) {
      bestD = d;
      best = l;
    }
  }
  return best;
}
