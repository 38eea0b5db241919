/**
 * The GeneralPoints episode record (shared/api/episode.ts), built in one place for every
 * producer: the CLI's expert and random policies and the trainer's rollouts. Each step's
 * `prompt` is what the actor actually read (the paper's chat, the compact prompt, or the
 * in-app model's token units), never a stand-in.
 */
import { EPISODE_FORMAT_VERSION, type Actor, type EpisodeRecord, type EpisodeStep } from '../../api/episode';
import type { StepResult } from '../env';
import type { GpInfo, GpObservation } from './env';
import { GP_ENV_ID } from './env';
import { handLabels, handSolutions, type GpHand } from './hand';
import { compactPrompt, expertAnswer, paperPrompt } from './prompts';

/** One step as the actor saw and played it. */
export interface GpPlayedStep {
  /** What the actor read before answering. */
  prompt: string;
  /** What it wrote. */
  output: string;
  result: StepResult<GpObservation, GpInfo>;
  /** Extra step info (e.g. the env text an in-app model's tokens were converted to). */
  info?: Record<string, unknown>;
}

export interface GpRecordInput {
  hand: GpHand;
  /** The variant options the episode was reset with (as given; the hand holds the resolved one). */
  variant: Record<string, unknown>;
  seed: number;
  split: 'id' | 'ood';
  actor: Actor;
  verificationLimit: number;
  steps: readonly GpPlayedStep[];
  createdAt: string;
  /** Where `initial` should list at most this many solutions (large sets are summarised by `solutionCount`). */
  maxSolutions?: number;
  /** Extra fields for `initial` (e.g. the model's prompt tokens). */
  initial?: Record<string, unknown>;
}

export function gpEpisodeRecord(input: GpRecordInput): EpisodeRecord {
  const { hand } = input;
  const solutions = handSolutions(hand);
  const steps: EpisodeStep[] = input.steps.map(({ prompt, output, result, info }) => {
    const { parsed, verdict, feedback, ...rest } = result.info;
    return {
      prompt, output, parsed: parsed ?? null, reward: result.reward, feedback, verdict: verdict ?? '',
      terminated: result.terminated, truncated: result.truncated, info: { ...rest, ...info },
    };
  });
  return {
    format: EPISODE_FORMAT_VERSION,
    envId: GP_ENV_ID,
    variant: { ...input.variant },
    seed: input.seed,
    split: input.split,
    actor: input.actor,
    initial: {
      cards: hand.cards.map((c) => ({ ...c })), labels: handLabels(hand), values: hand.values.slice(), target: hand.variant.target, rule: hand.variant.rule,
      verificationLimit: input.verificationLimit, solutionCount: solutions.length,
      solutions: input.maxSolutions === undefined ? solutions.slice() : solutions.slice(0, input.maxSolutions),
      expertAnswer: expertAnswer(hand), compactPrompt: compactPrompt(hand, []), paperPrompt: paperPrompt(hand, false),
      ...input.initial,
    },
    steps,
    success: steps.some((s) => s.verdict === 'correct'),
    createdAt: input.createdAt,
  };
}
