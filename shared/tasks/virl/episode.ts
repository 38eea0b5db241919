/**
 * Running a policy through one episode and writing it as the shared episode record
 * (shared/api/episode.ts), with everything a map viewer needs to replay it: the route and rail in
 * `initial`, position, heading, expert and parsed action at every step.
 */
import { EPISODE_FORMAT_VERSION, type Actor, type EpisodeRecord, type EpisodeStep } from '../../api/episode';
import type { StepResult } from '../env';
import { findCitySpec } from './catalog';
import type { VirlInfo, VirlNavEnv, VirlObservation, VirlResetOptions, VirlVariant } from './env';
import { parseAnswer } from './parse';
import type { VirlPolicy } from './policies';
import { numberedInstruction } from './rail';
import type { VirlRoute } from './types';

export interface RunEpisodeOptions {
  /** Which prompt goes into the record: the paper's (default) or the compact one. */
  prompt: 'paper' | 'compact';
  /** ISO time written into `createdAt` (fixed in tests for byte-identical records). */
  createdAt: string;
}

/** `ood` for the relative action space, an OOD city or a real imported route; else `id`. */
export function virlSplit(route: VirlRoute, variant: VirlVariant): 'id' | 'ood' {
  if (variant.actionSpace === 'relative') return 'ood';
  if (route.source.kind === 'imported') return 'ood';
  return findCitySpec(route.source.city)?.split === 'id' ? 'id' : 'ood';
}

/** One step as the actor saw and played it. */
export interface VirlPlayedStep {
  prompt: string;
  output: string;
  result: StepResult<VirlObservation, VirlInfo>;
}

/**
 * The episode record of a finished (or stopped) episode of `env`, built in one place for every
 * producer: the CLI's policies and the trainer's rollouts.
 */
export function virlEpisodeRecord(env: VirlNavEnv, reset: Pick<VirlResetOptions, 'seed'>, steps: readonly VirlPlayedStep[], actor: Actor, createdAt: string): EpisodeRecord {
  const route = env.route;
  const rail = env.rail;
  const variant = env.variant;
  return {
    format: EPISODE_FORMAT_VERSION,
    envId: env.id,
    variant: { ...variant, ...(route.source.kind === 'generated' ? { city: route.source.city } : { city: null }) },
    seed: Math.trunc(reset.seed),
    split: virlSplit(route, variant),
    actor,
    initial: {
      route,
      rail,
      instruction: numberedInstruction(rail.sentences),
      city: route.source.kind === 'generated' ? route.source.city : null,
      citySeed: route.source.kind === 'generated' ? route.source.citySeed : null,
      routeSeed: route.source.kind === 'generated' ? route.source.routeSeed : null,
      verificationLimit: env.config.verificationLimit,
      views: env.config.views,
      importStyleCity: env.config.importStyleCity,
    },
    steps: steps.map(({ prompt, output, result: r }): EpisodeStep => {
      const parsed = parseAnswer(output);
      return {
        prompt, output,
        parsed: parsed.action === null && parsed.observation === null ? null : parsed,
        reward: r.reward, feedback: r.info.feedback, verdict: r.info.verdict ?? 'none',
        terminated: r.terminated, truncated: r.truncated,
        info: { ...r.info },
      };
    }),
    success: env.success,
    createdAt,
  };
}

/** Runs `policy` from `reset` to the end of the episode and returns its record. */
export function runVirlEpisode(
  env: VirlNavEnv, reset: VirlResetOptions, policy: VirlPolicy, actor: Actor, options: Partial<RunEpisodeOptions> = {},
): EpisodeRecord {
  let { observation } = env.reset(reset);
  const steps: VirlPlayedStep[] = [];
  while (!env.done) {
    const output = policy(env);
    const prompt = options.prompt === 'compact' ? observation.compactPrompt : observation.prompt;
    const result = env.step(output);
    steps.push({ prompt, output, result });
    observation = result.observation;
  }
  return virlEpisodeRecord(env, reset, steps, actor, options.createdAt ?? new Date().toISOString());
}
