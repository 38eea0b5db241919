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
 *
 * V-IRL-VL (issue 11, RL-NOTES §2): the same routes and rail, the current point's landmark seen
 * in the env's 2×2 street-view grid instead of read as text (codec.ts), and a vision-language
 * base (curriculum-vl.ts). Its variants (virlVariants):
 * - rule: as V-IRL-L (training city, absolute → relative actions), with street views;
 * - visual: training and ID in the training city's style; OOD = the other eight catalog cities,
 *   each with its own held-out routes (oodEpisodes split evenly over them), plus the 18-route
 *   `mini` probe (2 routes in each of the nine cities, the paper's mini benchmark), all in the
 *   absolute action space. Metrics per city style (`eval/ood/style/<city>/…`).
 * Landmark names: a landmark's sign shows its name's bucket as an emblem, so what changes
 * between cities is the visual style (palette, facades, sky, sign boards and ink), not the name
 * vocabulary the model reads (RL-NOTES' "two shifts at once" pitfall: the name shift is held out
 * of this miniature by construction).
 */
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import { experimentAttempts } from '../../../../shared/experiments/plan';
import { CITY_SPECS, TRAINING_CITY } from '../../../../shared/tasks/virl/catalog';
import { VIRL_ENV_ID, type VirlInfo, type VirlNavEnv, type VirlObservation } from '../../../../shared/tasks/virl/env';
import { virlEpisodeRecord } from '../../../../shared/tasks/virl/episode';
import { COMPASS } from '../../../../shared/tasks/virl/geo';
import { VIRL_REWARDS } from '../../../../shared/tasks/virl/verifier';
import { makeEnv } from '../../../../shared/tasks/registry';
import type { Rng } from '../../../../shared/util/rng';
import { drawSeed, mixSeed } from '../../engine/seed';
import { episodeAttempts, type Episode, type EpisodeSpec, type Example, type TaskEnv, type TrainingTask } from '../../engine/task';
import { createVirlCodec, createVirlTokenizer, gridSide, MAX_PROMPT_TOKENS, type VirlCodec, type VirlViewSize } from './codec';
import { virlCurriculumExample } from './curriculum';
import { virlVlCurriculumExample } from './curriculum-vl';

export type VirlEpisode = Episode<VirlObservation, VirlInfo>;

/** What a V-IRL episode spec's variant holds. */
interface VirlSpecVariant {
  actionSpace: 'absolute' | 'relative';
  city: string;
  routeSeed: number;
}

/** The engine's view of the env: a spec's variant becomes the route and the action space; with views, observations carry the street-view grid. */
class VirlTaskEnv implements TaskEnv<VirlObservation, VirlInfo> {
  readonly env: VirlNavEnv;
  constructor(verificationLimit: number, private readonly views: VirlViewSize | null = null) {
    this.env = makeEnv(VIRL_ENV_ID, { verificationLimit, ...(views ? { views: { viewSize: views.viewSize, gap: views.gap, layout: 'prompt' as const } } : {}) });
  }
  reset(options: { seed: number; variant?: Record<string, unknown> }) {
    const v = options.variant as unknown as VirlSpecVariant;
    return this.env.reset({ seed: options.seed, city: v.city, route: v.routeSeed, variant: { observation: this.views ? 'vision' : 'text', actionSpace: v.actionSpace } });
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

const spec = (seed: number, actionSpace: 'absolute' | 'relative', routeSeed: number, split: 'id' | 'ood', city: string = TRAINING_CITY): EpisodeSpec => ({
  seed, split, variant: { actionSpace, city, routeSeed } satisfies VirlSpecVariant,
});

/** The city of an episode spec. */
export const specCity = (s: Pick<EpisodeSpec, 'variant'>): string => (s.variant as unknown as VirlSpecVariant).city;

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

/** The OOD cities of the visual variant: every catalog city but the training one. */
export const OOD_CITIES: readonly string[] = CITY_SPECS.filter((c) => c.id !== TRAINING_CITY).map((c) => c.id);

/**
 * The visual variant's OOD routes: `count` split as evenly as it goes over the OOD cities (the
 * first cities get the remainder), each city's routes held out (odd route seeds) and a pure
 * function of (seed, city, index), so adding cities or routes keeps the others.
 */
export function oodStyleRoutes(codec: VirlCodec, evalSeed: number, count: number, cities: readonly string[] = OOD_CITIES, key = 'virl-eval-style'): EpisodeSpec[] {
  const out: EpisodeSpec[] = [];
  cities.forEach((city, c) => {
    const want = Math.floor(count / cities.length) + (c < count % cities.length ? 1 : 0);
    for (let i = 0, got = 0; got < want; i++) {
      const h = mixSeed(evalSeed, key, city, i);
      const s = spec(h & 0x7fffffff, 'absolute', 2 * ((h >>> 1) & 0x3fffffff) + 1, 'ood', city);
      if (fitsContext(codec, s)) {
        out.push(s);
        got++;
      }
    }
  });
  return out;
}

/** The paper's mini benchmark in miniature: 2 held-out routes in each of the nine catalog cities (18). */
export function miniBenchmarkRoutes(codec: VirlCodec, evalSeed: number): EpisodeSpec[] {
  return oodStyleRoutes(codec, evalSeed, 2 * CITY_SPECS.length, CITY_SPECS.map((c) => c.id), 'virl-mini');
}

/** Expert examples: a random point of a training route, its prompt (and street views) and the expert's answer. */
function expertExample(codec: VirlCodec, rng: Rng): Example {
  const env = new VirlTaskEnv(2, codec.views);
  let { observation } = env.reset(trainingSpec(codec, rng));
  const at = rng.int(env.env.rail.points.length);
  for (let i = 0; i < at; i++) observation = env.step(env.env.expertAnswer()).observation;
  const point = env.env.rail.points[at];
  if (!point) throw new Error(`rail point ${at} missing`);
  const { tokens, image } = codec.encodeObservation(observation);
  return { prompt: tokens, answer: codec.encodeAnswer(point.atIntersection, point.expertAbsolute), ...(image ? { image } : {}) };
}

const correct = (e: VirlEpisode) => episodeAttempts(e).filter((a) => a.result.reward === VIRL_REWARDS.correct).length;

/** Per-step accuracy of an episode: correct answers over all answers. */
export function perStepAccuracy(e: VirlEpisode): number {
  const n = episodeAttempts(e).length;
  return n === 0 ? 0 : correct(e) / n;
}

const COMPASS_WORD = new RegExp(`turn_direction\\((${COMPASS.join('|')})\\)`);

/**
 * The V-IRL task of an experiment: V-IRL-L, or V-IRL-VL reading the image block's street-view
 * grid. The grid is square: two views of width/2 px side by side and two below, no gap.
 */
export function virlTaskFor(config: Pick<ExperimentConfig, 'modality' | 'variant' | 'image'>): ReturnType<typeof createVirlTask> {
  if (config.modality !== 'vision-language') {
    if (config.variant === 'visual') throw new Error('the visual variant of V-IRL shows street views: set modality to vision-language (with an image block)');
    return createVirlTask();
  }
  const img = config.image;
  if (!img) throw new Error('a vision-language experiment needs an image block (the street-view grid size and its encoder)');
  if (img.width !== img.height || img.width % 2 !== 0) {
    throw new Error(`V-IRL street views are a square 2×2 grid of views: the image block must be square with an even side (e.g. 64×64 for 32 px views), got ${img.width}×${img.height}`);
  }
  return createVirlTask(createVirlCodec(createVirlTokenizer(), { views: { viewSize: img.width / 2, gap: 0 } }), config.variant);
}

export function createVirlTask(codec: VirlCodec = createVirlCodec(), variant: ExperimentConfig['variant'] = 'rule'): TrainingTask<VirlObservation, VirlInfo> & { readonly codec: VirlCodec } {
  const views = codec.views;
  if (variant === 'visual' && !views) throw new Error('the visual variant of V-IRL shows street views: it needs the vision-language codec');
  const visual = variant === 'visual';
  return {
    id: 'virl',
    codec,
    ...(views ? { imageSize: { width: gridSide(views), height: gridSide(views) } } : {}),
    attemptsNeeded: experimentAttempts,
    // A wrong action is not executed: the model answers the same point again.
    isRetry: (result) => result.info.verdict !== 'correct',
    makeEnv: (verificationLimit) => new VirlTaskEnv(verificationLimit, views),
    trainingEpisodes: (rng, count) => Array.from({ length: count }, () => trainingSpec(codec, rng)),
    // Visual: ID routes of the training city in the absolute space; OOD the other cities' own routes.
    evalEpisodes: (evalCfg, split, count) =>
      visual ? (split === 'id' ? evalRoutes(codec, evalCfg.seed, 'id', count) : oodStyleRoutes(codec, evalCfg.seed, count)) : evalRoutes(codec, evalCfg.seed, split, count),
    ...(visual ? { probeSets: (evalCfg, split) => (split === 'ood' ? [{ name: 'mini', episodes: miniBenchmarkRoutes(codec, evalCfg.seed) }] : []) } : {}),
    expertExamples: (rng, batch) => Array.from({ length: batch }, () => expertExample(codec, rng)),
    curriculumExamples: (rng, batch, opts) => Array.from({ length: batch }, () => {
      const o = { maxAttempts: opts.multiTurn ? opts.maxAttempts : 1 };
      const { prompt, answer, image } = views ? virlVlCurriculumExample(rng, codec, o) : virlCurriculumExample(rng, codec, o);
      return { prompt, answer, ...(image ? { image } : {}) };
    }),
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
      // First tries by kind of point: turns are computable from the text alone (the intersection
      // flag and the history), stop vs forward on the last street needs the destination seen
      // (the blind ablation reads these).
      const firstAt = (kinds: readonly string[]) => firstTries.filter((a) => kinds.includes(a.result.info.pointKind));
      const rate = (xs: typeof firstTries) => xs.filter((a) => a.result.reward === VIRL_REWARDS.correct).length / Math.max(1, xs.length);
      metrics[`${p}/turn_accuracy`] = rate(firstAt(['start', 'milestone']));
      metrics[`${p}/forward_accuracy`] = rate(firstAt(['forward']));
      metrics[`${p}/stop_accuracy`] = rate(firstAt(['destination']));
      // Per city style, where a set spans several (the visual variant's OOD and mini sets).
      const cities = [...new Set(episodes.map((e) => specCity(e.spec)))];
      if (cities.length > 1) {
        for (const city of cities) {
          const mine = episodes.filter((e) => specCity(e.spec) === city);
          const att = mine.flatMap((e) => episodeAttempts(e));
          metrics[`${p}/style/${city}/episodes`] = mine.length;
          metrics[`${p}/style/${city}/success`] = mine.filter((e) => e.success).length / mine.length;
          metrics[`${p}/style/${city}/per_step_accuracy`] = att.filter((a) => a.result.reward === VIRL_REWARDS.correct).length / Math.max(1, att.length);
        }
      }
      return metrics;
    },
  };
}
