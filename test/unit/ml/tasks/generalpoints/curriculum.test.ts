import { describe, expect, it } from 'vitest';
import { createGeneralPointsEnv, solveAll, verifyAnswer } from '../../../../../shared/tasks/generalpoints';
import { createRng } from '../../../../../shared/util/rng';
import { curriculumExample, HELD_OUT_RULES, sampleRule, wrongAttemptBlock, drawCurriculumHand } from '../../../../../electron/ml/tasks/generalpoints/curriculum';
import { expertFormula, sftExamples } from '../../../../../electron/ml/tasks/generalpoints/task';
import { codec } from '../../engine/fixtures';

const key = (r: readonly number[]) => r.join(',');

describe('base curriculum', () => {
  it('never emits the held-out rules and keeps the recipe mix', () => {
    const rng = createRng(1);
    const held = new Set(HELD_OUT_RULES.map(key));
    let equal = 0;
    let consecutive = 0;
    const N = 20000;
    for (let i = 0; i < N; i++) {
      const r = sampleRule(rng);
      expect(held.has(key(r))).toBe(false);
      r.forEach((v) => expect(v >= 1 && v <= 13).toBe(true));
      if (r[0] === r[1] && r[1] === r[2]) equal++;
      else if (r[1] === r[0] + 1 && r[2] === r[1] + 1) consecutive++;
    }
    // 25% all-equal (+ the rare i.i.d. draw), 25% consecutive (+ rare), less the held-out redraws.
    expect(equal / N).toBeGreaterThan(0.23);
    expect(equal / N).toBeLessThan(0.28);
    expect(consecutive / N).toBeGreaterThan(0.23);
    expect(consecutive / N).toBeLessThan(0.28);
  });

  it('single-turn answers are valid solutions under the stated rule', () => {
    const rng = createRng(2);
    for (let i = 0; i < 300; i++) {
      const e = curriculumExample(rng, codec, { maxAttempts: 1 });
      expect(e.prompt).toHaveLength(codec.promptTokens);
      // The prompt states the rule's J/Q/K values.
      expect(codec.tokensToText(e.prompt.slice(1, 7))).toBe(`rJ n${e.rule[0]} rQ n${e.rule[1]} rK n${e.rule[2]}`);
      expect(verifyAnswer(e.hand, codec.answerToEnvText(e.answer)).verdict).toBe('correct');
    }
  });

  it('multi-turn examples carry 0–2 wrong attempts with the true verifier feedback', () => {
    const rng = createRng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 300; i++) {
      const e = curriculumExample(rng, codec, { maxAttempts: 3 });
      const blocks = (e.prompt.length - codec.promptTokens) / codec.blockTokens;
      expect(Number.isInteger(blocks) && blocks >= 0 && blocks <= 2).toBe(true);
      counts[blocks]! += 1;
      for (let k = 0; k < blocks; k++) {
        const block = e.prompt.slice(codec.promptTokens + k * codec.blockTokens, codec.promptTokens + (k + 1) * codec.blockTokens);
        const answer = block.slice(0, codec.maxAnswerTokens).filter((t) => t !== codec.id('_'));
        const r = verifyAnswer(e.hand, codec.answerToEnvText(answer));
        expect(r.verdict).not.toBe('correct');
        expect(block.slice(codec.maxAnswerTokens)).toEqual(codec.encodeBlock(answer, r.verdict, r.value, r.formula).slice(codec.maxAnswerTokens));
      }
      expect(verifyAnswer(e.hand, codec.answerToEnvText(e.answer)).verdict).toBe('correct');
    }
    expect(counts[0]! / 300).toBeGreaterThan(0.2);
    expect(counts[1]! / 300).toBeGreaterThan(0.3);
    expect(counts[2]! / 300).toBeGreaterThan(0.2);
  });

  it('synthetic wrong attempts cover every feedback verdict', () => {
    const rng = createRng(4);
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const hand = drawCurriculumHand(rng, sampleRule(rng));
      seen.add(codec.unit(wrongAttemptBlock(rng, codec, hand)[codec.maxAnswerTokens]!));
    }
    expect([...seen].sort()).toEqual(['F_num', 'F_parse', 'F_val']);
  });

  it('SFT examples: canonical is deterministic per hand, diverse varies, both verify', () => {
    const a = sftExamples(createRng(5), codec, 64, 'canonical');
    expect(sftExamples(createRng(5), codec, 64, 'canonical')).toEqual(a);
    for (const e of a) expect(codec.tokensToText(e.prompt.slice(1, 9))).toBe('rJ n10 rQ n10 rK n10 T n24');
    const env = createGeneralPointsEnv();
    let seed = 0;
    do env.reset({ seed: seed++, variant: { rule: 'face10' } });
    while (solveAll(env.currentHand!.values, 24).length < 5);
    const hand = env.currentHand!;
    const rng = createRng(6);
    const canon = expertFormula(hand, 'canonical', rng);
    expect(canon).toBe(solveAll(hand.values, 24)[0]);
    const picks = new Set(Array.from({ length: 50 }, () => expertFormula(hand, 'diverse', rng)));
    expect(picks.size).toBeGreaterThan(1);
    for (const f of picks) expect(verifyAnswer(hand, codec.answerToEnvText(codec.encodeAnswer(hand.values, f))).verdict).toBe('correct');
  });
});

describe('base curriculum for long episodes (verification iterations up to 10)', () => {
  it('keeps the recipe mix up to 3 attempts and trains every position of a 10-attempt episode', async () => {
    const { wrongAttemptProbs, DEFAULT_WRONG_ATTEMPT_PROBS } = await import('../../../../../electron/ml/tasks/generalpoints/curriculum');
    expect(wrongAttemptProbs(3)).toEqual(DEFAULT_WRONG_ATTEMPT_PROBS);
    expect(wrongAttemptProbs(1)).toEqual([0.3]);
    const p10 = wrongAttemptProbs(10);
    expect(p10).toHaveLength(10);
    expect(p10.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    const rng = createRng(9);
    const counts = new Array<number>(10).fill(0);
    let longest = 0;
    for (let i = 0; i < 600; i++) {
      const e = curriculumExample(rng, codec, { maxAttempts: 10 });
      counts[(e.prompt.length - codec.promptTokens) / codec.blockTokens]! += 1;
      longest = Math.max(longest, e.prompt.length + e.answer.length);
      expect(e.prompt.length + e.answer.length).toBeLessThanOrEqual(codec.contextFor(10));
    }
    expect(counts.every((c) => c > 10)).toBe(true); // 0 … 9 wrong attempts all occur
    expect(longest).toBeGreaterThan(codec.contextFor(9)); // the last block's positions are reached
  });
});
