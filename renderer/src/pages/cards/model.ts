/**
 * The inspector's form state and the plain-language texts derived from it. The form keeps what
 * the user typed (strings), so a half-typed seed or value map is shown as typed, with its error.
 */
import type { GpDealSpec } from '../../../../shared/api/channels/generalpoints';

export type RuleChoice = 'face10' | 'face11-13' | 'custom';
export type Colors = 'black' | 'red' | 'mixed';

export interface DealForm {
  seed: string;
  rule: RuleChoice;
  /** Custom values as typed: 13 numbers A..K, or overrides like `J=11, A=14` over face10. */
  values: string;
  target: string;
  colors: Colors;
  vision: boolean;
}

export const DEFAULT_FORM: DealForm = { seed: '1', rule: 'face10', values: 'A=11', target: '24', colors: 'mixed', vision: false };

/** The request for a form, or the problem with what was typed (checked here so nothing half-typed is sent). */
export function dealSpecOf(form: DealForm): { ok: true; spec: GpDealSpec } | { ok: false; error: string } {
  if (!/^-?\d{1,10}$/.test(form.seed.trim())) return { ok: false, error: 'seed must be a whole number' };
  if (!/^\d{1,4}$/.test(form.target.trim())) return { ok: false, error: 'target must be a whole number from 1 to 1000' };
  const spec: GpDealSpec = {
    seed: Number(form.seed.trim()),
    rule: form.rule === 'custom' ? 'face10' : form.rule,
    colors: form.colors,
    vision: form.vision,
    target: Number(form.target.trim()),
  };
  if (form.rule === 'custom') spec.values = form.values;
  return { ok: true, spec };
}

/** A new random seed: readable (six digits at most) so it can be noted down and typed again. */
export function randomSeed(): string {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return String((buf[0] as number) % 1_000_000);
}

const LABELS = ['A', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K'];

/** The active rule in one plain sentence, e.g. "J, Q and K count 10; A counts 1; 2 to 10 count their number." */
export function ruleSentence(values: readonly number[]): string {
  const [j, q, k] = [values[10], values[11], values[12]];
  const parts = [j === q && q === k ? `J, Q and K count ${j}` : `J counts ${j}, Q ${q} and K ${k}`];
  parts.push(`A counts ${values[0]}`);
  // Number cards (2..10, indices 1..9) whose value is not their pip count.
  const odd = LABELS.flatMap((label, i) => (i >= 1 && i <= 9 && values[i] !== i + 1 ? [`${label} counts ${values[i]}`] : []));
  parts.push(odd.length === 0 ? '2 to 10 count their number' : `${odd.join(', ')}; the other number cards count their number`);
  return parts.join('; ') + '.';
}

/** The rule's name and its place in the study (J/Q/K = 10 is the training rule, 11/12/13 the rule variant). */
export function ruleTitle(rule: 'face10' | 'face11-13', custom: boolean): string {
  if (custom) return 'Custom card values (exploration, out of distribution)';
  return rule === 'face10' ? 'Rule face10 · the training rule (in distribution)' : 'Rule face11-13 · the rule variant (out of distribution)';
}

/** Why a variant is out of distribution, in the paper's terms; empty when it is in distribution. */
export function oodReasons(v: { rule: string; customValues: boolean; colors: string }): string[] {
  const out: string[] = [];
  if (v.customValues) out.push('custom values');
  else if (v.rule === 'face11-13') out.push('rule');
  if (v.colors === 'red') out.push('red suits');
  return out;
}

/** Formats a reward with its sign and a real minus sign: +5, −1.5, 0. */
export function formatReward(r: number): string {
  if (r === 0) return '0';
  return (r > 0 ? '+' : '−') + String(Math.abs(r));
}
