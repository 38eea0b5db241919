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
import { distinctAnswerRatio, policyDiagnostics } from './diagnostics';
import { rollout } from './rollout';
import { mixSeed } from './seed';
import { firstTrySuccess, repeatedAttempts, type Episode, type EpisodeSpec, type Split, type TrainingTask } from './task';

export interface EvaluateOptions {
  /** Sampling temperature (default 0 = greedy; RECIPE also reports pass@1 at T=1). */
  temperature?: number;
  /** Override the number of episodes (default evalCfg.idEpisodes / oodEpisodes). */
  episodes?: number;
  /** Timestamp for the records (default now). */
  createdAt?: string;
  /** The branch's starting checkpoint: adds `kl_init`, KL(π_init ‖ π) on the episodes' answers. */
  reference?: PolicyModel;
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
  const play = (episodes: EpisodeSpec[]) => rollout(model, task, { episodes, verificationLimit: V, temperature, rng, actor, createdAt: opts.createdAt });
  const ro = play(task.evalEpisodes(evalCfg, split, count));
  const eps = ro.episodes;
  const p = `eval/${split}`;
  const metrics: Record<string, number> = {
    ...setMetrics(task, eps, split, V, p),
    // Split-namespaced so the ID and OOD results of one eval can be merged into one metrics line.
    [`${p}/gen_tokens`]: ro.genTokens,
  };
  let genTokens = ro.genTokens;
  for (const probe of task.probeSets?.(evalCfg, split, count) ?? []) {
    const pr = play(probe.episodes);
    genTokens += pr.genTokens;
    Object.assign(metrics, setMetrics(task, pr.episodes, split, V, `${p}/${probe.name}`));
  }
  metrics[`${p}/episodes_per_s`] = eps.length / Math.max((performance.now() - t0) / 1000, 1e-9);
  const diag = policyDiagnostics(model, eps, task.codec.tokenizer.pad, opts.reference);
  metrics[`${p}/entropy`] = diag.entropy;
  if (diag.klRef !== undefined) metrics[`${p}/kl_init`] = diag.klRef;
  return { metrics, episodes: eps.map((e) => e.record), played: eps, genTokens };
}

/** The generic and the task's metrics of one played set, keyed under `prefix` (the task keys its own under `eval/<split>`). */
function setMetrics<O, I>(task: TrainingTask<O, I>, eps: readonly Episode<O, I>[], split: Split, V: number, prefix: string): Record<string, number> {
  const n = Math.max(1, eps.length);
  const own = `eval/${split}`;
  const taskMetrics = Object.entries(task.evalMetrics(eps, split, V)).map(([k, v]) => [k.startsWith(`${own}/`) ? prefix + k.slice(own.length) : k, v] as const);
  return {
    [`${prefix}/episodes`]: eps.length,
    [`${prefix}/success`]: eps.filter((e) => e.success).length / n,
    [`${prefix}/success_first`]: eps.filter(firstTrySuccess).length / n,
    ...Object.fromEntries(SUCCESS_WITHIN.filter((k) => k <= V).map((k) => [`${prefix}/success_within_${k}`, successWithin(eps, k)])),
    ...Object.fromEntries(taskMetrics),
    [`${prefix}/repeat_rate`]: repeatRate(eps),
    [`${prefix}/distinct_ratio`]: distinctAnswerRatio(eps),
  };
}

/** Unbiased pass@k from n samples with c right (Chen et al. 2021): 1 − C(n−c, k) / C(n, k). */
export function passAtK(n: number, c: number, k: number): number {
  if (k > n) throw new Error(`pass@${k} needs at least ${k} samples, got ${n}`);
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

/**
 * pass@k at temperature 1 on a split's fixed episodes (RL-NOTES §1.4: does RL narrow what the
 * policy can find?): `samples` single-attempt episodes per start state, pass@k for k = 1, 2, 4, …
 * up to `samples`, averaged over the start states.
 */
export function evaluatePassAtK<Obs, Info>(model: PolicyModel, task: TrainingTask<Obs, Info>, evalCfg: EvalConfig, split: Split, count: number, samples: number): Record<string, number> {
  const specs = task.evalEpisodes(evalCfg, split, count);
  const rng = createRng(mixSeed(evalCfg.seed, 'pass-at-k', split));
  const correct = new Array<number>(specs.length).fill(0);
  // In chunks of start states, so the episodes of a large set are never all held at once.
  const per = Math.max(1, Math.floor(512 / samples));
  for (let i = 0; i < specs.length; i += per) {
    const chunk = specs.slice(i, i + per);
    const ro = rollout(model, task, { episodes: chunk.flatMap((s) => Array.from({ length: samples }, () => s)), verificationLimit: 1, temperature: 1, rng, actor: { kind: 'checkpoint', name: 'pass@k' } });
    ro.episodes.forEach((e, j) => {
      if (e.success) correct[i + Math.floor(j / samples)]! += 1;
    });
  }
  const out: Record<string, number> = {};
  for (let k = 1; k <= samples; k *= 2) out[`eval/${split}/pass@${k}`] = correct.reduce((s, c) => s + passAtK(samples, c, k), 0) / Math.max(1, specs.length);
  return out;
}
