/** The card inspector channels through dispatch: what the page relies on, valid and invalid. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/api/dispatch';
import type { GpDealView, GpPlayResult } from '../../../shared/api/channels/generalpoints';
import { GP_REWARDS, createGeneralPointsEnv } from '../../../shared/tasks/generalpoints/index';
import { testContext } from '../../helpers/api';

const DEAL = { seed: 42, rule: 'face10', colors: 'mixed', vision: false } as const;

describe('gp:deal and gp:play', () => {
  let t: ReturnType<typeof testContext>;
  beforeEach(() => (t = testContext()));
  afterEach(() => t.cleanup());

  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const r = await dispatch(t.ctx, channel, payload);
    if (!r.ok) throw new Error(r.error.message);
    return r.data as T;
  };

  it('deals the same hand as the environment for the same seed, with values and solutions', async () => {
    const d = await call<GpDealView>('gp:deal', DEAL);
    const env = createGeneralPointsEnv();
    const { observation, info } = env.reset({ seed: 42 });
    expect(d.cards).toEqual(observation.state.cards);
    expect(d.values).toEqual(info.values);
    expect(d.solutionCount).toBe(info.solutionCount);
    expect(d.solutions[0]).toBe(info.solutions?.[0]);
    expect(d.compactPrompt).toBe(observation.compactPrompt);
    expect(d.paperPrompt).toBe(observation.paperPrompt);
    expect(d.display).toHaveLength(4);
    expect(d.split).toBe('id');
    expect(d.image).toBeNull();
    expect(d.expertAnswer).toContain('"formula"');
    expect(await call<GpDealView>('gp:deal', DEAL)).toEqual(d); // deterministic
  });

  it('applies the rule, custom values and target, and reports the split', async () => {
    const ood = await call<GpDealView>('gp:deal', { ...DEAL, rule: 'face11-13' });
    expect(ood.split).toBe('ood');
    expect(ood.display.some((c) => c.isFace)).toBe(true); // the OOD rule deals a face card
    expect(ood.variant.values.slice(10)).toEqual([11, 12, 13]);
    const custom = await call<GpDealView>('gp:deal', { ...DEAL, values: 'A=11, J=2', target: 30 });
    expect(custom.variant).toMatchObject({ target: 30, customValues: true });
    expect(custom.variant.values[0]).toBe(11);
    expect(custom.compactPrompt).toMatch(/^target 30 rule J=2 Q=10 K=10 A=11/);
    expect(custom.solutions.every((s) => s.length > 0)).toBe(true);
  });

  it('returns the vision image as base64 RGB of the stated size', async () => {
    const d = await call<GpDealView>('gp:deal', { ...DEAL, vision: true, colors: 'red' });
    expect(d.image).not.toBeNull();
    const img = d.image as NonNullable<GpDealView['image']>;
    expect(Buffer.from(img.rgbBase64, 'base64').length).toBe(img.width * img.height * 3);
    expect(d.compactPrompt).toContain('cards image');
    expect(d.split).toBe('ood');
    expect(d.display.every((c) => c.color === 'red')).toBe(true);
  });

  it('caps a long solution list and still reports the total', async () => {
    // Scan a few seeds for the hand with the most solutions: the cap must never drop the total.
    for (let seed = 0; seed < 30; seed++) {
      const d = await call<GpDealView>('gp:deal', { ...DEAL, seed });
      expect(d.solutions.length).toBe(Math.min(d.solutionCount, 200));
      expect(d.solutionCount).toBeGreaterThan(0);
    }
  });

  it('replays a wrong then a right answer with the verdicts, rewards and next prompts', async () => {
    const d = await call<GpDealView>('gp:deal', DEAL);
    const right = d.solutions[0] as string;
    // A legal formula over the card values that misses 24 (the first candidate that does).
    const [a, b, c, e] = d.values;
    const wrong = [`${a}+${b}+${c}+${e}`, `${a}*${b}*${c}*${e}`, `${a}+${b}+${c}-${e}`].find((f) => Function(`return ${f}`)() !== 24) as string;
    const r = await call<GpPlayResult>('gp:play', { deal: DEAL, verificationLimit: 5, referenceQuirks: false, answers: [wrong, right] });
    expect(r.attempts.map((x) => x.verdict)).toEqual(['wrong_value', 'correct']);
    expect(r.attempts[0]).toMatchObject({ reward: GP_REWARDS.wrong_value, formula: wrong, terminated: false, attemptsLeft: 4 });
    expect(r.attempts[0]?.feedback).toMatch(/evaluates to/);
    expect(r.attempts[1]).toMatchObject({ reward: GP_REWARDS.correct, terminated: true });
    expect(r).toMatchObject({ solved: true, done: true, totalReward: GP_REWARDS.wrong_value + GP_REWARDS.correct, ignoredAnswers: 0 });
    expect(r.compactPrompt.split('\n')[2]).toBe(`try ${wrong} => wrong_value ${r.attempts[0]?.value}`);
    expect(r.paperMessages[0]?.content).toBe(d.paperPrompt);
    expect(r.paperMessages[2]?.content).toMatch(/^You failed this trial because /);
  });

  it('truncates on the last allowed failed verification and counts answers after the end', async () => {
    const r = await call<GpPlayResult>('gp:play', { deal: DEAL, verificationLimit: 2, referenceQuirks: false, answers: ['nope', '1+1', 'x', 'y'] });
    expect(r.attempts.map((a) => a.verdict)).toEqual(['parse_error', 'wrong_numbers']);
    expect(r.attempts[1]).toMatchObject({ reward: -2, truncated: true, terminated: false });
    expect(r).toMatchObject({ done: true, solved: false, attemptsLeft: 0, ignoredAnswers: 2, totalReward: -3 - 2 });
  });

  it('in reference mode, plays the reference\'s extra, unevaluated over-limit step', async () => {
    const r = await call<GpPlayResult>('gp:play', { deal: DEAL, verificationLimit: 2, referenceQuirks: true, answers: ['nope', '1+1', 'x', 'y'] });
    expect(r.attempts.map((a) => a.verdict).at(-1)).toBe('over_limit');
    expect(r.attempts[2]).toMatchObject({ reward: -1, truncated: true, terminated: false });
    expect(r).toMatchObject({ done: true, solved: false, ignoredAnswers: 1 });
  });

  it('switches to the reference verifier on request', async () => {
    const d = await call<GpDealView>('gp:deal', DEAL);
    // The reference treats spaces in a formula as illegal; the default reader does not.
    const spaced = `{"formula": "${(d.solutions[0] as string).replace(/([-+*/])/g, ' $1 ')}"}`;
    const plain = await call<GpPlayResult>('gp:play', { deal: DEAL, verificationLimit: 5, referenceQuirks: false, answers: [spaced] });
    const quirks = await call<GpPlayResult>('gp:play', { deal: DEAL, verificationLimit: 5, referenceQuirks: true, answers: [spaced] });
    expect(plain.attempts[0]?.verdict).toBe('correct');
    expect(quirks.attempts[0]?.verdict).not.toBe('correct');
    expect(quirks.solved).toBe(false);
  });

  it('rejects a custom value map that does not parse, naming the problem', async () => {
    const r = await dispatch(t.ctx, 'gp:deal', { ...DEAL, values: 'J=eleven' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!r.ok && r.error.message).toBe('gp:deal: values: cannot read "J=eleven" (write RANK=VALUE, e.g. J=11, or 13 comma-separated numbers)');
  });
});
