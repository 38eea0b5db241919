/**
 * One entry point for both verifiers, so the `referenceQuirks` switch lives in one place.
 */
import type { GpHand } from './hand';
import { verifyReference } from './reference';
import { verifyDefault, type VerifyResult } from './verify';

/**
 * Verifies an answer: the paper's intent by default, the reference code's behaviour (summed
 * penalties, +1 partial solution, float evaluation, strict characters) with `referenceQuirks`.
 * Never throws, whatever the text.
 */
export function verifyAnswerWith(hand: GpHand, answerText: string, referenceQuirks = false): VerifyResult {
  return referenceQuirks ? verifyReference(hand, answerText) : verifyDefault(hand, answerText);
}
