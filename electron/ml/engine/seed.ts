/**
 * The one seed module. Every training step draws its data and sampling randomness from
 * `stepRng(seed, stageId, step)` alone, so a run resumed at step k (model and optimizer restored
 * from a checkpoint) continues exactly as an uninterrupted one: there is no RNG state to save.
 * Evaluation sets and phases derive their seeds here too.
 */
import { createRng, type Rng } from '../../../shared/util/rng';

/**
 * Hashes numbers and strings into one 32-bit seed (FNV-1a over a tagged encoding, then a
 * murmur3 finaliser). Tags keep `mixSeed(1, 23)` and `mixSeed(12, 3)` apart.
 */
export function mixSeed(...parts: readonly (number | string)[]): number {
  let h = 0x811c9dc5;
  const feed = (code: number) => {
    h ^= code & 0xffff;
    h = Math.imul(h, 0x01000193);
  };
  for (const p of parts) {
    const s = typeof p === 'number' ? `#${Math.trunc(p)}` : `$${p}`;
    for (let i = 0; i < s.length; i++) feed(s.charCodeAt(i));
    feed(0x1f); // part separator
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The generator of one step of one stage. */
export function stepRng(seed: number, stageId: string, step: number): Rng {
  return createRng(mixSeed(seed, stageId, step));
}

/** A fresh 31-bit integer seed drawn from a generator (for env resets). */
export function drawSeed(rng: Rng): number {
  return Math.floor(rng.next() * 0x7fffffff);
}

/**
 * The seed of one phase of one run (the `seed` every step of that phase mixes in), so phases and
 * branches never share a data stream. Its hash (FNV-1a over the parts joined by "|") is frozen:
 * the shipped bases and example results were trained with it, and changing it would change
 * every data stream they were made from.
 */
export function phaseSeed(seed: number, method: string, phase: string): number {
  let h = 2166136261;
  for (const ch of [seed, method, phase].join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}
