/**
 * Batched multi-turn episodes through the real GeneralPoints env. Turn 1 of every episode is one
 * generate call; each env verifies its answer; unsolved episodes get the attempt block with the
 * verifier's feedback appended and go into the next call, up to the verification limit. All
 * prompts of a turn have the same length, so there is no padding inside a call.
 */
import { EPISODE_FORMAT_VERSION, type Actor, type EpisodeRecord, type EpisodeStep } from '../../../shared/api/episode';
import { createGeneralPointsEnv, GP_ENV_ID, type GeneralPointsEnv } from '../../../shared/tasks/generalpoints/env';
import { handSolutions, type GpHand } from '../../../shared/tasks/generalpoints/hand';
import type { GpVerdict } from '../../../shared/tasks/generalpoints/rewards';
import type { GpVariant } from '../../../shared/tasks/generalpoints/rules';
import type { Rng } from '../../../shared/util/rng';
import { generate, type PolicyModel } from '../model';
import type { GpCodec } from './codec';
import { assertContext } from './train-common';

/** One episode to play: the env seed deals the hand under the variant. */
export interface RolloutHand {
  seed: number;
  variant: Partial<GpVariant>;
  split: 'id' | 'ood';
}

/** One attempt as generated: where it sits in the episode's final sequence, and what the env said. */
export interface AttemptTrace {
  /** Index in `GpEpisode.sequence` of the attempt's first generated token. */
  start: number;
  tokens: number[];
  /** log π(token) at sampling time (temperature 1), PPO's old log-probs. */
  logProbs: number[];
  /** Value head before each token; values[0] is V(state at the start of the attempt). */
  values: number[];
  verdict: GpVerdict;
  /** The env's reward of the attempt (the paper's table: +5, −1, −2, −3). */
  envReward: number;
  /** The numbers field as read (for the face-as-10 diagnostic). */
  numbers: (number | null)[];
  /** The env text the answer was converted to. */
  envText: string;
}

export interface GpEpisode {
  hand: GpHand;
  /** Prompt, the blocks of failed attempts, and the last attempt's tokens as generated. */
  sequence: number[];
  attempts: AttemptTrace[];
  success: boolean;
  /** 1-based attempt that solved the hand; 0 when unsolved. */
  solvedAt: number;
  record: EpisodeRecord;
}

export interface RolloutOptions {
  hands: readonly RolloutHand[];
  /** Attempts per episode (the env's verification limit). */
  verificationLimit: number;
  /** 0 = greedy. */
  temperature: number;
  /** Sampling draws (required when temperature > 0). */
  rng?: Rng;
  actor: Actor;
  /** Rows per generate call (bounds memory on large eval sets). Default 512. */
  maxBatch?: number;
  /** Timestamp written into the records (default: now). */
  createdAt?: string;
}

export interface RolloutResult {
  episodes: GpEpisode[];
  /** Forward tokens processed by generation (2·N·D accounting). */
  genTokens: number;
  /** Generated (sampled) tokens. */
  sampledTokens: number;
  /** Wall time spent in generate. */
  genSeconds: number;
}

interface Live {
  env: GeneralPointsEnv;
  hand: GpHand;
  context: number[];
  attempts: AttemptTrace[];
  steps: EpisodeStep[];
  prompt: string;
  done: boolean;
  solvedAt: number;
}

/** Attempts after the first that repeat an earlier attempt of the episode token for token. */
export function repeatedAttempts(e: Pick<GpEpisode, 'attempts'>): number {
  let repeats = 0;
  e.attempts.forEach((a, k) => {
    const key = a.tokens.join(',');
    if (k > 0 && e.attempts.slice(0, k).some((p) => p.tokens.join(',') === key)) repeats++;
  });
  return repeats;
}

export function rollout(model: PolicyModel, codec: GpCodec, opts: RolloutOptions): RolloutResult {
  const V = opts.verificationLimit;
  assertContext(model, codec, V);
  const maxBatch = opts.maxBatch ?? 512;
  const live: Live[] = opts.hands.map((h) => {
    const env = createGeneralPointsEnv({ verificationLimit: V });
    const { observation } = env.reset({ seed: h.seed, variant: h.variant });
    const hand = env.currentHand as GpHand;
    return { env, hand, context: codec.encodeHandPrompt(hand), attempts: [], steps: [], prompt: observation.compactPrompt, done: false, solvedAt: 0 };
  });
  let genTokens = 0;
  let sampledTokens = 0;
  let genSeconds = 0;
  for (let turn = 1; turn <= V; turn++) {
    const active = live.filter((e) => !e.done);
    for (let c = 0; c < active.length; c += maxBatch) {
      const chunk = active.slice(c, c + maxBatch);
      const t0 = performance.now();
      const out = generate(model, {
        prompts: chunk.map((e) => e.context),
        maxNewTokens: codec.maxAnswerTokens,
        stopToken: codec.tokenizer.eos,
        padToken: codec.tokenizer.pad,
        temperature: opts.temperature,
        rng: opts.rng,
      });
      genSeconds += (performance.now() - t0) / 1000;
      genTokens += out.tokensProcessed;
      chunk.forEach((e, i) => {
        const tokens = out.tokens[i] as number[];
        sampledTokens += tokens.length;
        const envText = codec.answerToEnvText(tokens);
        const r = e.env.step(envText);
        const verdict = r.info.verdict as GpVerdict;
        e.attempts.push({
          start: e.context.length, tokens, logProbs: out.logProbs[i] as number[], values: out.values[i] as number[],
          verdict, envReward: r.reward, numbers: codec.decodeAnswer(tokens).numbers, envText,
        });
        e.steps.push({
          prompt: e.prompt, output: codec.tokensToText(tokens), parsed: r.info.parsed, reward: r.reward, feedback: r.info.feedback,
          verdict, terminated: r.terminated, truncated: r.truncated,
          info: { attempt: turn, envText, formula: r.info.formula, value: r.info.value },
        });
        e.prompt = r.observation.compactPrompt;
        if (r.terminated) {
          e.done = true;
          e.solvedAt = turn;
          e.context.push(...tokens);
        } else if (turn === V) {
          e.done = true;
          e.context.push(...tokens);
        } else {
          e.context.push(...codec.encodeBlock(tokens, verdict, r.info.value, r.info.formula));
        }
      });
    }
  }
  const createdAt = opts.createdAt ?? new Date().toISOString();
  const episodes = live.map((e, i): GpEpisode => {
    const h = opts.hands[i] as RolloutHand;
    const solutions = handSolutions(e.hand);
    return {
      hand: e.hand,
      sequence: e.context,
      attempts: e.attempts,
      success: e.solvedAt > 0,
      solvedAt: e.solvedAt,
      record: {
        format: EPISODE_FORMAT_VERSION,
        envId: GP_ENV_ID,
        variant: { ...h.variant },
        seed: h.seed,
        split: h.split,
        actor: opts.actor,
        initial: {
          cards: e.hand.cards.map((c) => ({ ...c })), values: e.hand.values.slice(), target: e.hand.variant.target,
          verificationLimit: V, solutionCount: solutions.length, solutions: solutions.slice(0, 20),
          promptTokens: codec.tokensToText(e.context.slice(0, codec.promptTokens)),
        },
        steps: e.steps,
        success: e.solvedAt > 0,
        createdAt,
      },
    };
  });
  return { episodes, genTokens, sampledTokens, genSeconds };
}
