/**
 * Instruction text and the ground-truth rail (`_parse_instruction_and_rail`, PAPER.md §2.3):
 * two sentences per milestone, and the movable points with their expert actions — a turn at the
 * start, interpolated `forward()` points (some dropped), a turn at each milestone, `stop()` at
 * the destination.
 */
import type { Rng } from '../../util/rng';
import { distance, pointAlong, polylineLength, relativeTurn, type RelativeTurnMode } from './geo';
import type { Rail, RailPoint, VirlRoute } from './types';

export interface RailOptions {
  /** Probability that each interpolated forward point is dropped (config `drop_rate`). */
  dropRate: number;
  /** Interpolation steps per segment (config `straight_line_length`, the paper's max straight road length). */
  straightLineLength: number;
  /** Segments this short or shorter get no forward points, metres (reference: 5). */
  minSegmentLength: number;
  /** A forward point must be farther than this from both segment ends, metres (relocation rule: 8). */
  minEndpointDistance: number;
  /** How relative turn words are computed; see RelativeTurnMode. */
  relativeTurn: RelativeTurnMode;
  /**
   * `intent` (default) labels forward points of every segment with that segment's "Move forward"
   * sentence; `reference` reproduces the reference quirk that a ≤ 5 m segment does not advance
   * the instruction index, misaligning the labels that follow (PAPER.md §6.11).
   */
  instructionIndexing: 'intent' | 'reference';
}

export const DEFAULT_RAIL_OPTIONS: RailOptions = {
  dropRate: 0.5,
  straightLineLength: 5,
  minSegmentLength: 5,
  minEndpointDistance: 8,
  relativeTurn: 'wrapped',
  instructionIndexing: 'intent',
};

const NO_LANDMARKS = 'No landmarks nearby';

/** The instruction sentences of a route for a given initial heading (without numbering). */
export function instructionSentences(route: VirlRoute, initHeading: number, mode: RelativeTurnMode = 'wrapped'): string[] {
  const out: string[] = [];
  route.milestones.forEach((m, k) => {
    const prev = k === 0 ? initHeading : (route.milestones[k - 1]?.heading ?? initHeading);
    const turn = `turn ${relativeTurn(prev, m.heading, mode)} to face ${m.compass}.`;
    out.push(k === 0 ? `First, ${turn}` : turn.charAt(0).toUpperCase() + turn.slice(1));
    const last = k === route.milestones.length - 1;
    const noLandmark = m.landmarkText === 'No landmark nearby';
    out.push(last
      ? `Move forward until you reach destination where ${m.landmarkText}.`
      : noLandmark ? 'Move forward until you reach next intersection.' : `Move forward until you reach next intersection where ${m.landmarkText}.`);
  });
  return out;
}

/** Renders sentences as the paper's numbered list: `1. …\n2. …`. */
export function numberedInstruction(sentences: readonly string[]): string {
  return sentences.map((s, i) => `${i + 1}. ${s}`).join('\n');
}

/** Builds the rail. `rng` supplies the initial heading (when the route has none) and the drops. */
export function buildRail(route: VirlRoute, rng: Rng, options: Partial<RailOptions> = {}): Rail {
  const o = { ...DEFAULT_RAIL_OPTIONS, ...options };
  // The data stores init_heading 0, which the reference treats as "draw uniformly in [0, 359]".
  const initHeading = route.initHeading ? route.initHeading : rng.int(360);
  const sentences = instructionSentences(route, initHeading, o.relativeTurn);
  const ms = route.milestones;
  const turnTo = (k: number) => {
    const m = ms[k];
    if (!m) throw new Error(`milestone ${k} missing`);
    const prev = k === 0 ? initHeading : (ms[k - 1]?.heading ?? initHeading);
    return { abs: `turn_direction(${m.compass})`, rel: `turn_direction(${relativeTurn(prev, m.heading, o.relativeTurn)})` };
  };
  const points: RailPoint[] = [];
  const push = (p: Omit<RailPoint, 'index'>) => points.push({ index: points.length, ...p });
  const t0 = turnTo(0);
  push({ kind: 'start', position: route.startPosition, heading: initHeading, segment: 0, expertAbsolute: t0.abs, expertRelative: t0.rel,
    landmarkObs: NO_LANDMARKS, atIntersection: false, instructionIndex: 0 });
  let skipped = 0; // reference quirk: short segments do not advance the instruction index
  ms.forEach((m, k) => {
    const path = m.path.length >= 2 ? m.path : [k === 0 ? route.startPosition : (ms[k - 1]?.position ?? m.position), m.position];
    const len = polylineLength(path);
    const moveIndex = 2 * k + 1 - (o.instructionIndexing === 'reference' ? skipped : 0);
    if (len > o.minSegmentLength) {
      const from = path[0] ?? m.position;
      for (let i = 1; i <= o.straightLineLength; i++) {
        // Draw for every candidate (kept or not) so the drop pattern does not depend on geometry.
        const drop = rng.next() < o.dropRate;
        const p = pointAlong(path, (len * i) / o.straightLineLength);
        if (drop || distance(p, from) <= o.minEndpointDistance || distance(p, m.position) <= o.minEndpointDistance) continue;
        push({ kind: 'forward', position: p, heading: m.heading, segment: k, expertAbsolute: 'forward()', expertRelative: 'forward()',
          landmarkObs: NO_LANDMARKS, atIntersection: false, instructionIndex: moveIndex });
      }
    } else skipped++;
    const last = k === ms.length - 1;
    if (last) {
      // The reference reads the index after this segment's skip: a short last segment labels
      // stop() one sentence earlier too.
      push({ kind: 'destination', position: m.position, heading: m.heading, segment: k, expertAbsolute: 'stop()', expertRelative: 'stop()',
        landmarkObs: m.landmarkText, atIntersection: false, instructionIndex: 2 * k + 1 - (o.instructionIndexing === 'reference' ? skipped : 0) });
    } else {
      const t = turnTo(k + 1);
      push({ kind: 'milestone', position: m.position, heading: m.heading, segment: k, expertAbsolute: t.abs, expertRelative: t.rel,
        landmarkObs: m.landmarkText, atIntersection: true,
        instructionIndex: 2 * (k + 1) - (o.instructionIndexing === 'reference' ? skipped : 0) });
    }
  });
  return { initHeading, sentences, points };
}
