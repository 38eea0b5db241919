import { describe, expect, it } from 'vitest';
import { createGeneralPointsEnv, expertAnswer, GP_ENV_ID, type GpHand } from '../../../../shared/tasks/generalpoints/index';

describe('GeneralPoints-v0 environment', () => {
  it('same seed → same hand and observations; another seed → another hand', () => {
    const a = createGeneralPointsEnv({ variant: { vision: true, colors: 'black' } });
    const b = createGeneralPointsEnv({ variant: { vision: true, colors: 'black' } });
    expect(a.id).toBe(GP_ENV_ID);
    const ra = a.reset({ seed: 7 }), rb = b.reset({ seed: 7 });
    expect(ra).toEqual(rb);
    expect(Buffer.from(ra.observation.image?.data ?? []).equals(Buffer.from(rb.observation.image?.data ?? []))).toBe(true);
    const labels = new Set(Array.from({ length: 10 }, (_, s) => a.reset({ seed: s }).observation.state.labels.join()));
    expect(labels.size).toBeGreaterThan(5);
  });

  it('multi-turn revision: feedback reaches the next prompts; correct answer terminates with +5', () => {
    const env = createGeneralPointsEnv();
    const { observation, info } = env.reset({ seed: 3 });
    expect(info.solutions?.length).toBeGreaterThan(0);
    expect(observation.paperMessages).toHaveLength(1);
    const wrong = env.step('{"formula": "1+1"}');
    expect(wrong.terminated || wrong.truncated).toBe(false);
    expect(wrong.info.attempt).toBe(1);
    expect(wrong.info.attemptsLeft).toBe(4);
    const msgs = wrong.observation.paperMessages;
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(msgs[2]?.content).toBe(`You failed this trial because ${wrong.info.feedback}`);
    expect(wrong.observation.compactPrompt.split('\n')[2]).toBe(`try 1+1 => ${wrong.info.verdict}`);
    const right = env.step(expertAnswer(env.currentHand as GpHand) as string);
    expect([right.reward, right.terminated, right.truncated, right.info.verdict]).toEqual([5, true, false, 'correct']);
    expect(right.observation.state.solved).toBe(true);
    expect(() => env.step('1+1')).toThrow(/episode is over/);
  });

  it('verification limit: the V-th failed verification truncates the episode (its own verdict and reward)', () => {
    for (const limit of [1, 5, 10]) {
      const env = createGeneralPointsEnv({ verificationLimit: limit });
      env.reset({ seed: 1 });
      for (let i = 1; i < limit; i++) expect(env.step('1+1').truncated).toBe(false);
      const last = env.step('1+1');
      expect([last.truncated, last.terminated, last.info.attempt]).toEqual([true, false, limit]);
      expect(last.info.verdict).not.toBe('over_limit');
      expect(() => env.step('anything')).toThrow(/episode is over/);
    }
  });

  it('overLimitStep: the reference\'s extra, unevaluated step after the limit earns −1 over_limit and truncates', () => {
    for (const limit of [1, 5, 10]) {
      const env = createGeneralPointsEnv({ verificationLimit: limit, overLimitStep: true });
      env.reset({ seed: 1 });
      for (let i = 0; i < limit; i++) expect(env.step('1+1').truncated).toBe(false);
      const last = env.step('anything');
      expect([last.reward, last.truncated, last.terminated, last.info.verdict]).toEqual([-1, true, false, 'over_limit']);
    }
    expect(() => createGeneralPointsEnv({ verificationLimit: 11 })).toThrow(/1 to 10/);
  });

  it('compact prompt: rule, cards, attempts; vision hides the cards', () => {
    const env = createGeneralPointsEnv({ variant: { rule: 'face11-13' } });
    const { observation } = env.reset({ seed: 11 });
    const lines = observation.compactPrompt.split('\n');
    expect(lines[0]).toBe('target 24 rule J=11 Q=12 K=13');
    expect(lines[1]).toBe(`cards ${observation.state.labels.join(' ')}`);
    const v = createGeneralPointsEnv({ variant: { vision: true } }).reset({ seed: 11 }).observation;
    expect(v.compactPrompt.split('\n')[1]).toBe('cards image');
    expect(v.paperMessages[0]?.image).toBe(true);
    expect(v.image).toMatchObject({ width: 96, height: 48 });
  });

  it('reset can override the variant; bad options are clear errors', () => {
    const env = createGeneralPointsEnv();
    const r = env.reset({ seed: 2, variant: { rule: 'face11-13', target: 10 } });
    expect(r.observation.state.variant).toMatchObject({ rule: 'face11-13', target: 10, requireFace: true });
    expect(() => env.reset({ seed: 2, variant: { target: 0 } })).toThrow(/target must be an integer/);
    expect(() => env.reset({ seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => createGeneralPointsEnv({ imageSize: { width: 10, height: 10 } })).toThrow(/image width/);
  });
});
