import { describe, expect, it } from 'vitest';
import { cardDisplay, handFromCards, paperPrompt, renderCards, type GpHand, type GpVariant } from '../../../../shared/tasks/generalpoints/index';

function hand(cards: string, variant: Partial<GpVariant> = {}): GpHand {
  const h = handFromCards(cards, variant);
  if (!h.ok) throw new Error(h.error);
  return h.value;
}

// prompt_lib/prompts.py of LeslieTrue/SFTvsRL, copied verbatim ({{ }} are literal braces after .format).
const Q_L = `
[Task Description]
You are an expert {target_number} points card game player. You will receive a set of 4 cards.
Note that {face_card_msg}, and each card must be used once.
Your goal is to output a formula that evaluates to {target_number} using numbers from the cards and operators such as '+', '-', '*', '/', '(', ')', and '='.

[Input]
Cards: {cards}

[Output]
{{
  "cards": [x, y, z, w], where {face_card_msg},
  "number": [a, b, c, d], where a, b, c, and d are the numbers on the cards,
  "formula": 'an equation that equals {target_number}',
}}

`;
const Q_VL_EG = `
[Task Description]
You are an expert {target_number} points card game player. You are observing these four cards in the image.
Note that {face_card_msg}, and each card must be used once.
Your goal is to output a formula that evaluates to {target_number} using numbers from the cards and operators such as '+', '-', '*', '/', '(', ')', and '='.

[Output]
Your response should be a valid json file in the following format:
{{
  "cards": [x, y, z, w], where {face_card_msg},
  "number": [a, b, c, d], where a, b, c, and d are the numbers on the cards,
  "formula": 'an equation that equals {target_number}',
}}

[Output Example]
{{
  "cards": [4, 3, 2, K],
  "number": [4, 3, 2, 10],
  "formula": "4*3+2+10=24",
}}

Please only output the json.
`;

function format(t: string, args: Record<string, string>): string {
  return t.replace(/\{\{|\}\}|\{(\w+)\}/g, (m, k?: string) => (m === '{{' ? '{' : m === '}}' ? '}' : (args[k as string] as string)));
}

describe('paper prompts are the reference templates verbatim', () => {
  it('GP-L, in-distribution rule', () => {
    const msg = "'J', 'Q', and 'K' count as '10'.";
    expect(paperPrompt(hand('A,3,K,6'))).toBe(format(Q_L, { target_number: '24', face_card_msg: msg, cards: "['A', '3', 'K', '6']" }));
  });
  it('GP-VL with the output example, OOD rule', () => {
    const msg = "'J', 'Q', and 'K' count as '11', '12', and '13' respectively.";
    expect(paperPrompt(hand('A,3,K,6', { rule: 'face11-13', vision: true }), true)).toBe(format(Q_VL_EG, { target_number: '24', face_card_msg: msg }));
  });
});

describe('card image and display model', () => {
  it('deterministic RGB of the requested size, inks follow the suit colour', () => {
    const cards = hand('QS,10H,4D,AC').cards;
    const a = renderCards(cards), b = renderCards(cards);
    expect(a.data.length).toBe(96 * 48 * 3);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const big = renderCards(cards, { width: 400, height: 200 });
    expect([big.width, big.height, big.data.length]).toEqual([400, 200, 400 * 200 * 3]);
    const has = (img: typeof a, rgb: number[]) => {
      for (let i = 0; i < img.data.length; i += 3) if (img.data[i] === rgb[0] && img.data[i + 1] === rgb[1] && img.data[i + 2] === rgb[2]) return true;
      return false;
    };
    expect(has(a, [198, 40, 40]) && has(a, [17, 17, 17])).toBe(true);
    expect(has(renderCards(hand('QS,10S,4C,AC').cards), [198, 40, 40])).toBe(false);
    // Different ranks give different pixels.
    expect(Buffer.from(renderCards(hand('QS,10S,4C,AC').cards).data).equals(Buffer.from(renderCards(hand('KS,10S,4C,AC').cards).data))).toBe(false);
  });
  it('display model for SVG', () => {
    expect(cardDisplay({ rank: 10, suit: 'H' })).toEqual({ rankLabel: '10', suitSymbol: '♥', suitName: 'hearts', color: 'red', colorHex: '#c62828', code: '10H', isFace: false });
    expect(cardDisplay({ rank: 12, suit: 'S' })).toMatchObject({ rankLabel: 'Q', color: 'black', isFace: true });
  });
});
