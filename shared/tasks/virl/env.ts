/**
 * `VirlNav-v0`: the V-IRL navigation environment (PAPER.md §2.3–2.9). The agent walks a
 * precomputed rail; at each point the model answers in the paper's format, the verifier judges
 * the action, a correct one advances, a wrong one is retried with feedback, and the route ends at
 * the first point failed past the verification limit.
 */
import { createRng } from '../../util/rng';
import type { Env, StepResult } from '../env';
import { TRAINING_CITY } from './catalog';
import { generateCity } from './city';
import type { Vec2 } from './geo';
import { currentObservation, observationActionSequence } from './observation';
import { parseAnswer } from './parse';
import { compactPrompt, expertAnswer, paperPrompt, type ActionSpaceKind } from './prompts';
import { buildRail, numberedInstruction, type RailOptions } from './rail';
import { renderStreetViews, type StreetViewOptions } from './render/views';
import type { RgbImage } from './render/image';
import { sampleRoute } from './route';
import { sceneForRoute } from './scene';
import type { Rail, RailPoint, RailPointKind, Scene, VirlRoute } from './types';
import { OVER_LIMIT_MESSAGE, verify, VIRL_REWARDS, type VerifierOptions, type VirlVerdict } from './verifier';

export const VIRL_ENV_ID = 'VirlNav-v0';

export interface VirlVariant {
  /** `text` (V-IRL-L) or `vision` (V-IRL-VL: four rendered street views). */
  observation: 'text' | 'vision';
  /** `absolute` compass turns (in distribution) or `relative` left/right turns (rule OOD). */
  actionSpace: ActionSpaceKind;
}

export interface VirlEnvConfig {
  /** Evaluated attempts per rail point (config `verify_iter`, 2 in the paper). */
  verificationLimit: number;
  /**
   * Accept the reference code's extra, unevaluated step after the limit at a point (−1,
   * `over_limit`, then truncated). Default false: the last allowed failed verification truncates.
   */
  overLimitStep: boolean;
  /** Hard cap on steps per episode (the reference registers `max_episode_steps=300`). */
  maxSteps: number;
  /** Rail construction: drop rate, interpolation, relative-turn mode. */
  rail: Partial<RailOptions>;
  /** Verifier behaviour: intersection check and feedback braces. */
  verifier: VerifierOptions;
  /** Street-view image size and layout (vision variant). */
  views: Partial<StreetViewOptions>;
  /** City whose style draws imported real routes. */
  importStyleCity: string;
}

export const DEFAULT_VIRL_CONFIG: VirlEnvConfig = {
  verificationLimit: 2,
  overLimitStep: false,
  maxSteps: 300,
  rail: {},
  verifier: { observationCheck: 'intent', feedbackBraces: 'intent' },
  views: {},
  importStyleCity: TRAINING_CITY,
};

export interface VirlResetOptions {
  seed: number;
  variant?: Partial<VirlVariant>;
  /** City (catalog id or name, or a numeric seed) of a generated route; default the training city. */
  city?: string | number;
  /** An imported route, or a route seed in `city`; default: the episode seed. */
  route?: VirlRoute | number;
}

export interface ChatTurn { role: 'user' | 'assistant'; content: string }

/** The structured state behind the prompts, for token codecs and viewers (models read prompts or tokens). */
export interface VirlObservationState {
  actionSpace: ActionSpaceKind;
  /** Instruction sentences, unnumbered. */
  sentences: readonly string[];
  /** The points passed so far: what was observed there and the expert action taken. */
  history: readonly { landmarkObs: string; atIntersection: boolean; action: string }[];
  /** The current point as observed. */
  landmarkObs: string;
  atIntersection: boolean;
  /** Verdict of the last failed attempt at this point, or null. */
  failure: VirlVerdict | null;
}

export interface VirlObservation {
  state: VirlObservationState;
  /** Paper prompt as one text: the prompt plus any `You failed this trial because …` lines. */
  prompt: string;
  /** The same as the paper's multi-turn chat at this point (prompt, answers, failure messages). */
  chat: ChatTurn[];
  /** Short prompt for in-app tiny models. */
  compactPrompt: string;
  /** Numbered instruction list. */
  instruction: string;
  /** Current observation line as shown to the model. */
  current: string;
  /** Feedback of the last failed attempt at this point, or null. */
  feedback: string | null;
  /** The 2×2 street-view grid (vision variant), else null. */
  image: RgbImage | null;
  pointIndex: number;
}

export interface VirlInfo {
  /** Rail point the step was taken at (at reset: the first point). */
  pointIndex: number;
  pointKind: RailPointKind;
  position: Vec2;
  heading: number;
  instructionIndex: number;
  atIntersection: boolean;
  expertAction: string;
  /** Normalised parsed action, null at reset or when none could be parsed. */
  parsedAction: string | null;
  verdict: VirlVerdict | null;
  /** 1-based attempt number at this point (0 at reset). */
  attempt: number;
  /** Verifier message of this step (`Correct action`, the failure reason; empty at reset). */
  feedback: string;
  /** Point the agent is at after the step. */
  nextPointIndex: number;
  stepCount: number;
  /** True once the route was completed with a correct stop(). */
  routeSuccess: boolean;
}

export class VirlNavEnv implements Env<VirlResetOptions, VirlObservation, VirlInfo> {
  readonly id = VIRL_ENV_ID;
  readonly config: VirlEnvConfig;
  private state: {
    route: VirlRoute; rail: Rail; variant: VirlVariant; scene: Scene | null; point: number; attempts: number;
    chat: ChatTurn[]; feedback: string | null; failure: VirlVerdict | null; steps: number; done: boolean; success: boolean; image: { point: number; img: RgbImage } | null;
  } | null = null;

  constructor(config: Partial<VirlEnvConfig> = {}) {
    this.config = { ...DEFAULT_VIRL_CONFIG, ...config };
    if (!Number.isInteger(this.config.verificationLimit) || this.config.verificationLimit < 1) throw new Error(`verificationLimit must be a positive integer, got ${this.config.verificationLimit}`);
  }

  reset(options: VirlResetOptions): { observation: VirlObservation; info: VirlInfo } {
    const variant: VirlVariant = { observation: 'text', actionSpace: 'absolute', ...options.variant };
    const route = typeof options.route === 'object'
      ? options.route
      : sampleRoute(generateCity(options.city ?? TRAINING_CITY), options.route ?? options.seed);
    const rail = buildRail(route, createRng((Math.trunc(options.seed) ^ 0x2545f491) >>> 0), this.config.rail);
    this.state = { route, rail, variant, scene: null, point: 0, attempts: 0, chat: [], feedback: null, failure: null, steps: 0, done: false, success: false, image: null };
    return { observation: this.observe(), info: this.info(0, null, null, 0, '') };
  }

  step(answerText: string): StepResult<VirlObservation, VirlInfo> {
    const s = this.requireState();
    if (s.done) throw new Error('the episode is over; call reset() first');
    const at = s.point;
    const point = s.rail.points[at] as RailPoint;
    const expert = this.expertOf(point);
    const text = typeof answerText === 'string' ? answerText : String(answerText);
    const parsed = parseAnswer(text);
    s.steps++;
    s.attempts++;
    let reward: number;
    let verdict: VirlVerdict;
    let message: string;
    let terminated = false;
    let truncated = false;
    const attempt = s.attempts;
    if (s.attempts > this.config.verificationLimit || s.steps > this.config.maxSteps) {
      // The (limit+1)-th call is not evaluated: it only earns the timeout penalty.
      ({ reward, verdict, message } = { reward: VIRL_REWARDS.overLimit, verdict: 'over_limit', message: OVER_LIMIT_MESSAGE });
      truncated = true;
    } else {
      ({ reward, verdict, message } = verify(parsed, expert, point, this.config.verifier));
    }
    if (verdict === 'correct') {
      if (point.kind === 'destination') {
        terminated = true;
        s.success = true;
      } else {
        s.point++;
        s.attempts = 0;
        s.chat = [];
        s.feedback = null;
        s.failure = null;
      }
    } else if (!truncated) {
      s.chat.push({ role: 'assistant', content: text }, { role: 'user', content: `You failed this trial because ${message}` });
      s.feedback = message;
      s.failure = verdict;
      if (s.attempts === this.config.verificationLimit && !this.config.overLimitStep) truncated = true;
    }
    s.done = terminated || truncated;
    return { observation: this.observe(), reward, terminated, truncated, info: this.info(at, parsed.action, verdict, attempt, message) };
  }

  /** The expert's answer text at the current point (what the expert policy writes). */
  expertAnswer(): string {
    const s = this.requireState();
    const p = s.rail.points[s.point] as RailPoint;
    const obs = currentObservation(p, false);
    return expertAnswer(obs, s.rail.sentences[p.instructionIndex] ?? '', this.expertOf(p));
  }

  get route(): VirlRoute { return this.requireState().route; }
  get rail(): Rail { return this.requireState().rail; }
  get variant(): VirlVariant { return this.requireState().variant; }
  get done(): boolean { return this.requireState().done; }
  get success(): boolean { return this.requireState().success; }
  get pointIndex(): number { return this.requireState().point; }

  /** Scene used to render views (built on first use: text episodes never need it). */
  scene(): Scene {
    const s = this.requireState();
    s.scene ??= sceneForRoute(s.route, this.config.importStyleCity);
    return s.scene;
  }

  private expertOf(p: RailPoint): string {
    return this.requireState().variant.actionSpace === 'absolute' ? p.expertAbsolute : p.expertRelative;
  }

  private requireState() {
    if (!this.state) throw new Error('call reset() before using the environment');
    return this.state;
  }

  private observe(): VirlObservation {
    const s = this.requireState();
    const vision = s.variant.observation === 'vision';
    const p = s.rail.points[s.point] as RailPoint;
    const instruction = numberedInstruction(s.rail.sentences);
    const obsActSeq = observationActionSequence(s.rail.points, s.point, vision, (q) => this.expertOf(q));
    const base = paperPrompt({ instruction, actionSpace: s.variant.actionSpace, obsActSeq }, vision);
    const chat: ChatTurn[] = [{ role: 'user', content: base }, ...s.chat];
    const current = currentObservation(p, vision);
    if (vision && s.image?.point !== s.point) {
      s.image = { point: s.point, img: renderStreetViews(this.scene(), p.position, p.heading, this.config.views) };
    }
    return {
      state: {
        actionSpace: s.variant.actionSpace, sentences: s.rail.sentences,
        history: s.rail.points.slice(0, s.point).map((q) => ({ landmarkObs: q.landmarkObs, atIntersection: q.atIntersection, action: this.expertOf(q) })),
        landmarkObs: p.landmarkObs, atIntersection: p.atIntersection, failure: s.failure,
      },
      prompt: [base, ...s.chat.filter((t) => t.role === 'user').map((t) => t.content)].join('\n\n'),
      chat,
      compactPrompt: compactPrompt({
        actionSpace: s.variant.actionSpace, vision, sentences: s.rail.sentences, current,
        done: s.rail.points.slice(0, s.point).map((q) => this.expertOf(q)),
        failure: s.feedback ? (s.feedback.split('.')[0] ?? null) : null,
      }),
      instruction,
      current,
      feedback: s.feedback,
      image: vision ? (s.image?.img ?? null) : null,
      pointIndex: s.point,
    };
  }

  private info(at: number, parsedAction: string | null, verdict: VirlVerdict | null, attempt: number, feedback: string): VirlInfo {
    const s = this.requireState();
    const p = s.rail.points[at] as RailPoint;
    return {
      pointIndex: at, pointKind: p.kind, position: p.position, heading: p.heading, instructionIndex: p.instructionIndex,
      atIntersection: p.atIntersection, expertAction: this.expertOf(p), parsedAction, verdict,
      attempt, feedback, nextPointIndex: s.point, stepCount: s.steps, routeSuccess: s.success,
    };
  }
}

/** Creates a `VirlNav-v0` environment. */
export function createVirlEnv(config: Partial<VirlEnvConfig> = {}): VirlNavEnv {
  return new VirlNavEnv(config);
}
