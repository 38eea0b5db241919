import { describe, expect, it } from 'vitest';
import { createVirlEnv, expertAnswer, generateCity, sampleRoute, virlMetrics, type RailPoint, type VirlNavEnv } from '../../../../shared/tasks/virl/index';

const answer = (action: string, observation = 'No landmarks nearby') => expertAnswer(observation, '', action);

function advanceTo(env: VirlNavEnv, kind: RailPoint['kind']): RailPoint {
  while (env.rail.points[env.pointIndex]!.kind !== kind) env.step(env.expertAnswer());
  return env.rail.points[env.pointIndex]!;
}

describe('VirlNav-v0', () => {
  it('resets deterministically from the seed', () => {
    const a = createVirlEnv().reset({ seed: 9 });
    const b = createVirlEnv().reset({ seed: 9 });
    expect(a.observation.prompt).toBe(b.observation.prompt);
    expect(a.info).toEqual(b.info);
    expect(createVirlEnv().reset({ seed: 10 }).observation.prompt).not.toBe(a.observation.prompt);
  });

  it('rewards +1 for the expert action and advances; the expert completes the route', () => {
    const env = createVirlEnv();
    env.reset({ seed: 3, city: 'milan' });
    const rewards: number[] = [];
    while (!env.done) {
      const r = env.step(env.expertAnswer());
      rewards.push(r.reward);
      expect(r.info.verdict).toBe('correct');
    }
    expect(env.success).toBe(true);
    expect(rewards.every((r) => r === 1)).toBe(true);
    expect(rewards).toHaveLength(env.rail.points.length);
  });

  it('applies the reward table: wrong action −1, wrong intersection claim −1.5; the second failure at a point truncates', () => {
    const env = createVirlEnv();
    env.reset({ seed: 4 });
    env.step(answer('stop()'));
    const second = env.step(answer('forward()', 'No landmarks nearby; You observe an intersection'));
    expect([second.reward, second.info.verdict, second.terminated, second.truncated]).toEqual([-1.5, 'wrong_intersection', false, true]);
    expect(env.done).toBe(true);
    expect(env.success).toBe(false);
    expect(() => env.step(env.expertAnswer())).toThrow(/episode is over/);
  });

  it('overLimitStep: the reference\'s extra, unevaluated step after the limit earns −1 over_limit', () => {
    const env = createVirlEnv({ overLimitStep: true });
    env.reset({ seed: 4 });
    const wrong = env.step(answer('stop()'));
    expect([wrong.reward, wrong.info.verdict, wrong.terminated, wrong.truncated]).toEqual([-1, 'wrong_action', false, false]);
    expect(wrong.observation.feedback).toMatch(/^you make incorrect action\. Please avoid this action/);
    expect(wrong.observation.prompt).toContain('You failed this trial because you make incorrect action');
    expect(wrong.observation.chat.map((t) => t.role)).toEqual(['user', 'assistant', 'user']);
    const claim = env.step(answer('forward()', 'No landmarks nearby; You observe an intersection'));
    expect([claim.reward, claim.info.verdict]).toEqual([-1.5, 'wrong_intersection']);
    expect(claim.info.feedback).toMatch(/^you are not at any intersection/);
    const over = env.step(env.expertAnswer());
    expect([over.reward, over.info.verdict, over.terminated, over.truncated]).toEqual([-1, 'over_limit', false, true]);
    expect(env.done).toBe(true);
    expect(env.success).toBe(false);
    expect(() => env.step(env.expertAnswer())).toThrow(/episode is over/);
  });

  it('penalises denying an intersection at a milestone with −1.5', () => {
    const env = createVirlEnv();
    env.reset({ seed: 5 });
    advanceTo(env, 'milestone');
    const r = env.step(answer('forward()', 'No landmarks nearby'));
    expect([r.reward, r.info.verdict]).toEqual([-1.5, 'wrong_intersection']);
    expect(r.info.feedback).toMatch(/^you are at an intersection/);
    const ok = env.step(env.expertAnswer());
    expect(ok.reward).toBe(1);
    expect(ok.info.attempt).toBe(2);
  });

  it('keeps the reference observation check as an option (any intersection mention is wrong)', () => {
    const env = createVirlEnv({ verifier: { observationCheck: 'reference', feedbackBraces: 'reference' } });
    env.reset({ seed: 5 });
    advanceTo(env, 'milestone');
    const r = env.step(answer('forward()', 'I observe an intersection'));
    expect(r.reward).toBe(-1.5);
    expect(r.info.feedback).toMatch(/^you are not at any intersection/);
    expect(r.info.feedback).toContain('{{');
  });

  it('counts missing action fields as parse errors (−1)', () => {
    const env = createVirlEnv();
    env.reset({ seed: 6 });
    const r = env.step('I would go north');
    expect([r.reward, r.info.verdict, r.info.parsedAction]).toEqual([-1, 'parse_error', null]);
  });

  it('honours a configurable verification limit', () => {
    const env = createVirlEnv({ verificationLimit: 4 });
    env.reset({ seed: 6 });
    for (let i = 0; i < 3; i++) expect(env.step(answer('stop()')).truncated).toBe(false);
    const r = env.step(answer('stop()'));
    expect([r.reward, r.truncated, r.info.attempt]).toEqual([-1, true, 4]);
  });

  it('is tolerant of answer format but exact about content', () => {
    const env = createVirlEnv();
    env.reset({ seed: 7 });
    const gt = env.rail.points[0]!.expertAbsolute.replace('turn_direction(', '').replace(')', '');
    expect(env.step(`\`\`\`json\n{'current observation': 'x', 'action': 'Turn_Direction( "${gt}" )',}\n\`\`\``).reward).toBe(1);
    expect(env.step(`{"action": "forward ( )"}`).reward).toBe(env.rail.points[1]!.kind === 'forward' ? 1 : -1);
    const env2 = createVirlEnv();
    env2.reset({ seed: 7 });
    expect(env2.step(`{"action": "turn_direction(${gt.slice(0, -1)})"}`).reward).toBe(-1);
  });

  it('uses relative turn labels in the relative action space', () => {
    const env = createVirlEnv();
    env.reset({ seed: 8, variant: { actionSpace: 'relative' } });
    expect(env.expertAnswer()).toMatch(/"action": "turn_direction\((left|right|slightly left|slightly right)\)"/);
    expect(env.reset({ seed: 8, variant: { actionSpace: 'relative' } }).observation.prompt).toContain("x could be any following ['left', 'right', 'slightly left', 'slightly right']");
    while (!env.done) env.step(env.expertAnswer());
    expect(env.success).toBe(true);
  });

  it('shows the paper prompts and a compact prompt', () => {
    const env = createVirlEnv();
    const { observation: o } = env.reset({ seed: 1 });
    expect(o.prompt.startsWith('[Task Description]\nYou are an expert in navigation. You will receive a sequence of instructions to follow. You\nare also provided')).toBe(true);
    expect(o.prompt).toContain('identify the next sentence to be executed. \nThen');
    expect(o.prompt).toContain('[Observations and actions sequence]\nO_1: No landmarks nearby; \nA_1: ');
    expect(o.compactPrompt.length).toBeLessThan(o.prompt.length / 2);
    expect(o.compactPrompt.split('\n')[0]).toBe('nav abs txt');
    const v = env.reset({ seed: 1, variant: { observation: 'vision' } }).observation;
    expect(v.prompt).toContain('surrounding stree tviews');
    expect(v.prompt).toContain('[front, right\n back, left]');
    expect(v.current).toBe('You observe an image of 4 views; ');
    expect(v.image?.width).toBe(194);
  });

  it('accepts an explicit route and reports per-step accuracy and route success', () => {
    const route = sampleRoute(generateCity('lagos'), 3);
    const env = createVirlEnv();
    const outcomes = [];
    for (const policy of ['expert', 'wrong'] as const) {
      env.reset({ seed: 1, route });
      const rewards: number[] = [];
      while (!env.done) rewards.push(env.step(policy === 'expert' ? env.expertAnswer() : answer('stop()')).reward);
      outcomes.push({ rewards, success: env.success });
    }
    const m = virlMetrics(outcomes);
    expect(m.routeSuccess).toBe(0.5);
    // The always-wrong policy's two failed verifications at the first point end its route.
    expect(m.perStepAccuracy).toBeCloseTo(env.rail.points.length / (env.rail.points.length + 2));
  });
});
