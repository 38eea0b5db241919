/**
 * Route sampling in a generated city: from a start landmark, walk the street graph, turning at
 * some intersections (the milestones) and going straight through others, and stop in front of a
 * destination landmark on the final street — the shape of a V-IRL route (PAPER.md §2.2).
 */
import { createRng, type Rng } from '../../util/rng';
import { citySalt } from './city';
import { bearing, compassName, polylineLength, relationOf, signedDelta, type Vec2 } from './geo';
import { nearestLandmark } from './landmarks';
import type { CityModel, Landmark, Milestone, RouteLandmark, StreetNode, VirlRoute } from './types';

export interface RouteOptions {
  /** Fewest and most turns (milestones before the destination). */
  minTurns: number;
  maxTurns: number;
  /** A landmark this close to a turning intersection is its milestone landmark, metres. */
  landmarkRadius: number;
}

export const DEFAULT_ROUTE_OPTIONS: RouteOptions = { minTurns: 1, maxTurns: 4, landmarkRadius: 30 };

/** Continuing within this angle counts as going straight (no milestone). */
const STRAIGHT_DEG = 20;
/** A turn must change heading at least this much, so its compass word changes. */
const MIN_TURN_DEG = 30;
/** A straight run is at most this many blocks, keeping routes V-IRL sized (100–600 m). */
const MAX_STRAIGHT_EDGES = 3;

const edgeIndex = new WeakMap<CityModel, Map<number, Landmark[]>>();
function landmarksByEdge(city: CityModel): Map<number, Landmark[]> {
  let m = edgeIndex.get(city);
  if (!m) {
    m = new Map();
    for (const l of city.landmarks) m.set(l.edge, [...(m.get(l.edge) ?? []), l]);
    edgeIndex.set(city, m);
  }
  return m;
}

interface Walk { start: Landmark; dest: Landmark; segments: Vec2[][]; turnNodes: StreetNode[] }

function tryWalk(city: CityModel, rng: Rng, turns: number): Walk | null {
  const start = rng.pick(city.landmarks);
  const edge = city.edges[start.edge];
  if (!edge) return null;
  let node = city.nodes[rng.next() < 0.5 ? edge.a : edge.b] as StreetNode;
  const usedEdges = new Set([edge.id]);
  const visited = new Set([node.id]);
  const segments: Vec2[][] = [[start.streetPoint, node.position]];
  const turnNodes: StreetNode[] = [];
  let hin = bearing(start.streetPoint, node.position);
  let straightRun = 1;
  for (let guard = 0; guard < 60; guard++) {
    const options = node.edges
      .filter((id) => !usedEdges.has(id))
      .map((id) => {
        const e = city.edges[id];
        const other = city.nodes[e?.a === node.id ? e.b : (e?.a ?? 0)] as StreetNode;
        return { id, other, delta: signedDelta(hin, bearing(node.position, other.position)) };
      })
      .filter((o) => !visited.has(o.other.id));
    const straight = options.filter((o) => Math.abs(o.delta) < STRAIGHT_DEG);
    const turning = options.filter((o) => Math.abs(o.delta) >= MIN_TURN_DEG && Math.abs(o.delta) <= 150);
    const wantTurn = turnNodes.length < turns && turning.length > 0 && (straight.length === 0 || straightRun >= MAX_STRAIGHT_EDGES || rng.next() < 0.5);
    let choice;
    if (wantTurn) {
      choice = rng.pick(turning);
      turnNodes.push(node);
      segments.push([node.position]);
      straightRun = 0;
    } else if (straight.length > 0 && straightRun < MAX_STRAIGHT_EDGES) choice = rng.pick(straight);
    else return null;
    const seg = segments[segments.length - 1] as Vec2[];
    hin = bearing(node.position, choice.other.position);
    usedEdges.add(choice.id);
    straightRun++;
    if (turnNodes.length === turns) {
      // Final street: stop at a landmark on this block, if any stands here.
      const here = (landmarksByEdge(city).get(choice.id) ?? []).filter((l) => l.id !== start.id);
      if (here.length > 0 && (rng.next() < 0.7 || straightRun >= MAX_STRAIGHT_EDGES)) {
        const dest = rng.pick(here);
        seg.push(dest.streetPoint);
        return { start, dest, segments, turnNodes };
      }
    }
    seg.push(choice.other.position);
    node = choice.other;
    visited.add(node.id);
  }
  return null;
}

function routeLandmark(l: Landmark, at: Vec2, heading: number): RouteLandmark {
  return { name: l.name, position: l.position, relation: relationOf(heading, bearing(at, l.position)) };
}

/**
 * Samples a route in `city` from `routeSeed`. Same city and seed, same route. Throws only if the
 * city admits no route at all (never for catalog cities).
 */
export function sampleRoute(city: CityModel, routeSeed: number, options: Partial<RouteOptions> = {}): VirlRoute {
  const o = { ...DEFAULT_ROUTE_OPTIONS, ...options };
  const rng = createRng((Math.trunc(routeSeed) ^ citySalt(city)) >>> 0);
  for (let attempt = 0; attempt < 500; attempt++) {
    const turns = o.minTurns + rng.int(o.maxTurns - o.minTurns + 1);
    const walk = tryWalk(city, rng, turns);
    if (!walk) continue;
    const headings = walk.segments.map((s) => bearing(s[0] as Vec2, s[s.length - 1] as Vec2));
    // Reject routes whose consecutive segment headings are too close: the turn would be invisible.
    if (headings.some((h, k) => k > 0 && Math.abs(signedDelta(headings[k - 1] as number, h)) < MIN_TURN_DEG)) continue;
    const exclude = new Set([walk.start.id, walk.dest.id]);
    const milestones: Milestone[] = walk.segments.map((path, k) => {
      const heading = headings[k] as number;
      const position = path[path.length - 1] as Vec2;
      const last = k === walk.segments.length - 1;
      const near = last ? walk.dest : nearestLandmark(city.landmarks, position, o.landmarkRadius, exclude);
      const landmark = near ? routeLandmark(near, position, heading) : null;
      const landmarkText = !landmark
        ? 'No landmark nearby'
        : last ? `The destination ${landmark.name} is on your ${landmark.relation}` : `${landmark.name} is on your ${landmark.relation}`;
      return { position, heading, compass: compassName(heading), distance: Math.round(polylineLength(path)), landmark, landmarkText, path };
    });
    const mentioned = [walk.start, walk.dest, ...milestones.map((m) => city.landmarks.find((l) => l.name === m.landmark?.name))];
    return {
      source: { kind: 'generated', city: city.id, citySeed: city.seed, routeSeed: Math.trunc(routeSeed) },
      start: { name: walk.start.name, position: walk.start.position, kind: walk.start.kind },
      destination: { name: walk.dest.name, position: walk.dest.position, kind: walk.dest.kind },
      startPosition: walk.start.streetPoint,
      milestones,
      initHeading: null,
      landmarks: [...new Set(mentioned.filter((l): l is Landmark => l !== undefined))],
    };
  }
  throw new Error(`no route found in city ${city.id} for seed ${routeSeed}`);
}
