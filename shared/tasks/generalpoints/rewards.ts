/**
 * Verdicts and the paper's reward table (App. A.3; the reference's `REWARD_FN`).
 */

/**
 * Short machine-readable outcome of one attempt (the episode step's `verdict`):
 * - `correct`: a legal formula using each card value once that equals the target;
 * - `wrong_value`: legal, uses the card values exactly once, but misses the target (or divides by zero);
 * - `wrong_numbers`: legal, but its numbers are not the card values, each used once;
 * - `illegal_formula`: not a legal formula (bad character, two operators in a row, unbalanced brackets…);
 * - `parse_error`: no formula found in the answer at all;
 * - `wrong_cards`: vision variant only, the `cards` field does not name the cards in the image;
 * - `over_limit`: the attempt came after the verification limit and was not evaluated;
 * - `partial`, `float_miss`: only with `referenceQuirks` (the reference's +1 and 0 rewards, see reference.ts).
 */
export type GpVerdict =
  | 'correct'
  | 'wrong_value'
  | 'wrong_numbers'
  | 'illegal_formula'
  | 'parse_error'
  | 'wrong_cards'
  | 'over_limit'
  | 'partial'
  | 'float_miss';

/** Reward of each verdict in the default (paper-intent) verifier: exactly one entry per attempt, never summed. */
export const GP_REWARDS = {
  correct: 5,
  wrong_value: -1,
  wrong_numbers: -2,
  illegal_formula: -3,
  /** "Other illegal equations" in the paper: an answer with no formula at all is one. */
  parse_error: -3,
  wrong_cards: -1.5,
  over_limit: -1,
} as const satisfies Partial<Record<GpVerdict, number>>;

/** The reference's REWARD_FN (used, summed, by the referenceQuirks verifier). */
export const REFERENCE_REWARD_FN = {
  CORRECT_SOLUTION: 5,
  PARTIAL_SOLUTION: 1,
  NO_SOLUTION: -1,
  INCORRECT_VISION: -1.5,
  INCORRECT_NUMBER: -2,
  ILLEGAL_FORMULA: -3,
} as const;

/** Smallest and largest reward one default-verifier step can give. */
export const GP_REWARD_BOUNDS = { min: -3, max: 5 } as const;

export const ALL_VERDICTS: readonly GpVerdict[] = ['correct', 'wrong_value', 'wrong_numbers', 'illegal_formula', 'parse_error', 'wrong_cards', 'over_limit', 'partial', 'float_miss'];
