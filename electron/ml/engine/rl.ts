/**
 * One RL update (RECIPE.md part 2, PAPER.md §3): sample multi-turn episodes through the task's
 * real env, then
 * - GRPO (the recipe): R = the task's episode return (less `repeatPenalty` per verbatim repeat),
 *   advantage = R − group mean, token-mean policy gradient over every attempt's generated
 *   tokens, optional k3 KL to a frozen reference;
 * - PPO (the paper): the task's per-attempt rewards, GAE over the attempts with γ/λ and the
 *   value head read at each attempt's start, advantage normalisation, clipped surrogate, value
 *   loss, entropy bonus, `epochs` passes.
 * All log-probs of a segment come from one forward pass over its final sequence: the context is
 * causal and identical to sampling time.
 */
import * as tf from '@tensorflow/tfjs';
import type { RlStageConfig } from '../../../shared/experiments/config';
import type { EpisodeRecord } from '../../../shared/api/episode';
import {
  forward, k3Kl, maskedEntropy, policyGradientLoss, ppoPolicyLoss, tokenLogProbs, trainStep, valueLoss, type AdamWState, type PolicyModel, type StepContext,
} from '../model';
import { bucketBatches, buildRlBatch, deadGroupMask, grpoAttemptAdvantages, grpoAttemptCredit, ppoAttemptAdvantages, rlRows, weightPositive, type RlBatch } from './rl-batch';
import { rowImageTensor, visualTokens } from './images';
import { rollout } from './rollout';
import { stepRng } from './seed';
import { attemptRepeats, episodeAttempts, firstTrySuccess, repeatedAttempts, type Episode, type TrainingTask } from './task';
import type { StepInput, StepResult } from './step';
import { MAX_PASS_CELLS } from './pass-size';

export interface RlStepOptions {
  /** Frozen reference policy (the branch's starting checkpoint) for the k3 KL term and `rl/kl_ref`. */
  reference?: PolicyModel;
  /** Run id written into the rollout episode records. */
  runId?: string;
}

export interface RlStepResult extends StepResult {
  /** The training episodes (actor: this stage at this step), for sampling into the run store. */
  episodes: EpisodeRecord[];
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

/** The update's settings: the RL stage config fields it reads. */
export type RlUpdateConfig = Pick<
  RlStageConfig,
  'algorithm' | 'groupSize' | 'klBeta' | 'entropyCoef' | 'clipEpsilon' | 'gamma' | 'gaeLambda' | 'valueCoef' | 'epochs' | 'repeatPenalty'
> &
  Partial<Pick<RlStageConfig, 'reward' | 'credit' | 'fixBonus' | 'positiveWeight'>>;

/** Reference log-probs of the batch's targets under the frozen policy (one no-grad forward). */
function referenceLogProbs(ref: PolicyModel, b: RlBatch): Float32Array {
  const shape: [number, number] = [b.batch, b.length];
  const t = tf.tidy(() => {
    const out = forward(ref, { tokens: tf.tensor2d(b.inputs, shape, 'int32'), leftPad: b.leftPad, images: rowImageTensor(ref, b.images, 'RL row') });
    return tokenLogProbs(out.logits, tf.tensor2d(b.targets, shape, 'int32'));
  });
  const data = Float32Array.from(t.dataSync());
  t.dispose();
  return data;
}

/** GRPO's return of each episode: the task's return, less `repeatPenalty` per verbatim repeat (revising means changing). */
export function grpoReturns<O, I>(task: Pick<TrainingTask<O, I>, 'episodeReturn'>, episodes: readonly Episode<O, I>[], repeatPenalty: number): number[] {
  return episodes.map((e) => task.episodeReturn(e) - repeatPenalty * repeatedAttempts(e));
}

type RewardTask<O, I> = Pick<TrainingTask<O, I>, 'episodeReturn' | 'attemptRewards' | 'gradedRewards'>;

/** Each attempt's reward under `rl.reward`, less `repeatPenalty` on a verbatim repeat. */
function attemptRewardsOf<O, I>(task: RewardTask<O, I>, e: Episode<O, I>, cfg: RlUpdateConfig): number[] {
  const r = cfg.reward === 'graded' ? task.gradedRewards(e) : task.attemptRewards(e);
  const repeats = attemptRepeats(e);
  return r.map((x, k) => x - (repeats[k] ? cfg.repeatPenalty : 0));
}

/**
 * GRPO advantages of every attempt under the config's reward and credit, and the per-episode
 * return the group baseline compares (all equal within a group = a dead group).
 */
export function grpoCredit<O, I>(task: RewardTask<O, I>, episodes: readonly Episode<O, I>[], cfg: RlUpdateConfig): { adv: number[][]; returns: number[] } {
  let out: { adv: number[][]; returns: number[] };
  if (cfg.credit === 'attempt') {
    out = grpoAttemptCredit(episodes, episodes.map((e) => attemptRewardsOf(task, e, cfg)), cfg.groupSize, { gamma: cfg.gamma, fixBonus: cfg.fixBonus ?? 0 });
  } else {
    const returns = cfg.reward === 'graded' ? episodes.map((e) => attemptRewardsOf(task, e, cfg).reduce((a, b) => a + b, 0)) : grpoReturns(task, episodes, cfg.repeatPenalty);
    out = { adv: grpoAttemptAdvantages(episodes, returns, cfg.groupSize), returns };
  }
  const w = cfg.positiveWeight ?? 1;
  return w === 1 ? out : { adv: weightPositive(out.adv, w), returns: out.returns };
}

/**
 * The optimisation part of an RL step on already-sampled episodes (consecutive groups of
 * `cfg.groupSize` per start state): advantages, then `cfg.epochs` updates. Returns the loss-side metrics.
 */
export function rlUpdate<O, I>(
  model: PolicyModel,
  optimizer: AdamWState,
  task: RewardTask<O, I>,
  episodes: readonly Episode<O, I>[],
  cfg: RlUpdateConfig,
  opts: { lr: number; maxGradNorm: number; pad: number; reference?: PolicyModel; maxMicroRows?: number },
): Record<string, number> {
  const microRows = opts.maxMicroRows ?? microRowsFor(model);
  const ppo = cfg.algorithm === 'ppo';
  const { adv, ret } = ppo
    ? ppoAttemptAdvantages(episodes, episodes.map((e) => (cfg.reward === 'graded' ? task.gradedRewards(e) : task.attemptRewards(e))), cfg.gamma, cfg.gaeLambda)
    : { adv: grpoCredit(task, episodes, cfg).adv, ret: episodes.map((e) => episodeAttempts(e).map(() => 0)) };
  const rows = rlRows(episodes, adv, ret);
  const parts = bucketBatches(rows, microRows).map((idx) => {
    const b = buildRlBatch(idx.map((i) => rows[i] as (typeof rows)[number]), opts.pad);
    return { b, shape: [b.batch, b.length] as [number, number], acts: sum(b.actMask), vals: sum(b.valueMask), ref: opts.reference ? referenceLogProbs(opts.reference, b) : undefined };
  });
  const totalActs = Math.max(1, parts.reduce((s, p) => s + p.acts, 0));
  const totalVals = Math.max(1, parts.reduce((s, p) => s + p.vals, 0));
  const tokens = parts.reduce((s, p) => s + p.b.tokens + visualTokens(model) * p.b.batch, 0);
  // The recipe's on-policy GRPO is the plain policy gradient; with several epochs the samples go
  // stale, so GRPO then uses the clipped surrogate as PPO does.
  const surrogate = ppo || cfg.epochs > 1;
  const per: Record<string, number[]> = { loss: [], grad: [], kl: [], clip: [], ent: [], vl: [], ref: [] };
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    const res = trainStep(
      model,
      optimizer,
      microBatches(parts, microRows).map((group) => (ctx: StepContext) =>
        tf.tidy(() => {
          // Every term is a token-mean over the whole batch: each bucket's masked mean weighted by
          // its share of the masked tokens gives exactly the unbucketed value, and the micro-batches'
          // losses (gradients accumulated one tape at a time) sum to it.
          const acc: Record<'loss' | 'kl' | 'clip' | 'ent' | 'vl' | 'ref', tf.Scalar[]> = { loss: [], kl: [], clip: [], ent: [], vl: [], ref: [] };
          for (const { b, shape, acts, vals, ref } of group) {
            const wAct = acts / totalActs;
            const wVal = vals / totalVals;
            const mask = tf.tensor2d(b.actMask, shape);
            const advT = tf.tensor2d(b.advantages, shape);
            const out = forward(model, { tokens: tf.tensor2d(b.inputs, shape, 'int32'), leftPad: b.leftPad, images: rowImageTensor(model, b.images, 'RL row') });
            const lp = tokenLogProbs(out.logits, tf.tensor2d(b.targets, shape, 'int32'));
            const pol = ppoPolicyLoss({ newLogProbs: lp, oldLogProbs: tf.tensor2d(b.oldLogProbs, shape), advantages: advT, mask, clip: cfg.clipEpsilon });
            acc.kl.push(tf.mul(pol.approxKl, wAct) as tf.Scalar);
            acc.clip.push(tf.mul(pol.clipfrac, wAct) as tf.Scalar);
            acc.loss.push(tf.mul(surrogate ? pol.loss : policyGradientLoss(lp, advT, mask), wAct) as tf.Scalar);
            const ent = tf.mul(maskedEntropy(out.logits, mask), wAct) as tf.Scalar;
            acc.ent.push(ent);
            if (cfg.entropyCoef > 0) acc.loss.push(tf.mul(ent, -cfg.entropyCoef) as tf.Scalar);
            if (ppo) {
              const vl = tf.mul(valueLoss({ newValues: out.values, oldValues: tf.tensor2d(b.oldValues, shape), returns: tf.tensor2d(b.returns, shape), mask: tf.tensor2d(b.valueMask, shape) }), wVal) as tf.Scalar;
              acc.vl.push(vl);
              acc.loss.push(tf.mul(vl, cfg.valueCoef) as tf.Scalar);
            }
            if (ref) {
              const kl = tf.mul(k3Kl(lp, tf.tensor2d(ref, shape), mask), wAct) as tf.Scalar;
              acc.ref.push(kl);
              if (cfg.klBeta > 0) acc.loss.push(tf.mul(kl, cfg.klBeta) as tf.Scalar);
            }
          }
          for (const k of ['kl', 'clip', 'ent', 'vl', 'ref'] as const) if (acc[k].length > 0) ctx.metric(k, tf.addN(acc[k]) as tf.Scalar);
          return tf.addN(acc.loss) as tf.Scalar;
        }),
      ),
      { lr: opts.lr, maxGradNorm: opts.maxGradNorm },
    );
    per.loss?.push(res.loss);
    per.grad?.push(res.gradNorm);
    for (const k of ['kl', 'clip', 'ent', 'vl', 'ref']) if (res.metrics[k] !== undefined) per[k]?.push(res.metrics[k] as number);
  }
  const metrics: Record<string, number> = {
    'rl/approx_kl': mean(per.kl ?? []),
    'rl/clipfrac': mean(per.clip ?? []),
    'rl/entropy': mean(per.ent ?? []),
    'train/loss': (per.loss ?? []).at(-1) ?? 0,
    'train/grad_norm': mean(per.grad ?? []),
    'train/lr': opts.lr,
    // 6·N·D: every epoch reads the batch; the reference forward is 2·N·D, counted with generation.
    'train/tokens': tokens * cfg.epochs,
    'gen/ref_tokens': opts.reference ? tokens : 0,
  };
  if (ppo) metrics['rl/value_loss'] = mean(per.vl ?? []);
  if (opts.reference) metrics['rl/kl_ref'] = mean(per.ref ?? []);
  return metrics;
}

const sum = (xs: Float32Array) => xs.reduce((s, x) => s + x, 0);

/**
 * Rows per micro-batch of the RL update: the update's activations for this many segments are
 * alive at once. A GeneralPoints step (16 hands × 8 episodes) is one micro-batch, exactly the
 * one-tape update; a V-IRL step (64 routes of ~10 points) is several, whose peak would otherwise
 * pass the 4 GB a WebAssembly heap can hold.
 */
export const MAX_MICRO_ROWS = 256;

/**
 * A vision-language row costs more at the heap's peak than its tokens say: measured with
 * bench/measure/rl-memory.ts on a V-IRL-VL init (543 attempts, rows of 66 text + 16 visual
 * tokens), 128-row micro-batches peaked at 2.65 GB of wasm heap (≈ 19 MB a row, against ≈ 11 MB
 * for V-IRL-L's rows) and 256 rows aborted it. GP-VL's 16 × 8 rows stay one micro-batch.
 */
export const MAX_MICRO_ROWS_VL = 128;

/** The RL update's micro-batch rows for this model. */
export function microRowsFor(model: Pick<PolicyModel, 'config'>): number {
  return model.config.image ? MAX_MICRO_ROWS_VL : MAX_MICRO_ROWS;
}

/** Consecutive parts grouped so that each group holds at most `maxRows` rows and MAX_PASS_CELLS row·length² cells (a part is never split here). */
function microBatches<P extends { b: { batch: number; length: number } }>(parts: readonly P[], maxRows: number): P[][] {
  const groups: P[][] = [];
  let rowsIn = Infinity;
  let cellsIn = Infinity;
  for (const p of parts) {
    const cells = p.b.batch * p.b.length * p.b.length;
    if (rowsIn + p.b.batch > maxRows || cellsIn + cells > MAX_PASS_CELLS) {
      groups.push([]);
      rowsIn = 0;
      cellsIn = 0;
    }
    (groups[groups.length - 1] as P[]).push(p);
    rowsIn += p.b.batch;
    cellsIn += cells;
  }
  return groups;
}

/** One RL step: `promptsPerStep` training episodes × `groupSize` samples each, then the update. */
export function rlStep<O, I>(input: StepInput<O, I>, cfg: RlStageConfig, opts: RlStepOptions = {}): RlStepResult {
  const t0 = performance.now();
  const { model, task } = input;
  const rng = stepRng(input.seed, input.stageId, input.step);
  const actor = { kind: 'checkpoint' as const, name: `${input.stageId}@${input.step}`, step: input.step, ...(opts.runId ? { runId: opts.runId } : {}) };
  const wanted = cfg.promptsPerStep * cfg.groupSize;
  const rounds = cfg.dynamicSampling ? cfg.maxSampleRounds : 1;
  // Every sampled episode is the policy's behaviour and compute; only informative groups train
  // when dynamic sampling is on (without it, every group trains, as the recipe does).
  const eps: Episode<O, I>[] = [];
  const used: Episode<O, I>[] = [];
  const ro = { genTokens: 0, sampledTokens: 0, genSeconds: 0 };
  let groups = 0;
  let dead = 0;
  let round = 0;
  while (round < rounds && used.length < wanted) {
    round++;
    const specs = task.trainingEpisodes(rng, cfg.promptsPerStep).flatMap((spec) => Array.from({ length: cfg.groupSize }, () => spec));
    const out = rollout(model, task, { episodes: specs, verificationLimit: cfg.verificationLimit, temperature: cfg.temperature, rng, actor });
    ro.genTokens += out.genTokens;
    ro.sampledTokens += out.sampledTokens;
    ro.genSeconds += out.genSeconds;
    eps.push(...out.episodes);
    deadGroupMask(grpoCredit(task, out.episodes, cfg).returns, cfg.groupSize).forEach((isDead, g) => {
      groups++;
      if (isDead) dead++;
      if (!(isDead && cfg.dynamicSampling) && used.length < wanted) used.push(...out.episodes.slice(g * cfg.groupSize, (g + 1) * cfg.groupSize));
    });
  }
  const upd =
    used.length > 0
      ? rlUpdate(model, input.optimizer, task, used, cfg, { lr: input.lr, maxGradNorm: input.maxGradNorm, pad: task.codec.tokenizer.pad, reference: opts.reference })
      : // No informative group in any round: no update, so the policy moved by nothing.
        { 'train/tokens': 0, 'gen/ref_tokens': 0, 'train/lr': input.lr, 'train/loss': 0, 'train/grad_norm': 0, 'rl/approx_kl': 0, 'rl/clipfrac': 0, 'rl/skipped': 1 };
  const seconds = (performance.now() - t0) / 1000;
  const trainTokens = upd['train/tokens'] as number;
  const { 'gen/ref_tokens': refTokens, ...rest } = upd;
  const metrics: Record<string, number> = {
    'rl/reward': mean(eps.map((e) => task.episodeReturn(e))),
    'rl/success': mean(eps.map((e) => (e.success ? 1 : 0))),
    'rl/success_first': mean(eps.map((e) => (firstTrySuccess(e) ? 1 : 0))),
    'rl/env_return': mean(eps.map((e) => episodeAttempts(e).reduce((s, a) => s + a.result.reward, 0))),
    'rl/attempts': mean(eps.map((e) => episodeAttempts(e).length)),
    'rl/repeats': mean(eps.map((e) => repeatedAttempts(e))),
    // Groups whose episodes all earned the same return carry no GRPO signal (RL-NOTES §1.2).
    'rl/dead_groups': dead / Math.max(1, groups),
    'rl/groups_used': used.length / cfg.groupSize,
    'rl/sample_rounds': round,
    ...rest,
    // Forward-only tokens (2·N·D): sampling, plus the reference model's scoring pass.
    'gen/tokens': ro.genTokens + (refTokens ?? 0),
    'gen/sampled_tokens': ro.sampledTokens,
    'perf/step_s': seconds,
    'perf/gen_s': ro.genSeconds,
    'perf/gen_share': ro.genSeconds / Math.max(seconds, 1e-9),
    'perf/tokens_per_s': trainTokens / Math.max(seconds - ro.genSeconds, 1e-9),
  };
  return { metrics, episodes: eps.map((e) => e.record) };
}
