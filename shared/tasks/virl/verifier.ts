/**
 * The verifier (PAPER.md §2.7, `step_rewards_virl`): compares the parsed action with the expert's,
 * checks the stated intersection observation, and returns reward, verdict and feedback.
 */
import { claimsIntersection, type ParsedAnswer } from './parse';

/** Reward table (`REWARD_FN_VIRL`); INCORRECT_INSTRUCTION (−1.75) is defined there but never used. */
export const VIRL_REWARDS = {
  correct: 1,
  wrongAction: -1,
  wrongIntersection: -1.5,
  overLimit: -1,
} as const;

export type VirlVerdict = 'correct' | 'wrong_action' | 'wrong_intersection' | 'parse_error' | 'over_limit';

export interface VerifierOptions {
  /**
   * `intent` (default) checks the stated intersection against whether the point really is an
   * intersection; `reference` compares against the landmark text only, so any wrong answer whose
   * observation mentions an intersection is told "you are not at any intersection" (PAPER.md §6.7).
   */
  observationCheck: 'intent' | 'reference';
  /** `intent` writes the feedback's format block with single braces; `reference` keeps the literal `{{ }}`. */
  feedbackBraces: 'intent' | 'reference';
}

export interface Verdict {
  reward: number;
  verdict: VirlVerdict;
  /** Feedback message (`Correct action` or the reason of the failure). */
  message: string;
}

function formatBlock(braces: 'intent' | 'reference'): string {
  const [open, close] = braces === 'reference' ? ['{{', '}}'] : ['{', '}'];
  return `\n[Output]\n${open} "current observation": latest observation from the streetview grid, "current instruction": analyze the full instruction and identify the sentence to be executed, "action": the action to be taken chosen from the action space, ${close}`;
}

export const OVER_LIMIT_MESSAGE = 'Exceed maximum verify steps';

/** Judges one evaluated attempt at a rail point. */
export function verify(
  parsed: ParsedAnswer,
  expertAction: string,
  point: { atIntersection: boolean; landmarkObs: string },
  o: VerifierOptions,
): Verdict {
  if (parsed.action !== null && parsed.action === expertAction) return { reward: VIRL_REWARDS.correct, verdict: 'correct', message: 'Correct action' };
  const stated = parsed.observation ?? '';
  const claims = claimsIntersection(stated, o.observationCheck);
  const actual = o.observationCheck === 'reference' ? point.landmarkObs.toLowerCase().includes('intersection') : point.atIntersection;
  const block = formatBlock(o.feedbackBraces);
  if (parsed.observation !== null && claims !== actual) {
    const where = claims ? 'you are not at any intersection' : 'you are at an intersection';
    return { reward: VIRL_REWARDS.wrongIntersection, verdict: 'wrong_intersection', message: `${where}. Please avoid this observation and try again in the same format:${block}` };
  }
  if (parsed.action === null) {
    return { reward: VIRL_REWARDS.wrongAction, verdict: 'parse_error', message: `your answer has no "action" field. Please answer in the same format:${block}` };
  }
  return { reward: VIRL_REWARDS.wrongAction, verdict: 'wrong_action', message: `you make incorrect action. Please avoid this action and try again in the same format:${block}` };
}
