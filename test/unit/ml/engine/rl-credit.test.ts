/**
 * The RL recipe's credit options (issue #12, RL-NOTES §1.2–1.5): per-attempt GRPO credit with a
 * fix bonus, the graded reward, down-weighted positives, dead groups and dynamic sampling.
 * Advantages are checked against values computed by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptSucceeded, deadGroupMask, grpoAttemptCredit } from '../../../../electron/ml/engine/rl-batch';
import { grpoCredit, rlStep } from '../../../../electron/ml/engine/rl';
import type { AttemptTrace, Episode } from '../../../../electron/ml/engine/task';
import { disposeAdamW, disposeModel } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { smallConfig, stepInput, task, tinyModel } from './fixtures';

beforeAll(useCpu);

const attempt = (reward: number, tokens: number[] = [1, 2]): AttemptTrace =>
  ({ start: 1, tokens, logProbs: tokens.map(() => 0), values: [0], prompt: '', action: '', result: { observation: null, reward, terminated: reward > 0, truncated: false, info: {} } }) as AttemptTrace;

/** A one-segment episode whose attempts earned `rewards` (GeneralPoints' table: 5 solves). */
const episode = (rewards: number[]): Episode =>
  ({ segments: [{ sequence: [0, 1, 2], attempts: rewards.map((r, k) => attempt(r, [k + 1])) }], success: rewards.at(-1) === 5 }) as unknown as Episode;

const binary = (e: Episode) => e.segments[0]!.attempts.map((a, k, all) => (k === all.length - 1 && e.success ? 1 : 0));

describe('per-attempt GRPO credit', () => {
  it('discounts the reward-to-go, adds the fix bonus, and never gives a failed attempt a positive advantage', () => {
    // Group of two: A fails then solves; B fails three times.
    const eps = [episode([-1, 5]), episode([-1, -1, -1])];
    const { adv, returns } = grpoAttemptCredit(eps, eps.map(binary), 2, { gamma: 0.5, fixBonus: 0.25 });
    // A: r = [0, 1 + 0.25], G = [0.625, 1.25]; B: G = [0, 0, 0]; baseline = mean G_1 = 0.3125.
    expect(returns).toEqual([0.625, 0]);
    expect(adv[0]).toEqual([0, 1.25 - 0.3125]); // 0.625 − 0.3125 > 0, capped at 0: it was wrong
    expect(adv[1]).toEqual([-0.3125, -0.3125, -0.3125]);
  });

  it('a first-attempt solve beats a later one (γ < 1), and a group that all solved at once has no signal', () => {
    const eps = [episode([5]), episode([-2, 5])];
    const { adv } = grpoAttemptCredit(eps, eps.map(binary), 2, { gamma: 0.9, fixBonus: 0 });
    expect(adv[0]![0]).toBeCloseTo(0.05, 10); // 1 − (1 + 0.9) / 2
    expect(adv[1]![1]).toBeCloseTo(0.05, 10);
    expect(adv[1]![0]).toBeLessThanOrEqual(0);
    const all = [episode([5]), episode([5])];
    expect(grpoAttemptCredit(all, all.map(binary), 2, { gamma: 0.9, fixBonus: 0 }).adv.flat()).toEqual([0, 0]);
  });

  it('reads which attempts were right from the segments: V-IRL-like moves on count as right', () => {
    const route = { segments: [{ attempts: [attempt(-1), attempt(1)] }, { attempts: [attempt(1)] }, { attempts: [attempt(-1), attempt(-1)] }], success: false } as unknown as Episode;
    expect(attemptSucceeded(route)).toEqual([false, true, true, false, false]);
  });
});

describe('reward and weighting options', () => {
  // Episode credit, as the recipe's first GRPO: these check the reward and the weighting alone.
  const cfg = () => ({ ...smallConfig().rl, credit: 'episode' as const });

  it('graded reward: the paper\'s table per attempt, a solve scaled to 1', () => {
    const e = episode([-1, -2, 5]) as Parameters<typeof task.gradedRewards>[0];
    expect(task.gradedRewards(e)).toEqual([-0.2, -0.4, 1]);
    // Episode credit sums it: the group mean is the baseline.
    const eps = [e, episode([-3, -3, -3])] as Parameters<typeof task.gradedRewards>[0][];
    const { returns, adv } = grpoCredit(task, eps, { ...cfg(), groupSize: 2, reward: 'graded' });
    expect(returns[0]).toBeCloseTo(0.4, 10);
    expect(returns[1]).toBeCloseTo(-1.8, 10);
    expect(adv[0]![0]).toBeCloseTo(1.1, 10);
  });

  it('positiveWeight scales positive advantages only (0 = learn from failures only)', () => {
    const eps = [episode([5]), episode([-1, -1])] as Parameters<typeof task.gradedRewards>[0][];
    const plain = grpoCredit(task, eps, { ...cfg(), groupSize: 2 }).adv;
    expect(plain).toEqual([[0.5], [-0.5, -0.5]]);
    expect(grpoCredit(task, eps, { ...cfg(), groupSize: 2, positiveWeight: 0.1 }).adv).toEqual([[0.05], [-0.5, -0.5]]);
    expect(grpoCredit(task, eps, { ...cfg(), groupSize: 2, positiveWeight: 0 }).adv).toEqual([[0], [-0.5, -0.5]]);
  });

  it('a dead group is one whose returns are all equal', () => {
    expect(deadGroupMask([1, 1, 0, 1, 0, 0, 0.5, 0.5], 2)).toEqual([true, false, true, true]);
  });
});

describe('dynamic sampling', () => {
  const { model, optimizer } = tinyModel();
  afterAll(() => {
    disposeAdamW(optimizer);
    disposeModel(model);
  });

  it('an untrained policy fails every hand: every group is dead, more hands are drawn, and the weights do not move', () => {
    const rl = { ...smallConfig().rl, dynamicSampling: true, maxSampleRounds: 3 };
    const before = model.names.map((n) => Array.from(model.params[n]!.dataSync()));
    const out = rlStep(stepInput(model, optimizer, 0, 'rl/rl', 5), rl);
    expect(out.metrics['rl/success']).toBe(0);
    expect(out.metrics['rl/dead_groups']).toBe(1);
    expect(out.metrics['rl/sample_rounds']).toBe(3);
    expect(out.metrics['rl/groups_used']).toBe(0);
    expect(out.metrics['rl/skipped']).toBe(1);
    // All three rounds were generated and count as compute; the episodes are all recorded.
    expect(out.episodes).toHaveLength(3 * rl.promptsPerStep * rl.groupSize);
    model.names.forEach((n, i) => expect(Array.from(model.params[n]!.dataSync())).toEqual(before[i]));

    const plain = rlStep(stepInput(model, optimizer, 0, 'rl/rl', 5), { ...rl, dynamicSampling: false });
    expect(plain.metrics['rl/sample_rounds']).toBe(1);
    expect(plain.metrics['rl/groups_used']).toBe(rl.promptsPerStep);
    expect(out.metrics['gen/tokens']).toBeGreaterThan(2 * (plain.metrics['gen/tokens'] as number));
  });
});
