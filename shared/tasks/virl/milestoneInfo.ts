/**
 * Parser of the `milestone_info` string of V-IRL route files: concatenated pseudo-JSON blocks,
 * one per milestone (`parse_navigation_string` in the reference: split on `}`, read `key: value`).
 */
import { COMPASS, type Compass } from './geo';

export interface MilestoneInfoBlock {
  /** Raw key → value of the block, quotes and trailing commas removed. */
  fields: Record<string, string>;
  /** `landmarks`, defaulting to `No landmark nearby` as the reference does. */
  landmarks: string;
  /** Heading of `to_next_intersection_heading`, degrees. */
  heading: number;
  /** Compass name of `to_next_intersection_heading`. */
  compass: Compass;
  /** `distance` in metres, or null when absent. */
  distance: number | null;
}

/** Parses all blocks; throws an Error naming the block and field for a malformed one. */
export function parseMilestoneInfo(text: string): MilestoneInfoBlock[] {
  const blocks = text.split('}').map((b) => b.trim()).filter((b) => b.replace(/[{\s,]/g, '') !== '');
  return blocks.map((block, k) => {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const m = /^\s*"?([A-Za-z_]+)"?\s*:\s*(.*?)\s*,?\s*$/.exec(line);
      if (m) fields[m[1] as string] = (m[2] as string).replace(/^"(.*)"$/, '$1');
    }
    const where = `milestone_info block ${k + 1}`;
    const headingText = fields.to_next_intersection_heading;
    if (headingText === undefined) throw new Error(`${where} has no "to_next_intersection_heading"`);
    const hm = /^(-?\d+(?:\.\d+)?)\s*\(\s*([a-z]+)\s*\)$/.exec(headingText.trim());
    if (!hm) throw new Error(`${where}: "to_next_intersection_heading" should look like "259 (west)", got "${headingText}"`);
    const compass = hm[2] as Compass;
    if (!COMPASS.includes(compass)) throw new Error(`${where}: "${hm[2]}" is not a compass direction (${COMPASS.join(', ')})`);
    const dm = fields.distance !== undefined ? /^(\d+(?:\.\d+)?)/.exec(fields.distance) : null;
    return { fields, landmarks: fields.landmarks ?? 'No landmark nearby', heading: Number(hm[1]), compass, distance: dm ? Number(dm[1]) : null };
  });
}
