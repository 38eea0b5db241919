/**
 * Success within k attempts (paper Fig. 10's limits), read off one evaluation at a larger limit:
 * the first k attempts of an episode do not depend on the limit (greedy, and the prompt never
 * shows it), so "within k of 10" is what a k-attempt evaluation measures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, successWithin } from '../../../../electron/ml/engine/eval';
import type { Episode } from '../../../../electron/ml/engine/task';
import { createModel, disposeModel } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { smallConfig, task, tinyGpConfig } from './fixtures';

beforeAll(useCpu);

const episode = (success: boolean, attempts: number[]): Episode => ({ success, segments: attempts.map((n) => ({ attempts: new Array(n).fill({}) })) }) as unknown as Episode;

describe('success within k attempts', () => {
  it('counts episodes solved with at most k attempts at every observation', () => {
    const eps = [episode(true, [1]), episode(true, [3]), episode(true, [2, 5]), episode(false, [10]), episode(true, [1, 1])];
    expect(successWithin(eps, 1)).toBeCloseTo(2 / 5, 12);
    expect(successWithin(eps, 3)).toBeCloseTo(3 / 5, 12);
    expect(successWithin(eps, 5)).toBeCloseTo(4 / 5, 12);
    expect(successWithin(eps, 10)).toBeCloseTo(4 / 5, 12);
    expect(successWithin([], 3)).toBe(0);
  });

  it('is logged for 1, 3, 5 and 10 where the limit allows; within V is the success', { timeout: 120_000 }, () => {
    const model = createModel({ ...tinyGpConfig(), contextLength: 216 });
    const actor = { kind: 'checkpoint' as const, name: 'x' };
    const at10 = evaluate(model, task, { ...smallConfig().eval, verificationLimit: 10 }, 'ood', actor, { episodes: 4 }).metrics;
    for (const k of [1, 3, 5, 10]) expect(at10, `k=${k}`).toHaveProperty([`eval/ood/success_within_${k}`]);
    expect(at10['eval/ood/success_within_10']).toBe(at10['eval/ood/success']);
    expect(at10['eval/ood/success_within_1']).toBe(at10['eval/ood/success_first']);
    const at3 = evaluate(model, task, { ...smallConfig().eval, verificationLimit: 3 }, 'ood', actor, { episodes: 4 }).metrics;
    expect(Object.keys(at3).filter((k) => k.includes('success_within')).sort()).toEqual(['eval/ood/success_within_1', 'eval/ood/success_within_3']);
    disposeModel(model);
  });

  it('reads what a k-attempt evaluation measures: the first k attempts are the same under any larger limit', { timeout: 120_000 }, () => {
    const model = createModel({ ...tinyGpConfig(3), contextLength: 216 });
    const actor = { kind: 'checkpoint' as const, name: 'x' };
    const cfg = smallConfig().eval;
    const runAt = (V: number) => evaluate(model, task, { ...cfg, verificationLimit: V }, 'id', actor, { episodes: 4 });
    const ten = runAt(10);
    for (const k of [1, 5]) {
      const small = runAt(k);
      small.played.forEach((e, i) => {
        const long = ten.played[i]?.segments[0]?.attempts ?? [];
        const short = e.segments[0]?.attempts ?? [];
        expect(short.map((a) => a.tokens)).toEqual(long.slice(0, short.length).map((a) => a.tokens));
        expect(short.length).toBe(Math.min(k, long.length));
      });
      expect(ten.metrics[`eval/id/success_within_${k}`]).toBe(small.metrics['eval/id/success']);
    }
    disposeModel(model);
  });
});
