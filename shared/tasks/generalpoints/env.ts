/**
 * `GeneralPoints-v0`: the Gymnasium-like environment with multi-turn sequential revision.
 *
 * Episode (PAPER.md §1.6): up to `verificationLimit` attempts are verified; a correct one
 * terminates the episode (+5), and the last allowed failed verification truncates it (the ending
 * convention every env of the workbench shares). `overLimitStep` restores the reference code's
 * extra step: after the limit one more answer is accepted but not evaluated, earning −1
 * (`over_limit`) and truncating the episode, as the reference's (verify_iter+1)-th generation does.
 */
import type { Env, StepResult } from '../env';
import { createRng } from '../../util/rng';
import { rankLabel, type Card } from './cards';
import { drawHand } from './deal';
import { handSolutions, type GpHand } from './hand';
import { DEFAULT_IMAGE_SIZE, checkImageSize, renderCards, type RgbImage, type GpImageSize } from './image';
import { compactPrompt, paperMessages, paperPrompt, type GpAttempt, type GpChatMessage } from './prompts';
import { resolveVariant, type GpVariant, type ResolvedVariant } from './rules';
import { GP_REWARDS, type GpVerdict } from './rewards';
import type { ParsedAnswer } from './answer-parse';
import { verifyAnswerWith } from './verify-any';

export const GP_ENV_ID = 'GeneralPoints-v0';

export interface GpEnvOptions {
  /** Default variant of every episode; `reset` may override any field. Default: face10, target 24, mixed suits, text (GP-L). */
  variant?: Partial<GpVariant>;
  /** Verified attempts per episode (the paper's `verify_iter`), 1..10. Default 5. */
  verificationLimit?: number;
  /**
   * Accept the reference code's extra, unevaluated step after the limit (−1, `over_limit`, then
   * truncated). Default false: the episode is truncated on the last allowed failed verification.
   */
  overLimitStep?: boolean;
  /**
   * Use the reference code's verifier instead of the paper's intent: summed penalties, +1 partial
   * solution, float evaluation, strict formula characters (see reference.ts). Default false.
   */
  referenceQuirks?: boolean;
  /** Size of the vision variant's image. Default 96×48. */
  imageSize?: GpImageSize;
  /** Paper prompt with the `_EG` output example (as the reference's API evaluator). Default false. */
  paperPromptExample?: boolean;
}

export interface GpResetOptions {
  /** Seed of the episode: the same seed and variant give the same hand and observations. */
  seed: number;
  /** Overrides of the env's default variant for this episode. */
  variant?: Partial<GpVariant>;
}

/** The structured state, for UIs and evaluators (models read the prompts or the image). */
export interface GpState {
  cards: Card[];
  /** Rank labels in dealt order (`A`, `10`, `K`…). */
  labels: string[];
  values: number[];
  variant: ResolvedVariant;
  attempts: GpAttempt[];
  /** Attempts that will still be verified. */
  attemptsLeft: number;
  verificationLimit: number;
  solved: boolean;
  done: boolean;
}

export interface GpObservation {
  state: GpState;
  /** Short prompt for the in-app models (see prompts.ts `compactPrompt`). */
  compactPrompt: string;
  /** The paper's first user message (GP-L, or GP-VL in the vision variant), verbatim. */
  paperPrompt: string;
  /** The paper's chat so far: prompt, then each answer and "You failed this trial because …". */
  paperMessages: GpChatMessage[];
  /** The card image (vision variant only; the same bytes for the whole episode). */
  image: RgbImage | null;
}

export interface GpInfo {
  /** Verdict of this step; null after reset. */
  verdict: GpVerdict | null;
  feedback: string;
  parsed: ParsedAnswer | null;
  /** Formula as read, and the exact value it reached. */
  formula: string | null;
  value: string | null;
  /** 1-based number of this step in the episode (0 after reset). */
  attempt: number;
  attemptsLeft: number;
  labels: string[];
  values: number[];
  target: number;
  solutionCount: number;
  /** All solutions, canonical first (in the info returned by reset only, to keep step infos small). */
  solutions?: readonly string[];
}

export class GeneralPointsEnv implements Env<GpResetOptions, GpObservation, GpInfo> {
  readonly id = GP_ENV_ID;
  private hand: GpHand | null = null;
  private attempts: GpAttempt[] = [];
  private steps = 0;
  private done = false;
  private solved = false;
  private prompt = '';
  private image: RgbImage | null = null;
  private solutions: readonly string[] = [];
  readonly verificationLimit: number;
  readonly referenceQuirks: boolean;
  readonly imageSize: GpImageSize;

  constructor(private readonly options: GpEnvOptions = {}) {
    const limit = options.verificationLimit ?? 5;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10) throw new Error(`verificationLimit must be an integer from 1 to 10, got ${limit}`);
    this.verificationLimit = limit;
    this.referenceQuirks = options.referenceQuirks ?? false;
    this.imageSize = options.imageSize ?? DEFAULT_IMAGE_SIZE;
    const sizeProblem = checkImageSize(this.imageSize);
    if (sizeProblem) throw new Error(sizeProblem);
    const v = resolveVariant(options.variant);
    if (!v.ok) throw new Error(v.error);
  }

  /** The current hand (null before the first reset). */
  get currentHand(): GpHand | null {
    return this.hand;
  }

  reset(options: GpResetOptions): { observation: GpObservation; info: GpInfo } {
    if (!Number.isInteger(options.seed)) throw new Error(`seed must be an integer, got ${String(options.seed)}`);
    const v = resolveVariant({ ...this.options.variant, ...options.variant });
    if (!v.ok) throw new Error(v.error);
    const dealt = drawHand(createRng(options.seed), v.variant);
    if (!dealt.ok) throw new Error(dealt.error);
    this.hand = dealt.hand;
    this.attempts = [];
    this.steps = 0;
    this.done = false;
    this.solved = false;
    this.prompt = paperPrompt(this.hand, this.options.paperPromptExample ?? false);
    this.image = v.variant.vision ? renderCards(this.hand.cards, this.imageSize) : null;
    this.solutions = handSolutions(this.hand);
    const info = this.info(null, '', null, null, null);
    info.solutions = this.solutions;
    return { observation: this.observation(), info };
  }

  step(answerText: string): StepResult<GpObservation, GpInfo> {
    const hand = this.hand;
    if (!hand) throw new Error('step() before reset(): call reset({ seed }) first');
    if (this.done) throw new Error('the episode is over (solved or truncated); call reset() for a new one');
    const text = typeof answerText === 'string' ? answerText : String(answerText);
    this.steps++;
    if (this.steps > this.verificationLimit) {
      this.done = true;
      const feedback = `the verification limit of ${this.verificationLimit} attempts was reached.`;
      this.attempts.push({ output: text, verdict: 'over_limit', reward: GP_REWARDS.over_limit, feedback, formula: null, value: null });
      return { observation: this.observation(), reward: GP_REWARDS.over_limit, terminated: false, truncated: true, info: this.info('over_limit', feedback, null, null, null) };
    }
    const r = verifyAnswerWith(hand, text, this.referenceQuirks);
    this.attempts.push({ output: text, verdict: r.verdict, reward: r.reward, feedback: r.feedback, formula: r.formula, value: r.value });
    const terminated = r.verdict === 'correct';
    const truncated = !terminated && this.steps === this.verificationLimit && !(this.options.overLimitStep ?? false);
    if (terminated) this.done = this.solved = true;
    if (truncated) this.done = true;
    return { observation: this.observation(), reward: r.reward, terminated, truncated, info: this.info(r.verdict, r.feedback, r.parsed, r.formula, r.value) };
  }

  private observation(): GpObservation {
    const hand = this.hand as GpHand;
    const attempts = this.attempts.filter((a) => a.verdict !== 'over_limit');
    return {
      state: {
        cards: hand.cards.map((c) => ({ ...c })),
        labels: hand.cards.map((c) => rankLabel(c.rank)),
        values: hand.values.slice(),
        variant: hand.variant,
        attempts: this.attempts.slice(),
        attemptsLeft: Math.max(0, this.verificationLimit - this.steps),
        verificationLimit: this.verificationLimit,
        solved: this.solved,
        done: this.done,
      },
      compactPrompt: compactPrompt(hand, attempts),
      paperPrompt: this.prompt,
      paperMessages: paperMessages(hand, attempts, this.options.paperPromptExample ?? false, this.prompt),
      image: this.image,
    };
  }

  private info(verdict: GpVerdict | null, feedback: string, parsed: ParsedAnswer | null, formula: string | null, value: string | null): GpInfo {
    const hand = this.hand as GpHand;
    return {
      verdict, feedback, parsed, formula, value,
      attempt: this.steps,
      attemptsLeft: Math.max(0, this.verificationLimit - this.steps),
      labels: hand.cards.map((c) => rankLabel(c.rank)),
      values: hand.values.slice(),
      target: hand.variant.target,
      solutionCount: this.solutions.length,
    };
  }
}

export function createGeneralPointsEnv(options: GpEnvOptions = {}): GeneralPointsEnv {
  return new GeneralPointsEnv(options);
}
