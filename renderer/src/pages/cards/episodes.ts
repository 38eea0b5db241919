/**
 * Episode records (shared/api/episode.ts) as the browser shows them. Records come from any
 * producer, so the task-specific parts (`initial`, `variant`, step `info`) are read defensively:
 * a missing field shows as unknown instead of breaking the list.
 */
import type { EpisodeRecord } from '../../../../shared/api/episode';
import { cardDisplay, parseRankLabel, type CardDisplay, type Rank, type Suit } from '../../../../shared/tasks/generalpoints/cards';
import { checkImageSize, renderCards } from '../../../../shared/tasks/generalpoints/image';
import type { RgbImage } from '../../../../shared/tasks/image';
import type { AttemptView } from './AttemptRow';

export interface GpEpisodeView {
  key: string;
  /** Position in the file among the readable episodes (1-based). */
  index: number;
  seed: number;
  actor: string;
  actorKind: string;
  variant: string;
  split: 'id' | 'ood';
  success: boolean;
  /**
   * Why the episode ended as it did: the last verdict, except that a truncated episode's final
   * `over_limit` step says nothing about the answers, so its last verified verdict is used.
   */
  lastVerdict: string;
  totalReward: number;
  cards: CardDisplay[];
  values: number[];
  target: number | null;
  steps: AttemptView[];
  /**
   * Vision-language episodes: the image the model saw, rendered again from the recorded cards at
   * the recorded size (the renderer is deterministic, so these are the bytes the model read).
   */
  image: RgbImage | null;
  /** Vision-language episodes: the cards field of each attempt as read by the verifier, and whether it names the hand. */
  reads: { n: number; cards: string[] | null; right: boolean }[];
}

function isCard(x: unknown): x is { rank: Rank; suit: Suit } {
  const c = x as { rank?: unknown; suit?: unknown };
  return typeof c === 'object' && c !== null && Number.isInteger(c.rank) && (c.rank as number) >= 1 && (c.rank as number) <= 13 && ['S', 'H', 'D', 'C'].includes(c.suit as string);
}

/** `GP-L · face10 · mixed`: the variant as one label (also the filter's key). */
export function variantLabel(v: Record<string, unknown>): string {
  const parts = [v.vision === true ? 'GP-VL' : 'GP-L', typeof v.rule === 'string' ? v.rule : 'rule ?'];
  if (v.customValues === true) parts.push('custom values');
  if (typeof v.target === 'number' && v.target !== 24) parts.push(`target ${v.target}`);
  if (typeof v.colors === 'string') parts.push(v.colors);
  if (v.referenceQuirks === true) parts.push('reference verifier');
  return parts.join(' · ');
}

export function endReason(steps: readonly { verdict: string }[]): string {
  const verified = steps.filter((s) => s.verdict !== 'over_limit');
  return (verified[verified.length - 1] ?? steps[steps.length - 1])?.verdict ?? '';
}

const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

/** The rank multiset of a cards field, as the verifier compares it (null when an item is not a card). */
function rankKey(labels: readonly string[]): string | null {
  const ranks = labels.map(parseRankLabel);
  return ranks.some((r) => r === null) ? null : (ranks as number[]).sort((a, b) => a - b).join(',');
}

function modelImage(e: EpisodeRecord, cards: { rank: Rank; suit: Suit }[]): RgbImage | null {
  const size = e.initial.imageSize as { width?: unknown; height?: unknown } | undefined;
  if (e.variant.vision !== true || !size || typeof size.width !== 'number' || typeof size.height !== 'number' || cards.length === 0) return null;
  const s = { width: size.width, height: size.height };
  return checkImageSize(s) === null ? renderCards(cards, s) : null;
}

export function toEpisodeView(e: EpisodeRecord, index: number): GpEpisodeView {
  const raw = Array.isArray(e.initial.cards) ? e.initial.cards.filter(isCard) : [];
  const cards = raw.map(cardDisplay);
  const handKey = rankKey(cards.map((c) => c.rankLabel));
  const vision = e.variant.vision === true;
  const values = Array.isArray(e.initial.values) ? e.initial.values.filter((x): x is number => typeof x === 'number') : [];
  const steps: AttemptView[] = e.steps.map((s, i) => ({
    n: typeof s.info.attempt === 'number' ? s.info.attempt : i + 1,
    verdict: s.verdict,
    reward: s.reward,
    feedback: s.feedback,
    output: s.output,
    formula: str(s.info.formula),
    value: str(s.info.value),
  }));
  return {
    key: String(index),
    index,
    seed: e.seed,
    actor: e.actor.name,
    actorKind: e.actor.kind,
    variant: variantLabel(e.variant),
    split: e.split,
    success: e.success,
    lastVerdict: endReason(steps),
    totalReward: steps.reduce((sum, s) => sum + s.reward, 0),
    cards,
    values,
    target: typeof e.initial.target === 'number' ? e.initial.target : null,
    steps,
    image: modelImage(e, raw),
    reads: vision
      ? e.steps.filter((s) => s.verdict !== 'over_limit').map((s, i) => {
          const read = (s.parsed as { cards?: unknown } | null)?.cards;
          const labels = Array.isArray(read) ? read.map(String) : null;
          return { n: i + 1, cards: labels, right: labels !== null && labels.length === cards.length && rankKey(labels) === handKey };
        })
      : [],
  };
}

export interface EpisodeFilter {
  outcome: 'all' | 'solved' | 'failed';
  /** Last verdict of a failed episode, or '' for any. */
  reason: string;
  variant: string;
  split: '' | 'id' | 'ood';
  actor: string;
}

export const NO_FILTER: EpisodeFilter = { outcome: 'all', reason: '', variant: '', split: '', actor: '' };

export function matches(e: GpEpisodeView, f: EpisodeFilter): boolean {
  if (f.outcome === 'solved' && !e.success) return false;
  if (f.outcome === 'failed' && e.success) return false;
  if (f.reason !== '' && (e.success || e.lastVerdict !== f.reason)) return false;
  if (f.variant !== '' && e.variant !== f.variant) return false;
  if (f.split !== '' && e.split !== f.split) return false;
  if (f.actor !== '' && e.actor !== f.actor) return false;
  return true;
}

/** Distinct values of a field with their counts, most frequent first (for the filter menus). */
export function tally(items: GpEpisodeView[], pick: (e: GpEpisodeView) => string | null): [string, number][] {
  const m = new Map<string, number>();
  for (const e of items) {
    const k = pick(e);
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
