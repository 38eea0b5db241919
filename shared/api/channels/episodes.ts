/** Channels that read a run's evaluated episodes, so the viewers can open them from the Runs page. */
import { z } from 'zod';
import { runIdSchema } from '../runs';

/** Largest episodes file `runs:episodes` returns: the text travels whole over IPC or the WebSocket. */
export const MAX_RUN_EPISODES_BYTES = 20 * 1024 * 1024;

/**
 * A bare file name in a run's `episodes/` folder. No separators and no leading dot, so it can never
 * name anything outside that folder; the handler still resolves it and checks where it landed.
 */
export const episodeFileNameSchema = z
  .string()
  .min(1, 'file is empty')
  .max(128, 'file name is longer than 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.jsonl$/, 'file must be a bare .jsonl file name (letters, digits, ".", "_", "-"; no folders)')
  .refine((s) => !s.includes('..'), 'file must not contain ".."');

export const episodesChannels = {
  'runs:episodes': {
    method: 'readRunEpisodes',
    summary: `The text of one episodes file of a run (episodes/<file>.jsonl, at most ${MAX_RUN_EPISODES_BYTES / (1024 * 1024)} MB); parsed by the viewer.`,
    request: z.object({ id: runIdSchema, file: episodeFileNameSchema }).strict(),
    response: z.object({ fileName: z.string(), text: z.string() }),
  },
} as const;
