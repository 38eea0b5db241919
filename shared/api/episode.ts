/**
 * The episode record: one JSON line per episode, written by every producer (expert and random
 * policies, checkpoint evaluation, external models) and read by every viewer (card inspector,
 * map viewer, dashboards). It holds enough to replay the episode without re-running anything.
 */
import { z } from 'zod';

export const EPISODE_FORMAT_VERSION = 1;

/** Who produced the actions of an episode. */
export const actorSchema = z.object({
  kind: z.enum(['expert', 'random', 'checkpoint', 'external']),
  /** Human-readable name, e.g. `expert`, `run 2026-11-25-a/rl@step400`, `gpt-4o`. */
  name: z.string().max(200),
  runId: z.string().max(200).optional(),
  /** Training step of the checkpoint that acted, when kind is `checkpoint`. */
  step: z.number().int().nonnegative().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

/** One environment step: what the model saw, what it wrote, and what the verifier said. */
export const episodeStepSchema = z.object({
  /** The prompt shown to the actor (compact prompt for in-app models, paper prompt for external ones). */
  prompt: z.string(),
  /** The raw text the actor produced. */
  output: z.string(),
  /** What the environment parsed from the output; null when it could not be parsed. */
  parsed: z.unknown().nullable(),
  reward: z.number(),
  /** The verifier's feedback, shown in the next prompt of a multi-turn episode. */
  feedback: z.string(),
  /** Short machine-readable verdict, e.g. `correct`, `wrong_value`, `illegal_formula`. */
  verdict: z.string(),
  terminated: z.boolean(),
  truncated: z.boolean(),
  /** Task-specific state the viewers need (cards and solutions; route, position and heading). */
  info: z.record(z.string(), z.unknown()),
});
export type EpisodeStep = z.infer<typeof episodeStepSchema>;

export const episodeRecordSchema = z.object({
  format: z.literal(EPISODE_FORMAT_VERSION),
  /** Environment id with version, e.g. `GeneralPoints-v0`, `VirlNav-v0`. */
  envId: z.string().max(100),
  /** The variant options passed to reset (rule, colours, action space, city…). */
  variant: z.record(z.string(), z.unknown()),
  seed: z.number().int(),
  split: z.enum(['id', 'ood']),
  actor: actorSchema,
  /** Task-specific state at reset (e.g. the hand and its solutions, or the route). */
  initial: z.record(z.string(), z.unknown()),
  steps: z.array(episodeStepSchema),
  /** Whether the episode ended in success under the task's metric. */
  success: z.boolean(),
  /** ISO time the record was written. */
  createdAt: z.string(),
});
export type EpisodeRecord = z.infer<typeof episodeRecordSchema>;

/**
 * Parses an episodes file (JSON lines). A truncated last line (a writer stopped mid-write) is
 * skipped and reported; any other bad line is reported with its line number, never thrown.
 */
export function parseEpisodesJsonl(text: string): { episodes: EpisodeRecord[]; errors: string[] } {
  const episodes: EpisodeRecord[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const isLast = i === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.push(isLast ? `line ${i + 1}: truncated last line skipped` : `line ${i + 1}: not valid JSON`);
      return;
    }
    const parsed = episodeRecordSchema.safeParse(value);
    if (parsed.success) episodes.push(parsed.data);
    else errors.push(`line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'record'}: ${x.message}`).join('; ')}`);
  });
  return { episodes, errors };
}
