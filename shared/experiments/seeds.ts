/**
 * Seed lists as people type them (`0-4`, `0,2,5`, `1-3,10`): `sftrl train --seeds` and the New
 * experiment page's Seeds field read them the same way.
 */

/** More seeds than this is almost certainly a typo (`0-1000`); each seed is a whole experiment. */
export const MAX_SEEDS = 64;

export class SeedListError extends Error {}

const SEED_MAX = 2 ** 31 - 1;

function seedOf(text: string, whole: string): number {
  if (!/^\d+$/.test(text)) throw new SeedListError(`"${whole}" is not a seed list: "${text}" is not a non-negative integer (write e.g. 0-4 or 0,2,5)`);
  const n = Number(text);
  if (n > SEED_MAX) throw new SeedListError(`seed ${text} is larger than ${SEED_MAX}`);
  return n;
}

/** Parses a seed list into distinct seeds in the order given; throws SeedListError naming the problem. */
export function parseSeeds(text: string): number[] {
  const whole = text.trim();
  if (whole === '') throw new SeedListError('the seed list is empty (write e.g. 0-4 or 0,2,5)');
  const seeds: number[] = [];
  for (const raw of whole.split(',')) {
    const part = raw.trim();
    const range = /^(\S+?)\s*-\s*(\S+)$/.exec(part);
    if (range) {
      const from = seedOf(range[1] as string, whole);
      const to = seedOf(range[2] as string, whole);
      if (to < from) throw new SeedListError(`seed range "${part}" runs backwards`);
      if (to - from + 1 > MAX_SEEDS) throw new SeedListError(`seed range "${part}" holds ${to - from + 1} seeds; at most ${MAX_SEEDS} at once`);
      for (let s = from; s <= to; s++) seeds.push(s);
    } else seeds.push(seedOf(part, whole));
  }
  const seen = new Set<number>();
  for (const s of seeds) {
    if (seen.has(s)) throw new SeedListError(`seed ${s} is listed twice in "${whole}"`);
    seen.add(s);
  }
  if (seeds.length > MAX_SEEDS) throw new SeedListError(`${seeds.length} seeds; at most ${MAX_SEEDS} at once`);
  return seeds;
}
