/** Verdict names and badges, shared by the playground and the episode browser. */

/** Short human words for each verdict of the verifier (rewards.ts); unknown verdicts show as written. */
const VERDICT_TEXT: Record<string, string> = {
  correct: 'correct',
  wrong_value: 'wrong value',
  wrong_numbers: 'wrong numbers',
  illegal_formula: 'illegal formula',
  parse_error: 'no formula',
  wrong_cards: 'wrong cards',
  over_limit: 'over limit',
  partial: 'partial',
  float_miss: 'float miss',
};

/** Colour family of a verdict: success, a near miss, a broken answer, or not evaluated. */
function tone(verdict: string): 'ok' | 'near' | 'bad' | 'vision' | 'none' {
  if (verdict === 'correct') return 'ok';
  if (verdict === 'wrong_value' || verdict === 'partial' || verdict === 'float_miss') return 'near';
  if (verdict === 'wrong_cards') return 'vision';
  if (verdict === 'over_limit' || verdict === '') return 'none';
  return 'bad';
}

export function verdictText(verdict: string): string {
  return VERDICT_TEXT[verdict] ?? (verdict || 'no verdict');
}

export function VerdictBadge({ verdict }: { verdict: string }) {
  return (
    <span className={`gp-verdict gp-verdict-${tone(verdict)}`} data-verdict={verdict} title={verdict}>
      {verdictText(verdict)}
    </span>
  );
}
