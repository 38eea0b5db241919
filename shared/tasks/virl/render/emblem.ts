/**
 * A landmark's emblem: the sign a small street view shows instead of its name. A 5×7 font cannot
 * be drawn legibly in a 32 px view, so there a sign carries the name's emblem, a 3×3 pattern of
 * cells (the four corners and the centre are the five bits of the name's bucket) in the city's
 * sign ink on the city's sign board. The pattern is the name's identity in every city; the colours,
 * border and facade around it are the city's style, so reading emblems in a new city is a visual
 * generalisation, as reading signs is in the paper's street views.
 *
 * The bucket is the one the V-IRL token format names a landmark by (32 buckets of an FNV-1a hash
 * of the name), so what the text says and what the sign shows can be matched.
 */
import { hashString } from '../geo';

/** Landmark name buckets: the token format's landmark units L0…L31, and the emblems. */
export const LANDMARK_BUCKETS = 32;

/** The bucket of a landmark name. */
export function landmarkBucket(name: string): number {
  return hashString(name) % LANDMARK_BUCKETS;
}

/** The emblem cells of a bucket, row-major 3×3: the five bits fill the corners and the centre. */
export function emblemCells(bucket: number): boolean[] {
  const bit = (k: number) => ((bucket >> k) & 1) === 1;
  return [bit(0), false, bit(1), false, bit(4), false, bit(2), false, bit(3)];
}

/** Views narrower than this show emblems instead of lettered signs. */
export const EMBLEM_BELOW_PX = 64;
