import { describe, expect, it } from 'vitest';
import { createGeneralPointsEnv, solveAll } from '../../../../../shared/tasks/generalpoints';
import { createRng } from '../../../../../shared/util/rng';
import { createGpCodec, createGpTokenizer, formulaUnits, GP_EXTRA_WORDS } from '../../../../../electron/ml/tasks/generalpoints/codec';
import { tokenizerFromSpec } from '../../../../../electron/ml/tokenizer';
import { codec } from '../../engine/fixtures';

describe('GeneralPoints codec', () => {
  it('every unit is one vocabulary entry, and the tokenizer spec rebuilds the same codec', () => {
    for (const u of [...GP_EXTRA_WORDS, 'T', '>', '|', '(', ')', '_', '+', '-', '*', '/', '<bos>', '<eos>', '<pad>']) {
      const id = codec.id(u);
      expect(codec.unit(id)).toBe(u);
      expect(id).toBeLessThan(codec.tokenizer.vocabSize);
    }
    const again = createGpCodec(tokenizerFromSpec(createGpTokenizer().toJSON()));
    expect(again.id('n24')).toBe(codec.id('n24'));
    expect(() => createGpCodec(tokenizerFromSpec({ version: 1, words: [] }))).toThrow(/GP_EXTRA_WORDS/);
  });

  it('encodes the recipe prompt in 14 tokens and round-trips the raw text', () => {
    const p = codec.encodePrompt([10, 10, 10], 24, [11, 10, 4, 8]);
    expect(codec.tokensToText(p)).toBe('<bos> rJ n10 rQ n10 rK n10 T n24 cJ c10 c4 c8 >');
    expect(p).toHaveLength(codec.promptTokens);
    const a = codec.encodeAnswer([10, 10, 4, 8], '10*(8/10)*4');
    expect(codec.tokensToText(a)).toBe('n10 n10 n4 n8 | n10 * ( n8 / n10 ) * n4 <eos>');
    expect(codec.textToTokens(codec.tokensToText([...p, ...a]))).toEqual([...p, ...a]);
  });

  it('every solution of every value multiset fits the 17-token answer budget', () => {
    let count = 0;
    for (let a = 1; a <= 13; a++)
      for (let b = a; b <= 13; b++)
        for (let c = b; c <= 13; c++)
          for (let d = c; d <= 13; d++)
            for (const f of solveAll([a, b, c, d], 24)) {
              expect(codec.encodeAnswer([a, b, c, d], f).length).toBeLessThanOrEqual(codec.maxAnswerTokens);
              count++;
            }
    expect(count).toBeGreaterThan(4000);
  });

  it('the expert answer, encoded then decoded, is correct in the real env (ID and OOD)', () => {
    for (const rule of ['face10', 'face11-13'] as const) {
      for (let seed = 0; seed < 60; seed++) {
        const env = createGeneralPointsEnv({ verificationLimit: 3 });
        env.reset({ seed, variant: { rule } });
        const hand = env.currentHand!;
        for (const f of solveAll(hand.values, 24).slice(0, 3)) {
          const text = codec.answerToEnvText(codec.encodeAnswer(hand.values, f));
          const env2 = createGeneralPointsEnv({ verificationLimit: 3 });
          env2.reset({ seed, variant: { rule } });
          expect(env2.step(text).info.verdict, text).toBe('correct');
        }
      }
    }
  });

  it('attempt blocks are 20 tokens with the true verdict and value', () => {
    const ans = codec.encodeAnswer([10, 10, 4, 8], '10*(8/10)*4');
    const val = codec.encodeBlock(ans, 'wrong_value', '32', '10*(8/10)*4');
    expect(val).toHaveLength(codec.blockTokens);
    expect(codec.tokensToText(val.slice(-3))).toBe('F_val n32 >');
    expect(codec.tokensToText(codec.encodeBlock(ans, 'wrong_value', '71/3', null).slice(-3))).toBe('F_val F_na >');
    expect(codec.tokensToText(codec.encodeBlock(ans, 'wrong_value', '41', null).slice(-3))).toBe('F_val F_na >');
    // The env does not evaluate a formula with the wrong numbers; the codec does (12*2 = 24).
    expect(codec.tokensToText(codec.encodeBlock(ans, 'wrong_numbers', null, '12*2').slice(-3))).toBe('F_num n24 >');
    expect(codec.tokensToText(codec.encodeBlock(ans, 'illegal_formula', null, null).slice(-3))).toBe('F_parse F_na >');
    expect(() => codec.encodeBlock(ans, 'correct', '24', null)).toThrow(/correct/);
  });

  it('any token sequence decodes to text the env judges without throwing (never correct by accident)', () => {
    const rng = createRng(3);
    const env = createGeneralPointsEnv({ verificationLimit: 10 });
    for (let i = 0; i < 200; i++) {
      env.reset({ seed: i, variant: { rule: 'face10' } });
      const toks = Array.from({ length: 1 + rng.int(17) }, () => rng.int(codec.tokenizer.vocabSize));
      const text = codec.answerToEnvText(toks);
      const v = env.step(text).info.verdict;
      expect(['correct', 'wrong_value', 'wrong_numbers', 'illegal_formula', 'parse_error']).toContain(v);
    }
    // No separator: nothing is read as a formula.
    expect(codec.decodeAnswer([codec.id('n10'), codec.id('+'), codec.id('n4')])).toMatchObject({ hasSeparator: false, formula: '' });
    // Adjacent numbers stay apart, unknown units become '?'.
    const d = codec.decodeAnswer(['n1', '|', 'n1', 'n2', 'cK', '<eos>', 'n5'].map(codec.id));
    expect(d).toEqual({ numbers: [1], formula: '1 2?', hasSeparator: true });
    expect(formulaUnits('(11+1)*(1+1)')).toHaveLength(11);
  });
});
