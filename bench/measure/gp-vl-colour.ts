/**
 * The colour-shortcut measurement of GP-VL (issue 11): a recognition model (the gp-visual preset's
 * encoder, d64, 2 layers) trained on the base curriculum's recognition examples — mixed suits, as
 * the base — or on the same examples with every card in black ink (what post-training alone shows),
 * then read on black and on red cards: single cards in every slot, and hands of four.
 *
 *   node bin/run-ts.mjs bench/measure/gp-vl-colour.ts [steps=2500]
 *
 * Red vs black ink is mostly one channel; if an encoder that never saw red still read red cards,
 * the visual OOD would be trivially easy, and if the base never showed red it would be impossible.
 */
import { ensureBackend } from '../../electron/ml/backend';
import { supervisedUpdate } from '../../electron/ml/engine/sft';
import { createAdamW, createModel, disposeAdamW, disposeModel, generate, RECIPE_ADAMW, type PolicyModel } from '../../electron/ml/model';
import { recognitionExample, recognitionPrompt } from '../../electron/ml/tasks/generalpoints/curriculum-vl';
import { gpTaskFor } from '../../electron/ml/tasks/generalpoints/task';
import { RANKS, rankLabel, type Card, type Suit } from '../../shared/tasks/generalpoints/cards';
import { renderCards } from '../../shared/tasks/generalpoints/image';
import { GP_VISUAL } from '../../shared/experiments/presets';
import { createRng } from '../../shared/util/rng';

const steps = Number(process.argv[2] ?? 2500);
const image = GP_VISUAL.image!;
const task = gpTaskFor(GP_VISUAL);
const codec = task.codec;
const BLACK: Record<Suit, Suit> = { S: 'S', C: 'C', H: 'S', D: 'C' };

/** The slots of a recognition example (its image is the hand layout with empty slots as table). */
function slotsOf(cards: Card[], img: Uint8Array): (Card | null)[] {
  if (cards.length === 4) return cards;
  for (let k = 0; k < 4; k++) {
    const slots: (Card | null)[] = [null, null, null, null];
    slots[k] = cards[0] as Card;
    if (Buffer.from(renderCards(slots, image).data).equals(Buffer.from(img))) return slots;
  }
  throw new Error('slot not found');
}

function read(model: PolicyModel, images: Uint8Array[], tokens: number): string[] {
  const out = generate(model, { prompts: images.map(() => recognitionPrompt(codec)), images, maxNewTokens: tokens + 1, padToken: codec.tokenizer.pad, stopToken: codec.tokenizer.eos, temperature: 0 });
  return out.tokens.map((t) => t.slice(0, tokens).map((x) => codec.unit(x)).join(' '));
}

const backend = await ensureBackend('auto');
console.log(`backend ${backend.name}; ${steps} steps of 32 recognition examples each`);
for (const mode of ['mixed suits (the base)', 'black ink only'] as const) {
  const model = createModel({ vocabSize: codec.tokenizer.vocabSize, dModel: 64, nLayers: 2, nHeads: 4, contextLength: 88, ffnMult: 2, activation: 'gelu', dropout: 0, initSeed: 1, image });
  const optimizer = createAdamW(model, RECIPE_ADAMW);
  const rng = createRng(1);
  for (let s = 0; s < steps; s++) {
    const batch = Array.from({ length: 32 }, () => {
      const e = recognitionExample(rng, codec);
      if (mode === 'mixed suits (the base)') return e;
      const slots = slotsOf(e.cards, e.image!.data).map((c) => (c ? { ...c, suit: BLACK[c.suit] } : null));
      return { ...e, image: renderCards(slots, image) };
    });
    const loss = supervisedUpdate({ model, optimizer, task, lr: 3e-3, maxGradNorm: 1 }, batch).metrics['train/loss'] as number;
    if (s % 500 === 0) console.log(`  ${mode}: step ${s}, loss ${loss.toFixed(3)}`);
  }
  for (const suits of [['S', 'C'], ['H', 'D']] as const) {
    const singles: Uint8Array[] = [];
    const want: string[] = [];
    for (const rank of RANKS) for (const suit of suits) for (let slot = 0; slot < 4; slot++) {
      const slots: (Card | null)[] = [null, null, null, null];
      slots[slot] = { rank, suit };
      singles.push(renderCards(slots, image).data);
      want.push(`c${rankLabel(rank)}`);
    }
    const single = read(model, singles, 1).filter((r, i) => r === want[i]).length;
    const hr = createRng(99);
    const hands = Array.from({ length: 104 }, () => [0, 1, 2, 3].map(() => ({ rank: hr.pick(RANKS), suit: hr.pick(suits) }) as Card));
    const hand = read(model, hands.map((h) => renderCards(h, image).data), 4).filter((r, i) => r === (hands[i] as Card[]).map((c) => `c${rankLabel(c.rank)}`).join(' ')).length;
    console.log(`trained on ${mode}, read ${suits.join('')}: single cards ${single}/${singles.length} (${((100 * single) / singles.length).toFixed(1)}%), hands of four ${hand}/104 (${((100 * hand) / 104).toFixed(1)}%)`);
  }
  disposeAdamW(optimizer);
  disposeModel(model);
}
