import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../../../../shared/tasks/virl/parse';
import { createRng } from '../../../../../shared/util/rng';
import { actionUnits, createVirlCodec, MAX_PROMPT_TOKENS, sentenceUnits } from '../../../../../electron/ml/tasks/virl/codec';
import { virlCurriculumExample } from '../../../../../electron/ml/tasks/virl/curriculum';
import { createVirlTask, evalRoutes } from '../../../../../electron/ml/tasks/virl/task';

const codec = createVirlCodec();
const task = createVirlTask(codec);

describe('the V-IRL token codec', () => {
  it('encodes sentences with both turn words, and actions of both vocabularies', () => {
    expect(sentenceUnits('First, turn slightly left to face northeast.')).toEqual(['St', 'r_sl', 'c_northeast']);
    expect(sentenceUnits('Turn right to face south.')).toEqual(['St', 'r_r', 'c_south']);
    expect(sentenceUnits('Move forward until you reach next intersection.')).toEqual(['Sm', 'Lno', 'on_none']);
    expect(sentenceUnits('Move forward until you reach destination where The destination Carver Store is on your right.')).toEqual(['Sd', expect.stringMatching(/^L\d+$/), 'on_right']);
    expect(() => sentenceUnits('Jump.')).toThrow('not a V-IRL instruction sentence: "Jump."');
    expect(actionUnits('turn_direction(slightly right)')).toEqual(['At', 'r_sr']);
    expect(() => actionUnits('fly()')).toThrow(/no units for the action "fly\(\)"/);
  });

  it('round-trips answers: tokens → text → tokens, and the env reads the action and the claim the tokens say', () => {
    for (const [claim, action] of [[true, 'turn_direction(northwest)'], [false, 'forward()'], [false, 'stop()'], [true, 'turn_direction(left)']] as const) {
      const tokens = codec.encodeAnswer(claim, action);
      expect(codec.textToTokens(codec.tokensToText(tokens))).toEqual(tokens);
      expect(codec.decodeAnswer(tokens)).toEqual({ claim, action });
      const parsed = parseAnswer(codec.answerToAction(tokens));
      expect(parsed.action).toBe(action);
      expect(/intersection/.test(parsed.observation ?? '') && !/No /.test(parsed.observation ?? '')).toBe(claim);
    }
    // A malformed answer has no action the env can execute.
    const junk = [codec.id('At'), codec.id('Af'), codec.tokenizer.eos];
    expect(codec.decodeAnswer(junk).action).toBeNull();
  });

  it('the expert, through the codec, is right at every step of held-out routes in both action spaces', () => {
    for (const split of ['id', 'ood'] as const) {
      for (const spec of evalRoutes(codec, 7, split, 12)) {
        const env = task.makeEnv(2);
        let { observation } = env.reset(spec);
        expect(codec.encodeObservation(observation).tokens.length).toBeLessThanOrEqual(MAX_PROMPT_TOKENS);
        let rewards = 0;
        let steps = 0;
        for (;;) {
          const point = observation.state;
          // The expert's action from the (absolute or relative) rail, encoded and decoded like a model's answer.
          const expert = (env as unknown as { env: { rail: { points: { expertAbsolute: string; expertRelative: string }[] }; pointIndex: number } }).env;
          const p = expert.rail.points[expert.pointIndex]!;
          const action = spec.variant.actionSpace === 'absolute' ? p.expertAbsolute : p.expertRelative;
          const r = env.step(codec.answerToAction(codec.encodeAnswer(point.atIntersection, action)));
          rewards += r.reward;
          steps++;
          observation = r.observation;
          if (r.terminated || r.truncated) {
            expect(r.terminated, `${split} route ${String(spec.variant.routeSeed)}`).toBe(true);
            break;
          }
        }
        expect(rewards).toBe(steps); // +1 at every step: per-step accuracy 100%
      }
    }
  });

  it('evaluation routes are fixed, held out from training routes (odd route seeds), and the same for both splits', () => {
    const id = evalRoutes(codec, 42, 'id', 20);
    const ood = evalRoutes(codec, 42, 'ood', 20);
    expect(evalRoutes(codec, 42, 'id', 20)).toEqual(id);
    expect(id.map((s) => s.variant.routeSeed)).toEqual(ood.map((s) => s.variant.routeSeed));
    expect(id.every((s) => (s.variant.routeSeed as number) % 2 === 1 && s.variant.actionSpace === 'absolute')).toBe(true);
    expect(ood.every((s) => s.variant.actionSpace === 'relative')).toBe(true);
    const training = task.trainingEpisodes(createRng(3), 20);
    expect(training.every((s) => (s.variant.routeSeed as number) % 2 === 0 && s.variant.actionSpace === 'absolute')).toBe(true);
  });

  it('the base curriculum: synthetic lists (never a city route), both vocabularies, prompts that fit, retries with true feedback', () => {
    const rng = createRng(5);
    const examples = Array.from({ length: 400 }, () => virlCurriculumExample(rng, codec, { maxAttempts: 2 }));
    const vrel = codec.id('Vrel');
    const rel = examples.filter((e) => e.prompt[1] === vrel).length / examples.length;
    expect(rel).toBeGreaterThan(0.15);
    expect(rel).toBeLessThan(0.35);
    expect(examples.every((e) => e.prompt.length + e.answer.length <= codec.contextFor(2))).toBe(true);
    const withRetry = examples.filter((e) => e.prompt.some((t) => [codec.id('F_act'), codec.id('F_int')].includes(t)));
    expect(withRetry.length).toBeGreaterThan(100);
  });
});
