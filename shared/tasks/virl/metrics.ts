/**
 * V-IRL metrics (PAPER.md §2.8): per-step accuracy counts every model output — retries and
 * over-limit calls included — and route success needs every point right within the limit and a
 * correct stop().
 */
import { VIRL_REWARDS } from './verifier';

export interface VirlEpisodeOutcome {
  /** Reward of every step, in order. */
  rewards: readonly number[];
  /** Whether the route ended with a correct stop(). */
  success: boolean;
}

export interface VirlMetrics {
  episodes: number;
  steps: number;
  /** Share of steps with reward +1. */
  perStepAccuracy: number;
  /** Share of routes completed. */
  routeSuccess: number;
  /** Share of steps penalised for a wrong intersection claim (the recognition failure rate). */
  wrongIntersectionRate: number;
}

export function virlMetrics(outcomes: readonly VirlEpisodeOutcome[]): VirlMetrics {
  let steps = 0, correct = 0, wrongIntersection = 0, success = 0;
  for (const o of outcomes) {
    steps += o.rewards.length;
    for (const r of o.rewards) {
      if (r === VIRL_REWARDS.correct) correct++;
      if (r === VIRL_REWARDS.wrongIntersection) wrongIntersection++;
    }
    if (o.success) success++;
  }
  return {
    episodes: outcomes.length,
    steps,
    perStepAccuracy: steps === 0 ? 0 : correct / steps,
    routeSuccess: outcomes.length === 0 ? 0 : success / outcomes.length,
    wrongIntersectionRate: steps === 0 ? 0 : wrongIntersection / steps,
  };
}
