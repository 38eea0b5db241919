/**
 * Every metric key the engine logs to metrics.jsonl, with a label and a unit: the one place the
 * Figures picker, axis titles, panel titles, bars and exports take a metric's name from.
 *
 * Keys logged per evaluation split (`eval/id/…`, `eval/ood/…`) are registered once with `{split}`,
 * numbered families (`solved_at_1`, `_2`, …) with `{k}`. A task adds its metrics by adding entries
 * here (V-IRL's per-step accuracy is `eval/{split}/per_step_accuracy`; its route success is the
 * generic `eval/{split}/success`). A key nobody registered is still shown, as
 * readable words: `gen/draft_tokens` → "Draft tokens (gen)", `eval/ood/foo_bar` → "OOD foo bar".
 */
import { findCitySpec } from '../tasks/virl/catalog';

/** How a metric's values are stored and shown: fractions on disk are percentages on screen. */
export const UNITS = {
  /** Dimensionless, no suffix. */
  none: { symbol: '', scale: 1 },
  fraction: { symbol: '%', scale: 100 },
  flops: { symbol: 'GFLOPs', scale: 1e-9 },
  nats: { symbol: 'nats', scale: 1 },
  tokens: { symbol: 'tokens', scale: 1 },
  tokensPerSecond: { symbol: 'tokens/s', scale: 1 },
  seconds: { symbol: 's', scale: 1 },
  episodes: { symbol: 'episodes', scale: 1 },
  episodesPerSecond: { symbol: 'episodes/s', scale: 1 },
} as const;
export type UnitName = keyof typeof UNITS;

export interface MetricInfo {
  key: string;
  /** e.g. "OOD success". */
  label: string;
  /** The label without its split, for an axis whose panel title already names the metric ("Success"). */
  short: string;
  unit: UnitName;
  /** False for keys nobody registered (shown with a label made from the key). */
  known: boolean;
}

/** [key pattern, label, unit, short label]; `{SPLIT}` in a label is the split's name, `{k}` the number. */
const REGISTRY: readonly (readonly [string, string, UnitName, string?])[] = [
  ['step', 'Step', 'none'],
  ['seq', 'Logged record', 'none'],
  ['lr', 'Learning rate (schedule)', 'none'],
  ['compute/flops', 'Training compute', 'flops'],
  ['train/loss', 'Training loss', 'nats'],
  ['train/lr', 'Learning rate', 'none'],
  ['train/grad_norm', 'Gradient norm (before clipping)', 'none'],
  ['train/tokens', 'Training batch size', 'tokens'],
  ['train/answer_tokens', 'Answer part of the batch', 'tokens'],
  ['rl/reward', 'Reward', 'none'],
  ['rl/env_return', 'Environment return', 'none'],
  ['rl/success', 'Training success', 'fraction', 'Success'],
  ['rl/success_first', 'Training success (first try)', 'fraction', 'Success'],
  ['rl/attempts', 'Attempts per episode', 'none'],
  ['rl/repeats', 'Repeated attempts per episode', 'none'],
  ['rl/dead_groups', 'Dead groups (all returns equal)', 'fraction'],
  ['rl/groups_used', 'Groups in the update', 'none'],
  ['rl/sample_rounds', 'Sampling rounds per update', 'none'],
  ['rl/skipped', 'Updates skipped (no informative group)', 'none'],
  ['rl/approx_kl', 'Approx. KL', 'nats'],
  ['rl/kl_ref', 'KL to the reference policy', 'nats'],
  ['rl/clipfrac', 'Clip fraction', 'fraction'],
  ['rl/entropy', 'Entropy', 'nats'],
  ['rl/value_loss', 'Value loss', 'none'],
  ['gen/tokens', 'Generation per step', 'tokens'],
  ['gen/sampled_tokens', 'Sampled per step', 'tokens'],
  ['perf/tokens_per_s', 'Training speed', 'tokensPerSecond'],
  ['perf/step_s', 'Step time', 'seconds'],
  ['perf/gen_s', 'Generation time per step', 'seconds'],
  ['perf/gen_share', 'Generation share of step time', 'fraction'],
  ['eval/{split}/success', '{SPLIT} success', 'fraction', 'Success'],
  ['eval/{split}/success_first', '{SPLIT} success (first try)', 'fraction', 'Success'],
  ['eval/{split}/success_within_{k}', '{SPLIT} success within {k} attempts', 'fraction', 'Success'],
  ['eval/{split}/solved_at_{k}', '{SPLIT} solved at attempt {k}', 'episodes'],
  ['eval/{split}/episodes', '{SPLIT} evaluation size', 'episodes'],
  ['eval/{split}/episodes_per_s', '{SPLIT} evaluation speed', 'episodesPerSecond'],
  ['eval/{split}/gen_tokens', '{SPLIT} evaluation generation', 'tokens'],
  ['eval/{split}/numbers_correct', '{SPLIT} card numbers read correctly', 'fraction'],
  ['eval/{split}/repeat_rate', '{SPLIT} repeated attempts', 'fraction'],
  ['eval/{split}/distinct_ratio', '{SPLIT} distinct answers among retried attempts', 'fraction'],
  ['eval/{split}/entropy', '{SPLIT} answer token entropy', 'nats'],
  ['eval/{split}/kl_init', '{SPLIT} KL(init ‖ policy) per token', 'nats'],
  ['eval/{split}/pass@{k}', '{SPLIT} pass@{k} (T = 1)', 'fraction'],
  ['eval/{split}/face_as_10', '{SPLIT} episodes reading a face card as 10', 'fraction'],
  ['eval/{split}/face_card_as_10', '{SPLIT} face cards read as 10', 'fraction'],
  ['eval/{split}/solved_as_face10', '{SPLIT} solved as if face cards were 10', 'fraction'],
  // V-IRL (route success is the generic `success`).
  // GP-VL (issue 11): the paper's recognition accuracy (all four cards read right at the first
  // attempt), per card in place, and on red hands (the probe below plays the ID hands in red).
  ['eval/{split}/recognition', '{SPLIT} recognition accuracy', 'fraction', 'Recognition accuracy'],
  ['eval/{split}/card_accuracy', '{SPLIT} cards read right (per card)', 'fraction', 'Recognition accuracy'],
  ['eval/{split}/recognition_red', '{SPLIT} recognition accuracy, red hands', 'fraction', 'Recognition accuracy'],
  ['eval/{split}/per_step_accuracy', '{SPLIT} per-step accuracy', 'fraction', 'Per-step accuracy'],
  ['eval/{split}/per_step_first', '{SPLIT} per-step accuracy (first try)', 'fraction', 'Per-step accuracy'],
  ['eval/{split}/steps', '{SPLIT} evaluation steps', 'none'],
  ['eval/{split}/wrong_intersection_rate', '{SPLIT} wrong intersection claims', 'fraction'],
  ['eval/{split}/compass_word_rate', '{SPLIT} turns answered with a compass word', 'fraction'],
  // V-IRL first tries by kind of point (V-IRL-VL's blind ablation reads these: turns are
  // readable from the text, stops need the destination seen).
  ['eval/{split}/turn_accuracy', '{SPLIT} turns right at the first try', 'fraction', 'Per-step accuracy'],
  ['eval/{split}/forward_accuracy', '{SPLIT} forwards right at the first try', 'fraction', 'Per-step accuracy'],
  ['eval/{split}/stop_accuracy', '{SPLIT} stops right at the first try', 'fraction', 'Per-step accuracy'],
];

/** Evaluation splits by their name in keys. */
const SPLITS: Record<string, string> = { id: 'ID', ood: 'OOD' };

function splitLabel(split: string): string {
  return SPLITS[split] ?? split.toUpperCase();
}

/** Regex metacharacters other than the braces of `{split}` and `{k}`. */
const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
const RULES = REGISTRY.map(([pattern, label, unit, short]) => ({
  re: new RegExp(`^${escape(pattern).replace('{split}', '([a-z0-9_-]+)').replace('{k}', '(\\d+)')}$`),
  hasSplit: pattern.includes('{split}'),
  label,
  unit,
  short,
}));

function words(s: string): string {
  const w = s.replace(/_/g, ' ').trim();
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/**
 * A readable label for a key nobody registered. Success and accuracy are fractions whatever logs
 * them (a new task's metric is drawn in % before anyone registers it).
 */
function fallback(key: string): MetricInfo {
  const unit: UnitName = /(^|[/_])(success|accuracy)[^/]*$/.test(key) ? 'fraction' : 'none';
  const evalKey = /^eval\/([a-z0-9_-]+)\/([^/]+)$/.exec(key);
  if (evalKey) {
    const name = (evalKey[2] as string).replace(/_/g, ' ');
    return { key, label: `${splitLabel(evalKey[1] as string)} ${name}`, short: words(name), unit, known: false };
  }
  const parts = key.split('/');
  const last = words(parts.pop() ?? key);
  return { key, label: parts.length ? `${last} (${parts.join('/')})` : last, short: last, unit, known: false };
}

/**
 * Probe sets played beside a split (engine eval.ts `probeSets`) log the split's metrics again as
 * `eval/<split>/<probe>/<metric>`; each is labelled from its split's metric.
 */
const PROBES: Record<string, string> = { red: 'hands in red', mini: 'mini benchmark' };

/**
 * V-IRL-VL's per-city-style metrics, `eval/<split>[/<probe>]/style/<city>/<metric>`, are labelled
 * from the split's metric with the city's name.
 */
function styleInfo(key: string): MetricInfo | null {
  const m = /^eval\/([a-z0-9_-]+)\/(?:([a-z0-9_-]+)\/)?style\/([a-z0-9-]+)\/([^/]+)$/.exec(key);
  if (!m) return null;
  const base = metricInfo(m[2] ? `eval/${m[1]}/${m[2]}/${m[4]}` : `eval/${m[1]}/${m[4]}`);
  if (!base.known) return null;
  const city = findCitySpec(m[3] as string)?.name ?? (m[3] as string);
  return { key, label: `${base.label} in ${city}`, short: base.short, unit: base.unit, known: true };
}

function probeInfo(key: string): MetricInfo | null {
  const m = /^eval\/([a-z0-9_-]+)\/([a-z0-9_-]+)\/([^/]+)$/.exec(key);
  const probe = m ? PROBES[m[2] as string] : undefined;
  if (!m || !probe) return null;
  const split = splitLabel(m[1] as string);
  const base = metricInfo(`eval/${m[1]}/${m[3]}`);
  if (!base.known) return null;
  const rest = base.label.startsWith(`${split} `) ? base.label.slice(split.length + 1) : base.label;
  const label = `${split} ${probe}: ${rest}`;
  return { key, label, short: base.short === base.label ? label : base.short, unit: base.unit, known: true };
}

const memo = new Map<string, MetricInfo>();

export function metricInfo(key: string): MetricInfo {
  let info = memo.get(key);
  if (info) return info;
  info = styleInfo(key) ?? probeInfo(key) ?? fallback(key);
  for (const r of RULES) {
    const m = r.re.exec(key);
    if (!m) continue;
    const split = r.hasSplit ? splitLabel(m[1] as string) : '';
    const k = m[r.hasSplit ? 2 : 1] ?? '';
    const label = r.label.replace('{SPLIT}', split).replace('{k}', k).replace(/\b1 attempts\b/, '1 attempt');
    info = { key, label, short: r.short ?? label, unit: r.unit, known: true };
    break;
  }
  memo.set(key, info);
  return info;
}

/** "OOD success". */
export function metricLabel(key: string): string {
  return metricInfo(key).label;
}

/** The factor from stored to shown values (fractions ×100, FLOPs to GFLOPs). */
export function displayScale(key: string): number {
  return UNITS[metricInfo(key).unit].scale;
}

/** An axis title: label and unit, e.g. "OOD success (%)", "Training compute (GFLOPs)"; `short` drops the split. */
export function axisTitle(key: string, short = false): string {
  const info = metricInfo(key);
  const symbol = UNITS[info.unit].symbol;
  return `${short ? info.short : info.label}${symbol ? ` (${symbol})` : ''}`;
}
