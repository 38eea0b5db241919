/** The pass-size rule: rows × length² cells per pass, which keeps long (V = 10) batches inside the wasm heap. */
import { describe, expect, it } from 'vitest';
import { MAX_PASS_CELLS, rowsPerPass } from '../../../../electron/ml/engine/pass-size';
import { bucketBatches, type RlRow } from '../../../../electron/ml/engine/rl-batch';

const row = (length: number, attempts: number): RlRow => ({
  segment: { sequence: new Array<number>(length + 1).fill(1), attempts: Array.from({ length: attempts }, () => ({ start: 1, tokens: [1] })) } as unknown as RlRow['segment'],
  adv: [],
  ret: [],
});

describe('pass size', () => {
  it('keeps every GeneralPoints batch up to 5 attempts whole and cuts V = 10 rows', () => {
    expect(rowsPerPass(71, 256)).toBe(256); // V = 3: the RL update's 128 episodes are one pass
    expect(rowsPerPass(111, 256)).toBe(170); // V = 5: more than a 128-row step
    expect(rowsPerPass(211, 256)).toBe(Math.floor(MAX_PASS_CELLS / 211 ** 2)); // V = 10: 47 rows
    expect(rowsPerPass(5000, 256)).toBe(1); // never zero
  });

  it('cuts a length bucket of the RL update into passes of at most that many rows', () => {
    const rows = [...Array.from({ length: 128 }, () => row(211, 10)), ...Array.from({ length: 10 }, () => row(31, 1))];
    const batches = bucketBatches(rows, 256);
    expect(batches.map((b) => b.length)).toEqual([10, 47, 47, 34]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(rows.map((_, i) => i));
  });
});
