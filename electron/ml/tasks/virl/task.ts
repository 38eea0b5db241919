/**
 * V-IRL-L as the engine trains it (PAPER.md §2, RL-NOTES §2):
 * - training (RL episodes, expert SFT examples) and ID evaluation: routes of the training city
 *   in the absolute action space; rule OOD evaluation: the same evaluation routes in the
 *   relative action space. Training routes have even route seeds and evaluation routes odd
 *   ones, so evaluation routes are held out from training;
 * - one segment per rail point: a wrong action is not executed, the model retries the same
 *   point with the verifier's feedback (verification limit 2); a correct one moves to the next
 *   point, a fresh prompt with the history of the actions taken;
 * - base curriculum: single-step exercises on synthetic instruction lists (curriculum.ts);
 * - GRPO return: the episode's per-step accuracy (correct answers over all answers, retries
 *   included), so a group of the same route compares how far and how cleanly each got;
 *   PPO: the env's per-step rewards (+1, −1, −1.5);
 * - metrics: per-step accuracy (the paper's: retries count as steps), route success (`success`),
 *   first-try per-step accuracy, the wrong-intersection rate, and under the relative action
 *   space the share of turn answers that use a compass word (the paper's rule-ignoring symptom).
 * The SFT expert has one answer per point, so `sft-diverse` trains the same data as `sft`.
 */
import { experimentAttempts } from '../../../../shared/experiments/plan';
import { TRAINING_CITY } from '../../../../shared/tasks/virl/catalog';
import { VIRL_ENV_ID, type VirlInfo, type VirlNavEnv, type VirlObservation } from '../../../../shared/tasks/virl/env';
import { virlEpisodeRecord } from '../../../../shared/tasks/virl/episode';
import { COMPASS } from '../../../../shared/tasks/virl/geo';
import { VIRL_REWARDS } from '../../../../shared/tasks/virl/verifier';
import { makeEnv } from '../../../../shared/tasks/registry';
import type { Rng } from '../../../../shared/util/rng';
import { drawSeed, mixSeed } from '../../engine/seed';
import { episodeAttempts, type Episode, type EpisodeSpec, type Example, type TaskEnv, type TrainingTask } from '../../engine/task';
import { createVirlCodec, MAX_PROMPT_TOKENS, type VirlCodec } from './codec';
import { virlCurriculumExample } from './curriculum';

export type VirlEpisode = Episode<VirlObservation, VirlInfo>;

/** What a V-IRL episode spec's variant holds. */
interface VirlSpecVariant {
  actionSpace: 'absolute' | 'relative';
  city: string;
  routeSeed: number;
}

/** The engine's view of the env: a spec's variant becomes the route and the action space. */
class VirlTaskEnv implements TaskEnv<VirlObservation, VirlInfo> {
  readonly env: VirlNavEnv;
  constructor(verificationLimit: number) {
    this.env = makeEnv(VIRL_ENV_ID, { verificationLimit });
  }
  reset(options: { seed: number; variant?: Record<string, unknown> }) {
    const v = options.variant as unknown as VirlSpecVariant;
    return this.env.reset({ seed: options.seed, city: v.city, route: v.routeSeed, variant: { observation: 'text', actionSpace: v.actionSpace } });
  }
  step(actionText: string) {
    return this.env.step(actionText);
  }
}

/**
 * Whether every prompt of a route's expert episode fits the codec's budget. Prompts only grow
 * along a route (the history does), so the last point's is the longest; it is counted from the
 * rail, without playing the route.
 */
function fitsContext(codec: VirlCodec, spec: EpisodeSpec): boolean {
  const env = new VirlTaskEnv(2);
  env.reset(spec);
  const { rail, variant } = env.env;
  const history = rail.points.slice(0, -1).map((p) => (variant.actionSpace === 'absolute' ? p.expertAbsolute : p.expertRelative));
  return codec.promptLength(rail.sentences.length, history) <= MAX_PROMPT_TOKENS;
}

const spec = (seed: number, actionSpace: 'absolute' | 'relative', routeSeed: number, split: 'id' | 'ood'): EpisodeSpec => ({
  seed, split, variant: { actionSpace, city: TRAINING_CITY, routeSeed } satisfies VirlSpecVariant,
});

/** A training route: an even route seed, redrawn until its prompts fit. */
function trainingSpec(codec: VirlCodec, rng: Rng): EpisodeSpec {
  for (;;) {
    const s = spec(drawSeed(rng), 'absolute', 2 * (drawSeed(rng) >>> 1), 'id');
    if (fitsContext(codec, s)) return s;
  }
}

/** The fixed evaluation routes (odd route seeds), the same for both splits: ID absolute, OOD relative. */
export function evalRoutes(codec: VirlCodec, evalSeed: number, split: 'id' | 'ood', count: number): EpisodeSpec[] {
  const out: EpisodeSpec[] = [];
  for (let i = 0; out.length < count; i++) {
    const h = mixSeed(evalSeed, 'virl-eval', i);
    const s = spec(h & 0x7fffffff, split === 'id' ? 'absolute' : 'relative', 2 * ((h >>> 1) & 0x3fffffff) + 1, split);
    if (fitsContext(codec, s)) out.push(s);
  }
  return out;
}

/** Expert examples: a random point of a training route, its prompt and the expert's answer. */
function expertExample(codec: VirlCodec, rng: Rng): Example {
  const env = new VirlTaskEnv(2);
  let { observation } = env.reset(trainingSpec(codec, rng));
  const at = rng.int(env.env.rail.points.length);
  for (let i = 0; i < at; i++) observation = env.step(env.env.expertAnswer()).observation;
  const point = env.env.rail.points[at];
  if (!point) throw new Error(`rail point ${at} missing`);
  return { prompt: codec.encodeObservation(observation).tokens, answer: codec.encodeAnswer(point.atIntersection, point.expertAbsolute) };
}

const correct = (e: VirlEpisode) => episodeAttempts(e).filter((a) => a.result.reward === VIRL_REWARDS.correct).length;

/** Per-step accuracy of an episode: correct answers over all answers. */
export function perStepAccuracy(e: VirlEpisode): number {
  const n = episodeAttempts(e).length;
  return n === 0 ? 0 : correct(e) / n;
}

const COMPASS_WORD = new RegExp(`turn_direction\\((${COMPASS.join('|')})\\)`);

export function createVirlTask(codec: VirlCodec = createVirlCodec()): TrainingTask<VirlObservation, VirlInfo> & { readonly codec: VirlCodec } {
  return {
    id: 'virl',
    codec,
    attemptsNeeded: experimentAttempts,
    // A wrong action is not executed: the model answers the same point again.
    isRetry: (result) => result.info.verdict !== 'correct',
    makeEnv: (verificationLimit) => new VirlTaskEnv(verificationLimit),
    trainingEpisodes: (rng, count) => Array.from({ length: count }, () => trainingSpec(codec, rng)),
    evalEpisodes: (evalCfg, split, count) => evalRoutes(codec, evalCfg.seed, split, count),
    expertExamples: (rng, batch) => Array.from({ length: batch }, () => expertExample(codec, rng)),
    curriculumExamples: (rng, batch, opts) => Array.from({ length: batch }, () => virlCurriculumExample(rng, codec, { maxAttempts: opts.multiTurn ? opts.maxAttempts : 1 })),
    episodeReturn: perStepAccuracy,
    attemptRewards: (e) => episodeAttempts(e).map((a) => a.result.reward),
    // The paper's per-step rewards already give a right action +1.
    gradedRewards: (e) => episodeAttempts(e).map((a) => a.result.reward),
    episodeRecord: ({ episode, actor, createdAt }) => {
      const steps = episodeAttempts(episode).map((a) => ({ prompt: a.prompt, output: codec.tokensToText(a.tokens), result: a.result }));
      // The engine's split (ID absolute, OOD relative, on the same routes) is the record's.
      return { ...virlEpisodeRecord((episode.env as VirlTaskEnv).env, episode.spec, steps, actor, createdAt), split: episode.spec.split };
    },
    evalMetrics(episodes, split) {
      const p = `eval/${split}`;
      const attempts = episodes.flatMap((e) => episodeAttempts(e));
      const n = Math.max(1, attempts.length);
      const firstTries = episodes.flatMap((e) => e.segments.map((s) => s.attempts[0])).filter((a) => a !== undefined);
      const metrics: Record<string, number> = {
        [`${p}/per_step_accuracy`]: attempts.filter((a) => a.result.reward === VIRL_REWARDS.correct).length / n,
        [`${p}/per_step_first`]: firstTries.filter((a) => a.result.reward === VIRL_REWARDS.correct).length / Math.max(1, firstTries.length),
        [`${p}/steps`]: attempts.length,
        [`${p}/wrong_intersection_rate`]: attempts.filter((a) => a.result.info.verdict === 'wrong_intersection').length / n,
      };
      const turns = attempts.filter((a) => /^turn_direction\(/.test(a.result.info.expertAction));
      const said = turns.map((a) => codec.decodeAnswer(a.tokens).action ?? '');
      metrics[`${p}/compass_word_rate`] = turns.length === 0 ? 0 : said.filter((x) => COMPASS_WORD.test(x)).length / turns.length;
      return metrics;
    },
  };
}
