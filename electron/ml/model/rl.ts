/**
 * Advantage estimators, as pure functions on plain arrays (computed on the CPU between rollout
 * and update; tested against hand-computed values).
 */

export interface GaeInput {
  /** r_t for each step of one trajectory (or a concatenation of episodes, see `dones`). */
  rewards: readonly number[];
  /** V(s_t) for each step. */
  values: readonly number[];
  /** true when the episode ended after step t (no bootstrapping across it). */
  dones: readonly boolean[];
  /** V(s_T) of the state after the last step (ignored if the last step is done). */
  lastValue: number;
  gamma: number;
  lambda: number;
}

/**
 * Generalised advantage estimation (Schulman et al. 2016), as CleanRL:
 * δ_t = r_t + γ·V(s_{t+1})·(1−done_t) − V(s_t);  A_t = δ_t + γλ·(1−done_t)·A_{t+1};  R_t = A_t + V(s_t).
 */
export function gae(input: GaeInput): { advantages: number[]; returns: number[] } {
  const { rewards, values, dones, gamma, lambda } = input;
  const n = rewards.length;
  if (values.length !== n || dones.length !== n) {
    throw new Error(`gae: rewards (${n}), values (${values.length}) and dones (${dones.length}) must have the same length`);
  }
  const advantages = new Array<number>(n).fill(0);
  let next = 0;
  for (let t = n - 1; t >= 0; t--) {
    const notDone = dones[t] ? 0 : 1;
    const nextValue = t === n - 1 ? input.lastValue : (values[t + 1] as number);
    const delta = (rewards[t] as number) + gamma * nextValue * notDone - (values[t] as number);
    next = delta + gamma * lambda * notDone * next;
    advantages[t] = next;
  }
  return { advantages, returns: advantages.map((a, t) => a + (values[t] as number)) };
}

/** (A − mean) / (std + eps), with the unbiased std (n−1) as torch.Tensor.std. */
export function normalizeAdvantages(adv: readonly number[], eps = 1e-8): number[] {
  const n = adv.length;
  if (n < 2) return adv.map(() => 0);
  const mean = adv.reduce((s, a) => s + a, 0) / n;
  const variance = adv.reduce((s, a) => s + (a - mean) ** 2, 0) / (n - 1);
  const std = Math.sqrt(variance);
  return adv.map((a) => (a - mean) / (std + eps));
}

/**
 * GRPO advantages: rewards come in consecutive groups of `groupSize` samples of one prompt;
 * A_i = r_i − mean(group), optionally divided by (std(group) + eps) (population std, as GRPO).
 * The recipe uses the mean baseline only.
 */
export function grpoAdvantages(rewards: readonly number[], groupSize: number, opts: { scaleByStd?: boolean; eps?: number } = {}): number[] {
  if (!Number.isInteger(groupSize) || groupSize <= 0 || rewards.length % groupSize !== 0) {
    throw new Error(`grpo: ${rewards.length} rewards do not split into groups of ${groupSize}`);
  }
  const eps = opts.eps ?? 1e-6;
  const out: number[] = [];
  for (let g = 0; g < rewards.length; g += groupSize) {
    const grp = rewards.slice(g, g + groupSize);
    const mean = grp.reduce((s, r) => s + r, 0) / groupSize;
    const std = Math.sqrt(grp.reduce((s, r) => s + (r - mean) ** 2, 0) / groupSize);
    for (const r of grp) out.push(opts.scaleByStd ? (r - mean) / (std + eps) : r - mean);
  }
  return out;
}
