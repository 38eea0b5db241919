/**
 * Batched multi-turn episodes through a task's real env. Each round, every live episode's current
 * context goes into one generate call (contexts grouped by length, in episode order, so there is
 * no padding inside a call); each env then verifies its answer. A failed attempt the env lets the
 * model retry gets the task's feedback tokens appended to the same segment; a step that moves the
 * env to a new observation closes the segment and starts the next one; `terminated` or
 * `truncated` ends the episode.
 */
import type { Actor } from '../../../shared/api/episode';
import type { Rng } from '../../../shared/util/rng';
import { generate, type PolicyModel } from '../model';
import { rowImages } from './images';
import type { AttemptTrace, Episode, EpisodeSpec, Segment, TaskEnv, TrainingTask } from './task';
import { MAX_PASS_CELLS, rowsPerPass } from './pass-size';

export interface RolloutOptions {
  episodes: readonly EpisodeSpec[];
  /** Verified attempts per segment (the env's verification limit). */
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
  /** Safety bound on env steps per episode (default 1000). */
  maxSteps?: number;
}

export interface RolloutResult<Obs, Info> {
  episodes: Episode<Obs, Info>[];
  /** Forward tokens processed by generation (2·N·D accounting). */
  genTokens: number;
  /** Generated (sampled) tokens. */
  sampledTokens: number;
  /** Wall time spent in generate. */
  genSeconds: number;
}

interface Live<Obs, Info> {
  spec: EpisodeSpec;
  env: TaskEnv<Obs, Info>;
  initial: { observation: Obs; info: Info };
  segments: Segment<Obs, Info>[];
  steps: number;
  done: boolean;
  success: boolean;
}

const current = <O, I>(e: Live<O, I>) => e.segments[e.segments.length - 1] as Segment<O, I>;

function openSegment<O, I>(task: TrainingTask<O, I>, observation: O): Segment<O, I> {
  const { tokens, image } = task.codec.encodeObservation(observation);
  return { sequence: tokens, ...(image ? { image } : {}), attempts: [] };
}

/** Checks that segments of `attempts` attempts fit the model. */
export function assertContext(model: PolicyModel, task: Pick<TrainingTask, 'codec'>, attempts: number): void {
  const need = task.codec.contextFor(attempts);
  if (model.config.contextLength < need) {
    throw new Error(`the model's context (${model.config.contextLength}) cannot hold ${attempts} attempts (needs ${need} tokens)`);
  }
}

export function rollout<Obs, Info>(model: PolicyModel, task: TrainingTask<Obs, Info>, opts: RolloutOptions): RolloutResult<Obs, Info> {
  const V = opts.verificationLimit;
  assertContext(model, task, V);
  const { codec } = task;
  const maxBatch = opts.maxBatch ?? 512;
  const maxSteps = opts.maxSteps ?? 1000;
  const live: Live<Obs, Info>[] = opts.episodes.map((spec) => {
    const env = task.makeEnv(V);
    const initial = env.reset({ seed: spec.seed, variant: spec.variant });
    return { spec, env, initial, segments: [openSegment(task, initial.observation)], steps: 0, done: false, success: false };
  });
  let genTokens = 0;
  let sampledTokens = 0;
  let genSeconds = 0;
  for (;;) {
    const active = live.filter((e) => !e.done);
    if (active.length === 0) break;
    const byLength = new Map<number, Live<Obs, Info>[]>();
    for (const e of active) {
      const n = current(e).sequence.length;
      const group = byLength.get(n);
      if (group) group.push(e);
      else byLength.set(n, [e]);
    }
    for (const [length, group] of byLength) {
      // A prefill holds rows × length² attention cells (no tape: twice a training pass's share).
      // Every episode at attempt k of GeneralPoints has the same length, so at V = 10 all 400
      // evaluation hands would otherwise prefill ~200 tokens at once and abort the wasm heap.
      const per = rowsPerPass(length + codec.maxAnswerTokens, maxBatch, 2 * MAX_PASS_CELLS);
      for (let c = 0; c < group.length; c += per) {
        const chunk = group.slice(c, c + per);
        const images = rowImages(model, chunk.map((e) => current(e).image), 'observation');
        const t0 = performance.now();
        const out = generate(model, {
          prompts: chunk.map((e) => current(e).sequence),
          ...(images ? { images } : {}),
          maxNewTokens: codec.maxAnswerTokens,
          stopToken: codec.tokenizer.eos,
          padToken: codec.tokenizer.pad,
          temperature: opts.temperature,
          rng: opts.rng,
        });
        genSeconds += (performance.now() - t0) / 1000;
        genTokens += out.tokensProcessed;
        chunk.forEach((e, i) => {
          const seg = current(e);
          const tokens = out.tokens[i] as number[];
          sampledTokens += tokens.length;
          const action = codec.answerToAction(tokens);
          const prompt = codec.tokensToText(seg.sequence);
          const result = e.env.step(action);
          e.steps++;
          const attempt: AttemptTrace<Obs, Info> = {
            start: seg.sequence.length, tokens, logProbs: out.logProbs[i] as number[], values: out.values[i] as number[], prompt, action, result,
          };
          seg.attempts.push(attempt);
          const retry = !result.terminated && !result.truncated && task.isRetry(result);
          // The V-th failed verification at one observation ends the episode, whether or not the
          // env also accepts the reference code's unevaluated extra step.
          if (result.terminated || result.truncated || (retry && seg.attempts.length >= V)) {
            e.done = true;
            e.success = result.terminated;
            seg.sequence.push(...tokens);
          } else if (e.steps >= maxSteps) {
            throw new Error(`an episode (seed ${e.spec.seed}) ran past ${maxSteps} steps without ending`);
          } else if (retry) {
            seg.sequence.push(...codec.encodeRetry(tokens, result));
          } else {
            seg.sequence.push(...tokens);
            e.segments.push(openSegment(task, result.observation));
          }
        });
      }
    }
  }
  const createdAt = opts.createdAt ?? new Date().toISOString();
  const episodes = live.map((e): Episode<Obs, Info> => {
    const episode = { spec: e.spec, initial: e.initial, env: e.env, segments: e.segments, success: e.success };
    return { ...episode, record: task.episodeRecord({ episode, verificationLimit: V, actor: opts.actor, createdAt }) };
  });
  return { episodes, genTokens, sampledTokens, genSeconds };
}

