/**
 * The RL batch: segments laid out as left-padded token rows with per-token masks, advantages and
 * old log-probs, and the two advantage estimators over an episode's attempts (GRPO group
 * baseline, PPO GAE), which run across segments as one sequence of decisions.
 */
import type { RgbImage } from '../../../shared/tasks/image';
import { gae, grpoAdvantages, normalizeAdvantages } from '../model';
import { episodeAttempts, type Episode, type Segment } from './task';
import { MAX_PASS_CELLS, rowsPerPass } from './pass-size';

/** A segment with the advantage and value target of each of its attempts. */
export interface RlRow {
  segment: Segment;
  /** Advantage of every token of attempt k. */
  adv: readonly number[];
  /** Value target of attempt k's start state (PPO). */
  ret: readonly number[];
}

/** Per-token training arrays of a batch of rows, left-padded to one length. */
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
  /** Non-pad input tokens (6·N·D accounting; visual tokens are added by the caller, which knows the model). */
  tokens: number;
  /** Each row's image (vision-language tasks; undefined entries otherwise). */
  images: (RgbImage | undefined)[];
}

export function buildRlBatch(rows: readonly RlRow[], pad: number): RlBatch {
  const B = rows.length;
  const T = Math.max(1, ...rows.map((r) => r.segment.sequence.length - 1));
  const mk = () => new Float32Array(B * T);
  const out: RlBatch = {
    batch: B, length: T, leftPad: [], inputs: new Int32Array(B * T).fill(pad), targets: new Int32Array(B * T).fill(pad),
    actMask: mk(), oldLogProbs: mk(), advantages: mk(), valueMask: mk(), oldValues: mk(), returns: mk(), tokens: 0,
    images: rows.map((r) => r.segment.image),
  };
  rows.forEach(({ segment, adv, ret }, b) => {
    const n = segment.sequence.length - 1;
    const off = b * T + (T - n);
    out.leftPad.push(T - n);
    out.tokens += n;
    out.inputs.set(segment.sequence.slice(0, n), off);
    out.targets.set(segment.sequence.slice(1), off);
    segment.attempts.forEach((a, k) => {
      // Target index j predicts sequence token j+1, so the attempt's tokens are targets start−1…
      const j0 = off + a.start - 1;
      a.tokens.forEach((_, i) => {
        out.actMask[j0 + i] = 1;
        out.oldLogProbs[j0 + i] = a.logProbs[i] as number;
        out.advantages[j0 + i] = adv[k] ?? 0;
      });
      out.valueMask[j0] = 1;
      out.oldValues[j0] = a.values[0] ?? 0;
      out.returns[j0] = ret[k] ?? 0;
    });
  });
  return out;
}

/** One row per segment, with each attempt's share of its episode's flattened advantages and returns. */
export function rlRows(episodes: readonly Episode[], adv: readonly (readonly number[])[], ret: readonly (readonly number[])[]): RlRow[] {
  return episodes.flatMap((e, i) => {
    let k = 0;
    return e.segments.map((segment) => {
      const n = segment.attempts.length;
      const row = { segment, adv: (adv[i] ?? []).slice(k, k + n), ret: (ret[i] ?? []).slice(k, k + n) };
      k += n;
      return row;
    });
  });
}

/** GRPO: every attempt of an episode gets R − mean(R of its group) (consecutive groups of `groupSize`). */
export function grpoAttemptAdvantages(episodes: readonly Episode[], returns: readonly number[], groupSize: number): number[][] {
  const adv = grpoAdvantages(returns, groupSize);
  return episodes.map((e, i) => episodeAttempts(e).map(() => adv[i] as number));
}

/**
 * GRPO with per-attempt credit (RL-NOTES §1.3): attempt k of an episode earns its own reward r_k
 * (plus `fixBonus` when it solves after a failed attempt), its return-to-go is
 * G_k = Σ_{j≥k} γ^{j−k} r_j, and its advantage is G_k − b, b the mean G_1 of its group (the
 * start state's baseline, as in episode credit). A failed attempt's advantage is capped at 0:
 * the episode's later success must not reinforce the wrong answer that preceded it.
 */
export function grpoAttemptCredit(
  episodes: readonly Episode[],
  rewards: readonly (readonly number[])[],
  groupSize: number,
  opts: { gamma: number; fixBonus: number },
): { adv: number[][]; returns: number[] } {
  const solved = episodes.map(attemptSucceeded);
  const togo = episodes.map((e, i) => {
    const n = episodeAttempts(e).length;
    const r = Array.from({ length: n }, (_, k) => (rewards[i]?.[k] ?? 0) + (k > 0 && solved[i]?.[k] && !solved[i]?.[k - 1] ? opts.fixBonus : 0));
    const g = new Array<number>(n).fill(0);
    for (let k = n - 1; k >= 0; k--) g[k] = (r[k] as number) + (k + 1 < n ? opts.gamma * (g[k + 1] as number) : 0);
    return g;
  });
  const returns = togo.map((g) => g[0] ?? 0);
  const centred = grpoAdvantages(returns, groupSize);
  const adv = togo.map((g, i) => {
    const b = (returns[i] as number) - (centred[i] as number);
    return g.map((gk, k) => (solved[i]?.[k] ? gk - b : Math.min(0, gk - b)));
  });
  return { adv, returns };
}

/**
 * Whether each attempt of an episode was right: a segment's earlier attempts were retried, so they
 * failed; its last one moved the episode on, or ended it (right only if the episode succeeded).
 */
export function attemptSucceeded(e: Pick<Episode, 'segments' | 'success'>): boolean[] {
  return e.segments.flatMap((s, j) => s.attempts.map((_, k) => k === s.attempts.length - 1 && (j < e.segments.length - 1 || e.success)));
}

/** Share of groups (consecutive `groupSize` returns) whose returns are all equal: they carry no GRPO signal. */
export function deadGroupMask(returns: readonly number[], groupSize: number): boolean[] {
  const dead: boolean[] = [];
  for (let g = 0; g < returns.length; g += groupSize) {
    const grp = returns.slice(g, g + groupSize);
    dead.push(grp.every((r) => Math.abs(r - (grp[0] as number)) < 1e-9));
  }
  return dead;
}

/** Positive advantages scaled by `weight` (W-REINFORCE; 1 leaves them as they are). */
export function weightPositive(adv: readonly (readonly number[])[], weight: number): number[][] {
  return adv.map((a) => a.map((x) => (x > 0 ? x * weight : x)));
}

/** PPO: GAE over each episode's attempts (per-attempt rewards from the task), normalised over all attempts. */
export function ppoAttemptAdvantages(episodes: readonly Episode[], rewards: readonly (readonly number[])[], gamma: number, lambda: number): { adv: number[][]; ret: number[][] } {
  const raw = episodes.map((e, i) => {
    const attempts = episodeAttempts(e);
    return gae({
      rewards: attempts.map((_, k) => rewards[i]?.[k] ?? 0),
      values: attempts.map((a) => a.values[0] ?? 0),
      dones: attempts.map((_, k) => k === attempts.length - 1),
      lastValue: 0,
      gamma,
      lambda,
    });
  });
  const flat = normalizeAdvantages(raw.flatMap((r) => r.advantages));
  let i = 0;
  return { adv: raw.map((r) => r.advantages.map(() => flat[i++] as number)), ret: raw.map((r) => r.returns) };
}

/**
 * Rows grouped by their number of attempts, fewest first, each group in row order. A segment's
 * length is fixed by its attempts up to the last attempt's own length, so solved-first segments
 * (most of them once the policy is decent) are a third as long as three-attempt ones: one padded
 * batch would spend over half its compute on padding, buckets spend almost none.
 */
export function lengthBuckets(rows: readonly RlRow[]): number[][] {
  const byAttempts = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const n = r.segment.attempts.length;
    const bucket = byAttempts.get(n);
    if (bucket) bucket.push(i);
    else byAttempts.set(n, [i]);
  });
  return [...byAttempts.keys()].sort((a, b) => a - b).map((k) => byAttempts.get(k) as number[]);
}

/**
 * Row indices in length buckets (`lengthBuckets`), each cut into batches of at most `maxRows`
 * rows and at most `maxCells` row·length² cells (pass-size.ts).
 */
export function bucketBatches(rows: readonly RlRow[], maxRows: number, maxCells = MAX_PASS_CELLS): number[][] {
  return lengthBuckets(rows).flatMap((idx) => {
    const length = Math.max(1, ...idx.map((i) => (rows[i] as RlRow).segment.sequence.length - 1));
    const per = rowsPerPass(length, maxRows, maxCells);
    const out: number[][] = [];
    for (let i = 0; i < idx.length; i += per) out.push(idx.slice(i, i + per));
    return out;
  });
}
