import { describe, expect, it } from 'vitest';
import { MAX_SEEDS, parseSeeds } from '../../../shared/experiments/seeds';

describe('seed lists (--seeds, the Seeds field)', () => {
  it('reads ranges, lists and their mix, in the order given', () => {
    expect(parseSeeds('0-4')).toEqual([0, 1, 2, 3, 4]);
    expect(parseSeeds('0,2,5')).toEqual([0, 2, 5]);
    expect(parseSeeds(' 1-3, 10 ')).toEqual([1, 2, 3, 10]);
    expect(parseSeeds('7')).toEqual([7]);
    expect(parseSeeds('3-3')).toEqual([3]);
  });

  it('names what is wrong with a bad list', () => {
    expect(() => parseSeeds('')).toThrow(/empty/);
    expect(() => parseSeeds('4-0')).toThrow(/"4-0" runs backwards/);
    expect(() => parseSeeds('0-2,1')).toThrow(/seed 1 is listed twice/);
    expect(() => parseSeeds('a-b')).toThrow(/"a" is not a non-negative integer/);
    expect(() => parseSeeds('1.5')).toThrow(/not a non-negative integer/);
    expect(() => parseSeeds('0,,1')).toThrow(/not a non-negative integer/);
    expect(() => parseSeeds(`0-${MAX_SEEDS}`)).toThrow(new RegExp(`holds ${MAX_SEEDS + 1} seeds; at most ${MAX_SEEDS}`));
    expect(() => parseSeeds('99999999999')).toThrow(/larger than/);
  });
});
