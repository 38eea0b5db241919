/**
 * Evaluation of a checkpoint on a task's fixed episode sets (PAPER.md §3): every checkpoint sees
 * the same episodes, greedy by default, V attempts with the verifier's feedback, through the real
 * env. The engine logs what every task shares (success within the limit and at the first try,
 * the repeat rate, generation cost); the task adds its own metrics.
 */
import type { Actor, EpisodeRecord } from '../../../shared/api/episode';
import type { EvalConfig } from '../../../shared/experiments/config';
import { createRng } from '../../../shared/util/rng';
import type { PolicyModel } from '../model';
import { rollout } from './rollout';
import { mixSeed } from './seed';
import { firstTrySuccess, repeatedAttempts, type Episode, type Split, type TrainingTask } from './task';

export interface EvaluateOptions {
  /** Sampling temperature (default 0 = greedy; RECIPE also reports pass@1 at T=1). */
  temperature?: number;
  /** Override the number of episodes (default evalCfg.idEpisodes / oodEpisodes). */
  episodes?: number;
  /** Timestamp for the records (default now). */
  createdAt?: string;
}

export interface EvaluateResult<Obs = unknown, Info = unknown> {
  /** `eval/<split>/…` metrics. */
  metrics: Record<string, number>;
  episodes: EpisodeRecord[];
  /** The played episodes, for callers that pair or inspect them. */
  played: Episode<Obs, Info>[];
  /** Forward tokens of generation (2·N·D). */
  genTokens: number;
}

/** Share of attempts after the first at an observation that repeat an earlier one verbatim. */
function repeatRate(eps: readonly Episode[]): number {
  let later = 0;
  let repeats = 0;
  for (const e of eps) {
    for (const s of e.segments) later += Math.max(0, s.attempts.length - 1);
    repeats += repeatedAttempts(e);
  }
  return later === 0 ? 0 : repeats / later;
}

/** The attempt counts `success_within_{k}` is logged for (the paper's Fig. 10 limits), where V allows. */
export const SUCCESS_WITHIN = [1, 3, 5, 10] as const;

/**
 * Success within k attempts at every observation, read off one evaluation at limit V ≥ k. With
 * greedy decoding and prompts that do not show the limit, an episode's first k attempts are the
 * same at any limit ≥ k, so this is the success a k-attempt evaluation would measure.
 */
export function successWithin(eps: readonly Episode[], k: number): number {
  return eps.filter((e) => e.success && e.segments.every((s) => s.attempts.length <= k)).length / Math.max(1, eps.length);
}

export function evaluate<Obs, Info>(
  model: PolicyModel,
  task: TrainingTask<Obs, Info>,
  evalCfg: EvalConfig,
  split: Split,
  actor: Actor,
  opts: EvaluateOptions = {},
): EvaluateResult<Obs, Info> {
  const t0 = performance.now();
  const count = opts.episodes ?? (split === 'id' ? evalCfg.idEpisodes : evalCfg.oodEpisodes);
  const V = evalCfg.verificationLimit;
  const temperature = opts.temperature ?? 0;
  const rng = temperature > 0 ? createRng(mixSeed(evalCfg.seed, 'eval-sample', split)) : undefined;
  const ro = rollout(model, task, { episodes: task.evalEpisodes(evalCfg, split, count), verificationLimit: V, temperature, rng, actor, createdAt: opts.createdAt });
  const eps = ro.episodes;
  const n = Math.max(1, eps.length);
  const p = `eval/${split}`;
  const metrics: Record<string, number> = {
    [`${p}/episodes`]: eps.length,
    [`${p}/success`]: eps.filter((e) => e.success).length / n,
    [`${p}/success_first`]: eps.filter(firstTrySuccess).length / n,
    ...Object.fromEntries(SUCCESS_WITHIN.filter((k) => k <= V).map((k) => [`${p}/success_within_${k}`, successWithin(eps, k)])),
    ...task.evalMetrics(eps, split, V),
    [`${p}/repeat_rate`]: repeatRate(eps),
    // Split-namespaced so the ID and OOD results of one eval can be merged into one metrics line.
    [`${p}/gen_tokens`]: ro.genTokens,
  };
  metrics[`${p}/episodes_per_s`] = eps.length / Math.max((performance.now() - t0) / 1000, 1e-9);
  return { metrics, episodes: eps.map((e) => e.record), played: eps, genTokens: ro.genTokens };
}
