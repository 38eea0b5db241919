/**
 * Evaluation on fixed hand sets (RECIPE.md, PAPER.md §3): ID = J/Q/K 10, OOD = J/Q/K 11/12/13,
 * every hand with at least one face card (hands without one are the same under both rules).
 * The set is a pure function of (evalCfg.seed, split, index), so every checkpoint sees the same
 * hands. Greedy by default, V attempts with the verifier's feedback, through the real env.
 */
import type { Actor, EpisodeRecord } from '../../../shared/api/episode';
import type { EvalConfig } from '../../../shared/experiments/config';
import { makeHand } from '../../../shared/tasks/generalpoints/hand';
import { mustResolveVariant } from '../../../shared/tasks/generalpoints/rules';
import { verifyAnswer } from '../../../shared/tasks/generalpoints';
import { createRng } from '../../../shared/util/rng';
import type { PolicyModel } from '../model';
import type { GpCodec } from './codec';
import { repeatedAttempts, rollout, type GpEpisode, type RolloutHand } from './rollout';
import { mixSeed } from './seed';

export type EvalSplit = 'id' | 'ood';

/** The variant of each split's hands. */
export const EVAL_VARIANTS = {
  id: { rule: 'face10', requireFace: true },
  ood: { rule: 'face11-13', requireFace: true },
} as const;

/** The fixed evaluation hands of a split: env seeds derived from (seed, split, index). */
export function evalHands(evalSeed: number, split: EvalSplit, count: number): RolloutHand[] {
  return Array.from({ length: count }, (_, i) => ({ seed: mixSeed(evalSeed, 'eval', split, i) & 0x7fffffff, variant: { ...EVAL_VARIANTS[split] }, split }));
}

export interface EvaluateOptions {
  /** Sampling temperature (default 0 = greedy; RECIPE also reports pass@1 at T=1). */
  temperature?: number;
  /** Override the number of hands (default evalCfg.idEpisodes / oodEpisodes). */
  episodes?: number;
  /** Timestamp for the records (default now). */
  createdAt?: string;
}

export interface EvaluateResult {
  /** `eval/<split>/…` metrics (success, success_first, solved_at_k, diagnostics, gen_tokens, episodes_per_s). */
  metrics: Record<string, number>;
  episodes: EpisodeRecord[];
}

const FACE10 = mustResolveVariant({ rule: 'face10' });

/** Diagnostics of the first attempt on a hand with face cards (RECIPE part 1 "mechanism"). */
function faceDiagnostics(e: GpEpisode): { faceCards: number; faceAs10: number; numbersCorrect: boolean; solvedAsFace10: boolean } {
  const first = e.attempts[0];
  if (!first) return { faceCards: 0, faceAs10: 0, numbersCorrect: false, solvedAsFace10: false };
  let faceCards = 0;
  let faceAs10 = 0;
  e.hand.cards.forEach((c, i) => {
    if (c.rank < 11) return;
    faceCards++;
    if (first.numbers[i] === 10 && e.hand.values[i] !== 10) faceAs10++;
  });
  const numbersCorrect = first.numbers.length === 4 && first.numbers.every((n, i) => n === e.hand.values[i]);
  // "Solved as if J/Q/K = 10": right under the ID rule, wrong under the hand's own.
  const solvedAsFace10 = first.verdict !== 'correct' && verifyAnswer(makeHand(e.hand.cards, FACE10), first.envText).verdict === 'correct';
  return { faceCards, faceAs10, numbersCorrect, solvedAsFace10 };
}

/** Share of attempts after the first that repeat an earlier attempt of the episode verbatim. */
function repeatStats(eps: readonly GpEpisode[]): { later: number; repeats: number } {
  let later = 0;
  let repeats = 0;
  for (const e of eps) {
    later += Math.max(0, e.attempts.length - 1);
    repeats += repeatedAttempts(e);
  }
  return { later, repeats };
}

export function evaluate(
  model: PolicyModel,
  codec: GpCodec,
  evalCfg: EvalConfig,
  split: EvalSplit,
  actor: Actor,
  opts: EvaluateOptions = {},
): EvaluateResult {
  const t0 = performance.now();
  const count = opts.episodes ?? (split === 'id' ? evalCfg.idEpisodes : evalCfg.oodEpisodes);
  const V = evalCfg.verificationLimit;
  const temperature = opts.temperature ?? 0;
  const rng = temperature > 0 ? createRng(mixSeed(evalCfg.seed, 'eval-sample', split)) : undefined;
  const ro = rollout(model, codec, { hands: evalHands(evalCfg.seed, split, count), verificationLimit: V, temperature, rng, actor, createdAt: opts.createdAt });
  const eps = ro.episodes;
  const n = Math.max(1, eps.length);
  const p = `eval/${split}`;
  const metrics: Record<string, number> = {
    [`${p}/episodes`]: eps.length,
    [`${p}/success`]: eps.filter((e) => e.success).length / n,
    [`${p}/success_first`]: eps.filter((e) => e.solvedAt === 1).length / n,
  };
  for (let k = 1; k <= V; k++) metrics[`${p}/solved_at_${k}`] = eps.filter((e) => e.solvedAt === k).length;
  const diags = eps.map(faceDiagnostics);
  metrics[`${p}/numbers_correct`] = diags.filter((d) => d.numbersCorrect).length / n;
  if (split === 'ood') {
    const faceCards = diags.reduce((s, d) => s + d.faceCards, 0);
    metrics[`${p}/face_as_10`] = diags.filter((d) => d.faceAs10 > 0).length / n;
    metrics[`${p}/face_card_as_10`] = diags.reduce((s, d) => s + d.faceAs10, 0) / Math.max(1, faceCards);
    metrics[`${p}/solved_as_face10`] = diags.filter((d) => d.solvedAsFace10).length / n;
  }
  const rep = repeatStats(eps);
  metrics[`${p}/repeat_rate`] = rep.later === 0 ? 0 : rep.repeats / rep.later;
  // Split-namespaced so the ID and OOD results of one eval can be merged into one metrics line.
  metrics[`${p}/gen_tokens`] = ro.genTokens;
  metrics[`${p}/episodes_per_s`] = eps.length / Math.max((performance.now() - t0) / 1000, 1e-9);
  return { metrics, episodes: eps.map((e) => e.record) };
}
