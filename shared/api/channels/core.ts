/** Channels of the application shell: info, settings, runs. */
import { z } from 'zod';
import { appInfoSchema } from '../info';
import { runDetailSchema, runIdSchema, runSummarySchema } from '../runs';
import { settingsPatchSchema, settingsSchema } from '../settings';

/** Requests that carry no data must carry exactly `{}`. */
export const noPayload = z.object({}).strict();

export const coreChannels = {
  'app:info': {
    method: 'getInfo',
    summary: 'Versions, run mode and the chosen TensorFlow.js backend with reasons.',
    request: noPayload,
    response: appInfoSchema,
  },
  'settings:get': {
    method: 'getSettings',
    summary: 'Current settings.',
    request: noPayload,
    response: settingsSchema,
  },
  'settings:set': {
    method: 'setSettings',
    summary: 'Update some settings; returns all settings after the update.',
    request: settingsPatchSchema,
    response: settingsSchema,
  },
  'runs:list': {
    method: 'listRuns',
    summary: 'Every run folder in the data directory, newest first.',
    request: noPayload,
    response: z.array(runSummarySchema),
  },
  'runs:get': {
    method: 'getRun',
    summary: 'One run: manifest, latest metrics, episode files and checkpoints.',
    request: z.object({ id: runIdSchema }).strict(),
    response: runDetailSchema,
  },
} as const;
