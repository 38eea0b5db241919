/**
 * The RL batch: episodes laid out as left-padded token rows with per-token masks, advantages and
 * old log-probs, and the two advantage estimators over attempts (GRPO group baseline, PPO GAE).
 */
import { gae, grpoAdvantages, normalizeAdvantages } from '../model';
import { repeatedAttempts, type GpEpisode } from './rollout';

/** Per-token training arrays of a batch of episodes, left-padded to one length. */
export interface RlBatch {
  batch: number;
  length: number;
  leftPad: number[];
  inputs: Int32Array;
  targets: Int32Array;
  /** 1 on every generated token of every attempt. */
  actMask: Float32Array;
  oldLogProbs: Float32Array;
  advantages: Float32Array;
  /** 1 at the position whose value estimates each attempt's start state (PPO). */
  valueMask: Float32Array;
  oldValues: Float32Array;
  returns: Float32Array;
  /** Non-pad input tokens (6·N·D accounting). */
  tokens: number;
}

/**
 * Lays out episodes for the update. `attemptAdv[e][k]` is the advantage of every token of attempt
 * k of episode e, `attemptRet[e][k]` its value target.
 */
export function buildRlBatch(episodes: readonly GpEpisode[], attemptAdv: readonly (readonly number[])[], attemptRet: readonly (readonly number[])[], pad: number): RlBatch {
  const B = episodes.length;
  const T = Math.max(1, ...episodes.map((e) => e.sequence.length - 1));
  const mk = () => new Float32Array(B * T);
  const out: RlBatch = {
    batch: B, length: T, leftPad: [], inputs: new Int32Array(B * T).fill(pad), targets: new Int32Array(B * T).fill(pad),
    actMask: mk(), oldLogProbs: mk(), advantages: mk(), valueMask: mk(), oldValues: mk(), returns: mk(), tokens: 0,
  };
  episodes.forEach((e, b) => {
    const n = e.sequence.length - 1;
    const off = b * T + (T - n);
    out.leftPad.push(T - n);
    out.tokens += n;
    out.inputs.set(e.sequence.slice(0, n), off);
    out.targets.set(e.sequence.slice(1), off);
    e.attempts.forEach((a, k) => {
      // Target index j predicts sequence token j+1, so the attempt's tokens are targets start−1…
      const j0 = off + a.start - 1;
      a.tokens.forEach((_, i) => {
        out.actMask[j0 + i] = 1;
        out.oldLogProbs[j0 + i] = a.logProbs[i] as number;
        out.advantages[j0 + i] = attemptAdv[b]?.[k] ?? 0;
      });
      out.valueMask[j0] = 1;
      out.oldValues[j0] = a.values[0] ?? 0;
      out.returns[j0] = attemptRet[b]?.[k] ?? 0;
    });
  });
  return out;
}

/**
 * GRPO: every attempt of an episode gets R − mean(R of its group), R = 1 if solved within V, less
 * `repeatPenalty` for each attempt that repeats an earlier one verbatim (revising means changing).
 */
export function grpoAttemptAdvantages(episodes: readonly GpEpisode[], groupSize: number, repeatPenalty = 0): number[][] {
  const adv = grpoAdvantages(episodes.map((e) => (e.success ? 1 : 0) - repeatPenalty * repeatedAttempts(e)), groupSize);
  return episodes.map((e, i) => e.attempts.map(() => adv[i] as number));
}

/** PPO: GAE over each episode's attempts (reward 1 on the solving attempt), normalised over all attempts. */
export function ppoAttemptAdvantages(episodes: readonly GpEpisode[], gamma: number, lambda: number): { adv: number[][]; ret: number[][] } {
  const raw = episodes.map((e) =>
    gae({
      rewards: e.attempts.map((_, k) => (k + 1 === e.solvedAt ? 1 : 0)),
      values: e.attempts.map((a) => a.values[0] ?? 0),
      dones: e.attempts.map((_, k) => k === e.attempts.length - 1),
      lastValue: 0,
      gamma,
      lambda,
    }),
  );
  const flat = normalizeAdvantages(raw.flatMap((r) => r.advantages));
  let i = 0;
  return { adv: raw.map((r) => r.advantages.map(() => flat[i++] as number)), ret: raw.map((r) => r.returns) };
}
