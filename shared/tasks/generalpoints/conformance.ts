/**
 * The GeneralPoints conformance suite, shipped as code (in the spirit of Gymnasium's env checker):
 * the common env contract (shared/tasks/contract.ts: same seed → same episode, seeds differ, no
 * step after the end, rewards in range); every dealt hand solvable and drawn as the variant says;
 * rewards inside the table; every expert answer and every solver solution verifies; the episode
 * ends as the shared convention says; random text thrown at the env never makes it throw.
 * Returns the problems found (empty = conformant).
 */
import { createRng, type Rng } from '../../util/rng';
import { checkEnvContract } from '../contract';
import { SUITS_BY_COLORS, isFaceRank } from './cards';
import { GeneralPointsEnv, type GpEnvOptions } from './env';
import { handSolutions, type GpHand } from './hand';
import { expertAnswer } from './prompts';
import { ALL_VERDICTS, GP_REWARDS, GP_REWARD_BOUNDS } from './rewards';
import type { GpVariant } from './rules';
import { verifyAnswerWith } from './verify-any';

export interface ConformanceOptions {
  /** Seeds checked per variant. Default 20. */
  seeds?: number;
  /** Random answers thrown at the env per variant. Default 300. */
  bombardment?: number;
  /** Also run the suite with the reference verifier (expert round trip excepted: float evaluation can miss it). Default true. */
  includeReference?: boolean;
}

const VARIANTS: Partial<GpVariant>[] = [
  { rule: 'face10', colors: 'mixed' },
  { rule: 'face11-13', colors: 'mixed' },
  { rule: 'face10', colors: 'black', vision: true },
  { rule: 'face11-13', colors: 'red', vision: true },
  { rule: 'face10', draw: 'with-replacement' },
  { rule: 'face11-13', draw: 'with-replacement', colors: 'black', vision: true },
];

const ALPHABET = '0123456789012345678910111213+-*/()=  ,:[]{}"\'\n.xX×÷−AJQKTabcdefformulacardsnumber^%✓\\';

function randomText(rng: Rng, expert: string): string {
  const mode = rng.int(3);
  if (mode === 0) {
    let s = '';
    const n = rng.int(60);
    for (let i = 0; i < n; i++) s += ALPHABET[rng.int(ALPHABET.length)];
    return s;
  }
  // Mutations of a good answer reach the deeper branches of the parser and verifier.
  const chars = [...expert];
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits && chars.length > 0; e++) {
    const at = rng.int(chars.length);
    const op = rng.int(3);
    if (op === 0) chars.splice(at, 1);
    else if (op === 1) chars.splice(at, 0, ALPHABET[rng.int(ALPHABET.length)] as string);
    else chars[at] = ALPHABET[rng.int(ALPHABET.length)] as string;
  }
  return mode === 1 ? chars.join('') : chars.join('').replace(/"formula": "[^"]*"/, `"formula": "${rng.int(14)}${'+-*/'[rng.int(4)]}${rng.int(14)}"`);
}

function checkHand(hand: GpHand, where: string, problems: string[]): void {
  const v = hand.variant;
  if (handSolutions(hand).length === 0) problems.push(`${where}: dealt an unsolvable hand ${hand.values.join(',')}`);
  if (v.requireFace && !hand.cards.some((c) => isFaceRank(c.rank))) problems.push(`${where}: hand without a face card`);
  if (hand.cards.some((c) => !SUITS_BY_COLORS[v.colors].includes(c.suit))) problems.push(`${where}: a card's suit is outside the ${v.colors} set`);
  if (v.draw === 'without-replacement' && new Set(hand.cards.map((c) => c.rank * 4 + 'SHDC'.indexOf(c.suit))).size !== 4) problems.push(`${where}: the same card twice in a draw without replacement`);
  for (const s of handSolutions(hand).slice(0, 8)) {
    const r = verifyAnswerWith(hand, s, false);
    if (r.verdict !== 'correct' && !v.vision) problems.push(`${where}: solver solution ${s} verifies as ${r.verdict} (${r.feedback})`);
  }
}

/** Runs every check and returns the problems found. */
export function runConformance(options: ConformanceOptions = {}): string[] {
  const problems: string[] = [];
  const nSeeds = options.seeds ?? 20;
  const nBomb = options.bombardment ?? 300;
  // The reference mode also takes the reference's extra, unevaluated step after the limit.
  const modes = options.includeReference ?? true ? [false, true] : [false];
  for (const referenceQuirks of modes) {
    for (const variant of VARIANTS) {
      const where = `${JSON.stringify(variant)}${referenceQuirks ? ' (reference)' : ''}`;
      const opts: GpEnvOptions = { referenceQuirks, overLimitStep: referenceQuirks, variant };
      problems.push(...checkEnvContract({
        label: where, make: () => new GeneralPointsEnv(opts), resetOptions: (seed: number) => ({ seed }),
        answer: (env, rng) => (rng.next() < 0.25 ? expertAnswer(env.currentHand as GpHand) ?? '' : randomText(rng, expertAnswer(env.currentHand as GpHand) ?? '')),
        // The reference sums its penalties per violation, so it has no lower bound.
        rewardRange: referenceQuirks ? { min: -Infinity, max: GP_REWARD_BOUNDS.max } : GP_REWARD_BOUNDS, maxSteps: (opts.verificationLimit ?? 5) + 1,
      }, { seeds: Array.from({ length: Math.min(nSeeds, 6) }, (_, i) => i) }));
      try {
        const env = new GeneralPointsEnv(opts);
        for (let seed = 0; seed < nSeeds; seed++) {
          const { observation } = env.reset({ seed });
          const hand = env.currentHand as GpHand;
          checkHand(hand, `${where} seed ${seed}`, problems);
          const img = observation.image;
          if (hand.variant.vision && (!img || img.data.length !== img.width * img.height * 3)) problems.push(`${where}: missing or mis-sized image`);
          const expert = expertAnswer(hand) ?? '';
          if (!referenceQuirks) {
            const s = env.step(expert);
            if (s.reward !== GP_REWARDS.correct || !s.terminated) problems.push(`${where} seed ${seed}: expert answer got ${s.reward} (${s.info.feedback})`);
          }
        }
        const rng = createRng(12345);
        let seed = 1000;
        env.reset({ seed });
        for (let i = 0; i < nBomb; i++) {
          const hand = env.currentHand as GpHand;
          const text = randomText(rng, expertAnswer(hand) ?? '');
          const s = env.step(text);
          const r = s.reward;
          if (!Number.isFinite(r) || r > GP_REWARD_BOUNDS.max) problems.push(`${where}: reward ${r} out of bounds for ${JSON.stringify(text)}`);
          if (!referenceQuirks && !Object.values(GP_REWARDS).includes(r as never)) problems.push(`${where}: reward ${r} is not in the table for ${JSON.stringify(text)}`);
          if (!s.info.verdict || !ALL_VERDICTS.includes(s.info.verdict)) problems.push(`${where}: unknown verdict ${String(s.info.verdict)}`);
          if (typeof s.info.feedback !== 'string' || s.info.feedback === '') problems.push(`${where}: empty feedback for ${JSON.stringify(text)}`);
          const last = referenceQuirks ? env.verificationLimit + 1 : env.verificationLimit;
          if (s.info.attempt > last) problems.push(`${where}: episode ran past the verification limit`);
          if (s.info.attempt === last && !s.terminated && !s.truncated) problems.push(`${where}: the last allowed step did not end the episode`);
          if (referenceQuirks && s.info.attempt === last && !(s.truncated && s.info.verdict === 'over_limit')) problems.push(`${where}: the reference's extra step did not truncate as over_limit`);
          if (s.terminated || s.truncated) env.reset({ seed: ++seed });
        }
      } catch (e) {
        problems.push(`${where}: threw ${(e as Error).stack ?? String(e)}`);
      }
    }
  }
  return problems;
}
