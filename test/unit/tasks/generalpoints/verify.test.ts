import { describe, expect, it } from 'vitest';
import { GP_REWARDS, expertAnswer, handFromCards, solveAll, verifyAnswer, type GpHand, type GpVariant } from '../../../../shared/tasks/generalpoints/index';

function hand(cards: string, variant: Partial<GpVariant> = {}): GpHand {
  const h = handFromCards(cards, variant);
  if (!h.ok) throw new Error(h.error);
  return h.value;
}

const h8383 = hand('8,3,8,3');

describe('reward table (default verifier: one verdict, never summed)', () => {
  const cases: Array<[string, string, keyof typeof GP_REWARDS]> = [
    ['correct', '{"formula": "8/(3-8/3)=24"}', 'correct'],
    ['legal, right numbers, wrong value', '{"formula": "8*3+8-3"}', 'wrong_value'],
    ['numbers not the cards', '{"formula": "8*3*1*1"}', 'wrong_numbers'],
    ['illegal formula', '{"formula": "8*(3+8"}', 'illegal_formula'],
    ['illegal and wrong numbers: still one −3, not summed', '{"formula": "8**(3++5"}', 'illegal_formula'],
    ['no formula at all', 'I think the answer is twenty-four', 'parse_error'],
  ];
  for (const [name, answer, verdict] of cases) {
    it(name, () => {
      const r = verifyAnswer(h8383, answer);
      expect(r.verdict).toBe(verdict);
      expect(r.reward).toBe(GP_REWARDS[verdict]);
    });
  }

  it('the table is the paper\'s', () => {
    expect(GP_REWARDS).toMatchObject({ correct: 5, wrong_value: -1, wrong_numbers: -2, illegal_formula: -3, wrong_cards: -1.5, over_limit: -1 });
  });

  it('vision variant: wrong cards −1.5 checked first; right cards then the formula', () => {
    const v = hand('8S,3C,8C,3S', { vision: true, colors: 'black' });
    const wrong = verifyAnswer(v, `{"cards": ['8', '3', '8', '2'], "formula": "8/(3-8/3)"}`);
    expect([wrong.verdict, wrong.reward]).toEqual(['wrong_cards', -1.5]);
    expect(wrong.feedback).not.toMatch(/3, 8, 3/); // never reveals the true cards
    expect(verifyAnswer(v, '{"formula": "8/(3-8/3)"}').verdict).toBe('wrong_cards');
    // Strict JSON and unquoted lists are fine here (the reference's quirk fails them).
    expect(verifyAnswer(v, '{"cards": ["8", "3", "8", "3"], "formula": "8/(3-8/3)"}').verdict).toBe('correct');
    expect(verifyAnswer(v, '{"cards": [8, 3, 8, 3], "formula": "8/(3-8/3)"}').verdict).toBe('correct');
  });
});

describe('feedback names the exact problem', () => {
  const h = hand('7,3,10,2');
  it('a number used twice and one not used', () => {
    expect(verifyAnswer(h, '7*3+7-10').feedback).toBe('the formula uses 7 twice and does not use 2; cards are 7, 3, 10, 2.');
  });
  it('a face card written with the other rule\'s value', () => {
    const j = hand('J,3,7,2');
    expect(verifyAnswer(j, '11*2+3-7+...').verdict).toBe('illegal_formula');
    expect(verifyAnswer(j, '(11-7)*3*2').feedback).toBe('the formula uses 11, which is not a card value (J counts as 10 here) and does not use 10; cards are J (10), 3, 7, 2.');
    const ood = hand('J,3,7,2', { rule: 'face11-13' });
    expect(verifyAnswer(ood, '(10-7)*3*2').feedback).toContain('J counts as 11 here');
  });
  it('letters, unary minus, missing operators, unclosed brackets, division by zero, wrong value', () => {
    expect(verifyAnswer(h, 'K*2').feedback).toContain("letter 'K'");
    expect(verifyAnswer(hand('K,2,1,1'), 'K*2+1+1').feedback).toContain('K counts as 10 here');
    expect(verifyAnswer(h, '-7+3*10-2').feedback).toContain('unary signs');
    expect(verifyAnswer(h, '7 3*10-2').feedback).toContain("operator is missing between '7' and '3'");
    expect(verifyAnswer(h, '(7+3*(10-2)').feedback).toContain('never closed');
    expect(verifyAnswer(h, '7/(3-3)').verdict).toBe('wrong_numbers');
    expect(verifyAnswer(hand('3,3,7,2'), '7/(3-3)*2').feedback).toBe('the formula 7/(3-3)*2 divides by zero.');
    expect(verifyAnswer(h, '7+3+10+2').feedback).toBe('the formula 7+3+10+2 evaluates to 22, not 24.');
    expect(verifyAnswer(h, '7/3+10+2').value).toBe('43/3');
  });
});

describe('tolerant answer parsing', () => {
  const good: Array<[string, string]> = [
    ['strict JSON', '{"cards": ["8", "3", "8", "3"], "number": [8, 3, 8, 3], "formula": "8/(3-8/3)=24"}'],
    ['the paper\'s response format', expertAnswer(h8383) as string],
    ['single quotes', "{'cards': ['8', '3', '8', '3'], 'formula': '8/(3-8/3)'}"],
    ['trailing commas', '{\n  "number": [8, 3, 8, 3,],\n  "formula": "8/(3-8/3)",\n}'],
    ['=24 suffix with spaces', '{"formula": "8 / (3 - 8 / 3) = 24"}'],
    ['24 = prefix', '{"formula": "24 = 8/(3-8/3)"}'],
    ['unquoted lists and value', '{cards: [8, 3, 8, 3], formula: 8/(3-8/3)}'],
    ['bare formula', '8/(3-8/3)'],
    ['bare formula with =24', '8/(3-8/3)=24'],
    ['unicode operators', '8÷(3−8÷3)'],
    ['code fence', '```json\n{"formula": "8/(3-8/3)"}\n```'],
    ['formula on its own line after prose', 'Let me think.\nThe cards are 8, 3, 8, 3.\n8/(3-8/3) = 24'],
    ['key in capitals', '{"Formula": "8/(3-8/3)"}'],
    ['trailing full stop', 'formula: 8/(3-8/3).'],
  ];
  for (const [name, text] of good) {
    it(`accepts ${name}`, () => {
      const r = verifyAnswer(h8383, text);
      expect(r.feedback).toBe('correct: 8/(3-8/3) = 24.');
      expect(r.reward).toBe(5);
    });
  }
  it('accepts x and × as multiplication between operands', () => {
    expect(verifyAnswer(hand('8,3,1,1'), '8 x 3 × 1 x 1').verdict).toBe('correct');
  });
  it('reads the cards and number fields', () => {
    const r = verifyAnswer(h8383, expertAnswer(h8383) as string);
    expect(r.parsed).toMatchObject({ cards: ['8', '3', '8', '3'], number: ['8', '3', '8', '3'], source: 'field' });
  });
});

describe('referenceQuirks: the reference code\'s verifier', () => {
  const ref = (h: GpHand, text: string) => verifyAnswer(h, text, { referenceQuirks: true });
  it('float evaluation misses 8/(3-8/3): reward 0, message "."', () => {
    const r = ref(h8383, '{"formula": "8/(3-8/3)=24"}');
    expect([r.reward, r.feedback, r.verdict]).toEqual([0, '.', 'float_miss']);
  });
  it('sums penalties: −3 per grammar error, −2 per number problem', () => {
    const r = ref(hand('7,3,10,2'), '{"formula": "7++3*(5"}');
    expect(r.reward).toBe(-3 - 2 - 2);
    expect(r.feedback).toBe("invalid sequence after operator, you used invalid numbers: [5], you didn't use numbers: [10, 2].");
  });
  it('+1 partial solution when evaluation fails on a solution prefix', () => {
    expect(solveAll(h8383.values, 24)).toEqual(['8/(3-8/3)']);
    const r = ref(h8383, '{"formula": "8/(3-8/3"}');
    expect([r.reward, r.feedback]).toEqual([1, 'partial solution.']);
  });
  it('prefix messages, spaces illegal, single quotes unreadable, vision list quirk', () => {
    const h = hand('4,4,10,10');
    expect(ref(h, '{"formula": "(10*10-4)*4"}').feedback).toBe('(10*10-4) is partially correct but the full formula does not match any solution.');
    expect(ref(h, '{"formula": "4*4+10-10"}')).toMatchObject({ reward: -1, feedback: 'your formula does not match any solution.' });
    expect(ref(h, '{"formula": "(10*10 - 4)/4"}')).toMatchObject({ reward: -3, feedback: 'illegal characters.' });
    expect(ref(h, "{'formula': '(10*10-4)/4'}")).toMatchObject({ reward: -3, verdict: 'parse_error' });
    expect(ref(h, '{"formula": "(10*10-4)/4"}')).toMatchObject({ reward: 5, feedback: 'Correct solution.' });
    const v = hand('4S,4C,10S,10C', { vision: true, colors: 'black' });
    expect(ref(v, '{"cards": ["4", "4", "10", "10"], "formula": "(10*10-4)/4"}')).toMatchObject({ reward: -1.5, feedback: 'you recognized wrong cards' });
    expect(ref(v, expertAnswer(v) as string).reward).toBe(5);
  });
  // The four classes where the differential test against the Python reference disagreed.
  it('Unicode digits: Python reads them as numbers, then its eval fails: −1', () => {
    const r = ref(h8383, '{"formula": "８/(３-８/３)"}');
    expect([r.reward, r.verdict, r.feedback]).toEqual([-1, 'wrong_value', 'your formula does not match any solution.']);
    expect(ref(h8383, '{"formula": "٨/(٣-٨/٣)"}').reward).toBe(-1); // Arabic-Indic digits too
    expect(ref(h8383, '{"formula": "８/(３-８/２)"}').feedback).toBe("you used invalid numbers: [2], you didn't use numbers: [3].");
  });
  it('JSON with NaN or Infinity is read as Python reads it', () => {
    const h = hand('5,5,1,5');
    expect(ref(h, '{"formula":"5*(5-1/5)", "number": Infinity}')).toMatchObject({ reward: 5, verdict: 'correct' });
    expect(ref(h, '{"number": -Infinity, "x": NaN, "formula":"5*(5-1/5)", "s": "NaN Infinity"}').reward).toBe(5);
    expect(ref(h, '{"formula": NaN}')).toMatchObject({ reward: -3, verdict: 'illegal_formula' });
  });
  it('more than 200 nested parentheses: Python cannot parse them, −1', () => {
    const h = hand('5,5,1,5');
    const nested = (n: number) => JSON.stringify({ formula: `${'('.repeat(n)}5*(5-1/5)${')'.repeat(n)}` });
    expect(ref(h, nested(199)).reward).toBe(5); // 200 levels with the formula's own
    expect(ref(h, nested(200)).reward).toBe(-1);
  });
  it('a carriage return or line separator inside a formula found by the fallback pattern is an illegal character', () => {
    for (const ch of ['\r', '\u2028', '\u2029']) {
      expect(ref(h8383, `{"formula": "8/(3-8/3)${ch}"}, not JSON`)).toMatchObject({ reward: -3, verdict: 'illegal_formula', feedback: 'illegal characters.' });
    }
  });
});

describe('bounded input: a verdict for any text, never a stack overflow', () => {
  const nested = (n: number) => `${'('.repeat(n)}8/(3-8/3)${')'.repeat(n)}`;

  it('reads parentheses up to 200 deep and refuses deeper nesting as an illegal formula', () => {
    expect(verifyAnswer(h8383, JSON.stringify({ formula: nested(199) })).verdict).toBe('correct');
    for (const n of [200, 10_000, 200_000]) {
      const r = verifyAnswer(h8383, JSON.stringify({ formula: nested(n) }));
      expect([r.verdict, r.reward]).toEqual(['illegal_formula', -3]);
      // With 200 around it, the formula's own '(' is the 201st.
      expect(r.feedback).toBe(`parentheses nest more than 200 deep at character ${n === 200 ? 203 : 201}.`);
    }
  });

  it('refuses a formula of more than 1000 symbols, which no hand needs', () => {
    const chain = Array(20_000).fill('8').join('+');
    const r = verifyAnswer(h8383, JSON.stringify({ formula: chain }));
    expect(r.verdict).toBe('illegal_formula');
    expect(r.feedback).toMatch(/^the formula has \d+ numbers, operators and parentheses; at most 1000 are read\.$/);
    for (const quirks of [false, true]) expect(() => verifyAnswer(h8383, JSON.stringify({ formula: nested(100_000) }), { referenceQuirks: quirks })).not.toThrow();
  });
});
