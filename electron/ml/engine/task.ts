/**
 * What the task-neutral engine needs from a task (GeneralPoints, V-IRL): the seam sits at the
 * data. The engine owns rollout, the RL batch and update, supervised updates, evaluation and the
 * runner; a task supplies its token format, its environment, which episodes and examples to use,
 * the return RL optimises, and its own evaluation metrics.
 *
 * An episode is a list of segments. A segment is one observation the model answers, with every
 * attempt at it: a failed attempt the env lets the model retry is followed by the task's
 * feedback tokens in the same sequence; a step that moves the env to a new observation starts a
 * new segment. GeneralPoints episodes have one segment; a V-IRL route has one per rail point.
 * Each segment's log-probs come from one causal forward pass over its final sequence.
 */
import type { Actor, EpisodeRecord } from '../../../shared/api/episode';
import type { EvalConfig, ExperimentConfig } from '../../../shared/experiments/config';
import type { StepResult } from '../../../shared/tasks/env';
import type { RgbImage } from '../../../shared/tasks/image';
import type { Rng } from '../../../shared/util/rng';
import type { Tokenizer } from '../tokenizer';

export type Split = 'id' | 'ood';

/** One episode to play: the env seed and the variant passed to reset. */
export interface EpisodeSpec {
  seed: number;
  variant: Record<string, unknown>;
  split: Split;
}

/** A supervised example: the loss covers `answer` only. */
export interface Example {
  prompt: number[];
  answer: number[];
  /** The image the model reads before the prompt (every example of a vision-language task has one). */
  image?: RgbImage;
}

/** The environment as the engine drives it (the shared Env contract, any observation type). */
export interface TaskEnv<Obs, Info> {
  reset(options: { seed: number; variant?: Record<string, unknown> }): { observation: Obs; info: Info };
  step(actionText: string): StepResult<Obs, Info>;
}

/** The model's view of a task: observations and feedback as tokens, answers as action text. */
export interface TaskCodec<Obs, Info> {
  readonly tokenizer: Tokenizer;
  /** Answer budget per attempt, including the stop token. */
  readonly maxAnswerTokens: number;
  /** Tokens (and image, for vision-language tasks) that start a segment at this observation. */
  encodeObservation(observation: Obs): { tokens: number[]; image?: RgbImage };
  /** Tokens appended after a failed attempt that the env lets the model retry: the attempt and its feedback. */
  encodeRetry(answer: readonly number[], result: StepResult<Obs, Info>): number[];
  /** The env's action text for answer tokens. */
  answerToAction(tokens: readonly number[]): string;
  /** Tokens as text: what the model read and wrote, for episode records. */
  tokensToText(tokens: readonly number[]): string;
  /** Context length a segment of `attempts` attempts needs. */
  contextFor(attempts: number): number;
}

/** One attempt as generated: where it sits in its segment's sequence, and what the env said. */
export interface AttemptTrace<Obs = unknown, Info = unknown> {
  /** Index in the segment's `sequence` of the attempt's first generated token. */
  start: number;
  tokens: number[];
  /** log π(token) at sampling time (temperature 1): PPO's old log-probs. */
  logProbs: number[];
  /** Value head before each token; values[0] is V(state at the start of the attempt). */
  values: number[];
  /** The context the model read before this attempt, as text. */
  prompt: string;
  /** The action text the env received. */
  action: string;
  result: StepResult<Obs, Info>;
}

export interface Segment<Obs = unknown, Info = unknown> {
  /** Observation tokens, the blocks of retried attempts, and the last attempt as generated. */
  sequence: number[];
  /** The image the model read before the segment's tokens (vision-language tasks). */
  image?: RgbImage;
  attempts: AttemptTrace<Obs, Info>[];
}

export interface Episode<Obs = unknown, Info = unknown> {
  spec: EpisodeSpec;
  /** What reset returned (the task reads its state from here). */
  initial: { observation: Obs; info: Info };
  /** The env the episode was played in, in its final state (records read the route, rail or hand from it). */
  env: TaskEnv<Obs, Info>;
  segments: Segment<Obs, Info>[];
  /** Ended by `terminated` (the task's natural end: solved, route completed). */
  success: boolean;
  record: EpisodeRecord;
}

/** Everything an episode record is built from. */
export interface RecordInput<Obs, Info> {
  episode: Omit<Episode<Obs, Info>, 'record'>;
  verificationLimit: number;
  actor: Actor;
  createdAt: string;
}

export interface TrainingTask<Obs = unknown, Info = unknown> {
  /** The experiment config's task id (`generalpoints`, `virl`); written into checkpoints. */
  readonly id: ExperimentConfig['task'];
  readonly codec: TaskCodec<Obs, Info>;
  /** Size of the image every observation carries (vision-language tasks); absent for text-only tasks. */
  readonly imageSize?: { width: number; height: number };
  /** Attempts per segment the model's context must hold for this experiment. */
  attemptsNeeded(config: ExperimentConfig): number;
  /** Whether a step that did not end the episode asks for another attempt at the same observation (else the env moved on). */
  isRetry(result: StepResult<Obs, Info>): boolean;
  /** A fresh env that verifies up to `verificationLimit` attempts per segment. */
  makeEnv(verificationLimit: number): TaskEnv<Obs, Info>;
  /** `count` distinct in-distribution training episodes (RL), drawn from `rng`. */
  trainingEpisodes(rng: Rng, count: number): EpisodeSpec[];
  /** The fixed evaluation set of a split: a pure function of (seed, split, index). */
  evalEpisodes(evalCfg: EvalConfig, split: Split, count: number): EpisodeSpec[];
  /**
   * Optional fixed sets played beside a split at every evaluation, decoded the same way, their
   * metrics logged as `eval/<split>/<name>/…` (GP-VL: the ID hands again in red suits).
   */
  probeSets?(evalCfg: EvalConfig, split: Split, count: number): { name: string; episodes: EpisodeSpec[] }[];
  /** In-distribution expert examples (initial SFT, SFT branch): canonical or a random valid answer. */
  expertExamples(rng: Rng, batch: number, expert: 'canonical' | 'diverse'): Example[];
  /** Base-curriculum examples (general skills, never the in-distribution task); multi-turn ones fit `maxAttempts`. */
  curriculumExamples(rng: Rng, batch: number, opts: { multiTurn: boolean; maxAttempts: number }): Example[];
  /** The episode return GRPO baselines compare within a group (before any repeat penalty). */
  episodeReturn(episode: Episode<Obs, Info>): number;
  /** PPO's per-attempt rewards, in order over the segments' attempts. */
  attemptRewards(episode: Episode<Obs, Info>): number[];
  /** The env's own graded reward of each attempt, scaled so that a right answer earns 1 (`rl.reward = graded`). */
  gradedRewards(episode: Episode<Obs, Info>): number[];
  /** The shared episode record of a finished episode. */
  episodeRecord(input: RecordInput<Obs, Info>): EpisodeRecord;
  /** `eval/<split>/…` metrics of an evaluation set, beyond the engine's generic ones. */
  evalMetrics(episodes: readonly Episode<Obs, Info>[], split: Split, verificationLimit: number): Record<string, number>;
}

/** All attempts of an episode, in order over its segments. */
export function episodeAttempts<O, I>(e: Pick<Episode<O, I>, 'segments'>): AttemptTrace<O, I>[] {
  return e.segments.flatMap((s) => s.attempts);
}

/** Whether each attempt (in order over the segments) repeats an earlier attempt at the same observation token for token. */
export function attemptRepeats(e: Pick<Episode, 'segments'>): boolean[] {
  return e.segments.flatMap((s) => s.attempts.map((a, k) => k > 0 && s.attempts.slice(0, k).some((p) => p.tokens.join(',') === a.tokens.join(','))));
}

/** Attempts that repeat an earlier attempt at the same observation token for token. */
export function repeatedAttempts(e: Pick<Episode, 'segments'>): number {
  return attemptRepeats(e).filter(Boolean).length;
}

/** Whether every segment was answered right at its first attempt (and the episode succeeded). */
export function firstTrySuccess(e: Pick<Episode, 'segments' | 'success'>): boolean {
  return e.success && e.segments.every((s) => s.attempts.length === 1);
}
