/** Observation text of rail points (PAPER.md §2.3–2.4). */
import type { RailPoint } from './types';

export const INTERSECTION_TEXT = 'You observe an intersection';
export const VISION_TEXT = 'You observe an image of 4 views; ';

/** The oracle observation of a point: `"{landmark}; {intersection}"` (trailing space when none). */
export function oracleObservation(p: Pick<RailPoint, 'landmarkObs' | 'atIntersection'>): string {
  return `${p.landmarkObs}; ${p.atIntersection ? INTERSECTION_TEXT : ''}`;
}

/** What the model is told about the current point: full text (L) or the image notice plus the flag (VL). */
export function currentObservation(p: Pick<RailPoint, 'landmarkObs' | 'atIntersection'>, vision: boolean): string {
  return vision ? `${VISION_TEXT}${p.atIntersection ? INTERSECTION_TEXT : ''}` : oracleObservation(p);
}

/**
 * The `[Observations and actions sequence]` block: past points with full oracle text (landmark
 * names included, in VL too, as in the reference) and their expert actions, then the current one.
 */
export function observationActionSequence(points: readonly RailPoint[], current: number, vision: boolean, expert: (p: RailPoint) => string): string {
  const lines: string[] = [];
  for (let i = 0; i < current; i++) {
    const p = points[i] as RailPoint;
    lines.push(`O_${i + 1}: ${oracleObservation(p)}`, `A_${i + 1}: ${expert(p)}`);
  }
  const cur = points[current];
  if (cur) lines.push(`O_${current + 1}: ${currentObservation(cur, vision)}`, `A_${current + 1}: `);
  return lines.join('\n');
}
