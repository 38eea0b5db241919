/**
 * Seeded pseudo-random numbers. Every random process in the workbench draws from one of these,
 * never from Math.random, so the same seed gives the same result.
 *
 * The generator is sfc32 seeded through splitmix32: fast, 32-bit, good statistical quality and
 * identical in every JavaScript engine.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new array with the items in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** Snapshot of the internal state, for checkpoints. */
  state(): [number, number, number, number];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a generator from an integer seed, or resumes one from a saved `state()`. */
export function createRng(seedOrState: number | readonly [number, number, number, number]): Rng {
  let a: number, b: number, c: number, d: number;
  if (typeof seedOrState === 'number') {
    if (!Number.isFinite(seedOrState)) throw new Error(`seed must be a finite number, got ${seedOrState}`);
    const mix = splitmix32(Math.trunc(seedOrState));
    a = mix(); b = mix(); c = mix(); d = mix();
    for (let i = 0; i < 12; i++) advance();
  } else {
    [a, b, c, d] = seedOrState.map((v) => v >>> 0) as [number, number, number, number];
  }
  function advance(): number {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  }
  const nextU32 = advance;
  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    int: (n) => {
      if (!Number.isInteger(n) || n <= 0) throw new Error(`int(n) needs a positive integer, got ${n}`);
      return Math.floor(rng.next() * n);
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('pick() from an empty array');
      return items[rng.int(items.length)] as (typeof items)[number];
    },
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
    state: () => [a, b, c, d],
  };
  return rng;
}
