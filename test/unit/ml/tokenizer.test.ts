import { describe, expect, it } from 'vitest';
import { createRng } from '../../../shared/util/rng';
import { createTokenizer, tokenizerFromSpec } from '../../../electron/ml/tokenizer';

const tok = createTokenizer();

describe('tokenizer', () => {
  it('round-trips prompts, answers and weird strings exactly', () => {
    const samples = [
      '',
      '{"cards": [\'A\', \'3\', \'K\', \'6\'], "number": [1, 3, 13, 6], "formula": "(13-6)*3+A=24"}',
      'You failed this trial because you didn\'t use numbers: [3, 10].',
      'Rule: J=11 Q=12 K=13. Target 24. Cards: 10 J 4 8\n',
      '"action": "turn_direction(northwest)"',
      '  leading and trailing  \t\n',
      'émoji 🃏 ♠♥ 中文 \u0000 \u007f \u0085',
      '\ud800 lone high, lone low \udfff, reversed \udc00\ud800',
      '<pad><eos><u><h0> literal special names',
      '1010101024242413',
    ];
    for (const s of samples) expect(tok.decode(tok.encode(s))).toBe(s);
  });

  it('round-trips random code-unit strings', () => {
    const rng = createRng(7);
    for (let n = 0; n < 200; n++) {
      let s = '';
      const len = rng.int(30);
      for (let i = 0; i < len; i++) {
        const r = rng.next();
        s += String.fromCharCode(r < 0.6 ? 32 + rng.int(95) : r < 0.8 ? rng.int(0x10000) : 0xd800 + rng.int(0x800));
      }
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
  });

  it('uses one token for numbers up to 40, card ranks and feedback phrases', () => {
    expect(tok.encode('24')).toHaveLength(1);
    expect(tok.encode('10')).toHaveLength(1);
    expect(tok.encode('K')).toHaveLength(1);
    expect(tok.encode('"formula"')).toHaveLength(1);
    expect(tok.encode('you used invalid numbers')).toHaveLength(1);
    expect(tok.encode('(10+2)*2')).toHaveLength(7);
  });

  it('never emits specials from text and drops them on decode unless asked', () => {
    const ids = tok.encode('<eos>');
    expect(ids).not.toContain(tok.eos);
    expect(tok.decode([tok.bos, ...tok.encode('ab'), tok.eos])).toBe('ab');
    expect(tok.decode([tok.bos, tok.eos], { keepSpecial: true })).toBe('<bos><eos>');
  });

  it('decodes malformed escapes to U+FFFD instead of throwing', () => {
    const esc = tok.encode('é');
    expect(esc).toHaveLength(5);
    expect(tok.decode(esc.slice(0, 3))).toBe('\uFFFD');
    expect(tok.decode([esc[1] as number])).toBe('\uFFFD');
    expect(() => tok.decode([tok.vocabSize])).toThrow(/outside the vocabulary/);
  });

  it('rebuilds the same vocabulary from its spec, with extra words appended', () => {
    const ext = createTokenizer({ extraWords: ['GeneralPoints'] });
    expect(ext.vocabSize).toBe(tok.vocabSize + 1);
    expect(ext.encode('GeneralPoints')).toEqual([tok.vocabSize]);
    const again = tokenizerFromSpec(JSON.parse(JSON.stringify(ext.toJSON())));
    expect(again.encode('GeneralPoints 24')).toEqual(ext.encode('GeneralPoints 24'));
    expect(() => createTokenizer({ extraWords: ['24'] })).toThrow(/twice/);
  });
});
