/**
 * The vision-language base curriculum (issue 11; RL-NOTES §2 GP-VL): what a foundation model
 * brings to GP-VL, never the in-distribution task itself.
 * - Card recognition: a single card in one of the four slots of the hand layout, or a hand of
 *   four, every rank and all four suits (red and black alike) → the cards field (`cK c3 <eos>`
 *   after the prompt `<bos> R >`).
 * - The language skills of the GP-L base in the GP-VL answer format: a random stated rule (never
 *   J/Q/K = 10 nor 11/12/13), a solvable hand of mixed suits shown as its image, and the answer
 *   naming the cards, their values and a valid formula (curriculum.ts, with the codec's vision).
 *
 * Colour carries no label: suits are drawn uniformly from all four, independently of the rank, so
 * red ink is as common as black for every rank and a model cannot learn "red means X". The base
 * sees red cards, as a foundation model has; only the post-training is restricted to black.
 */
import type { Rng } from '../../../../shared/util/rng';
import { RANKS, SUITS, rankLabel, type Card } from '../../../../shared/tasks/generalpoints/cards';
import { renderCards } from '../../../../shared/tasks/generalpoints/image';
import type { GpCodec } from './codec';
import { curriculumExample, type CurriculumOptions, type GpExample } from './curriculum';

/** Share of the vision-language base's examples that are recognition only (the rest: the full answer under a random rule). */
export const RECOGNITION_SHARE = 0.4;

/** The recognition prompt: `<bos> R >` ("read the cards"). */
export function recognitionPrompt(codec: GpCodec): number[] {
  return ['<bos>', 'R', '>'].map((u) => codec.id(u));
}

/** A random card: any rank, any of the four suits. */
function randomCard(rng: Rng): Card {
  return { rank: rng.pick(RANKS), suit: rng.pick(SUITS) };
}

/** A recognition example: one card in a random slot (half the time) or a hand of four; the answer lists the cards left to right. */
export function recognitionExample(rng: Rng, codec: GpCodec): GpExample & { cards: Card[] } {
  const size = codec.imageSize;
  if (!size) throw new Error('recognition examples need the vision-language codec (an image size)');
  let slots: (Card | null)[];
  if (rng.next() < 0.5) {
    slots = [null, null, null, null];
    slots[rng.int(4)] = randomCard(rng);
  } else {
    slots = [0, 1, 2, 3].map(() => randomCard(rng));
  }
  const cards = slots.filter((c): c is Card => c !== null);
  const answer = [...cards.map((c) => `c${rankLabel(c.rank)}`), '<eos>'].map((u) => codec.id(u));
  return { prompt: recognitionPrompt(codec), answer, image: renderCards(slots, size), cards };
}

/** One vision-language base example: recognition, or the GP answer format under a random rule with the hand as an image. */
export function vlCurriculumExample(rng: Rng, codec: GpCodec, opts: CurriculumOptions): GpExample & { kind: 'recognition' | 'rule'; cards: Card[] } {
  if (rng.next() < RECOGNITION_SHARE) return { ...recognitionExample(rng, codec), kind: 'recognition' };
  const e = curriculumExample(rng, codec, opts);
  return { prompt: e.prompt, answer: e.answer, ...(e.image ? { image: e.image } : {}), kind: 'rule', cards: e.hand.cards };
}
