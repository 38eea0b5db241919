/**
 * The API contract: every channel's name, request and response schema. Electron IPC (preload
 * bridge and main-process handlers), the browser-mode WebSocket and the renderer client all
 * take their types and their runtime validation from this one table.
 */
import { z } from 'zod';
import { coreChannels } from './channels/core';
import { episodesChannels } from './channels/episodes';
import { experimentChannels } from './channels/experiments';
import { figuresChannels } from './channels/figures';
import { gpChannels } from './channels/generalpoints';
import { metricsChannels } from './channels/metrics';
import { sweepChannels } from './channels/sweeps';
import { virlChannels } from './channels/virl';

/**
 * Every channel table, merged. Each concern declares its channels in shared/api/channels/*.ts as
 * `{ method, summary, request, response }` entries with zod schemas.
 */
export const contract = {
  ...coreChannels,
  ...episodesChannels,
  ...experimentChannels,
  ...figuresChannels,
  ...gpChannels,
  ...metricsChannels,
  ...sweepChannels,
  ...virlChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Request<C extends Channel> = z.input<Contract[C]['request']>;
export type Response<C extends Channel> = z.output<Contract[C]['response']>;
export type MethodName = Contract[Channel]['method'];
type ChannelOfMethod<M extends MethodName> = { [C in Channel]: Contract[C]['method'] extends M ? C : never }[Channel];

/** The push channel for job events (not request/response). */
export const JOB_EVENT_CHANNEL = 'jobs:event';

/** The API as the renderer sees it: one named async method per channel, plus event subscription. */
export type Api = {
  [M in MethodName]: (request: Request<ChannelOfMethod<M>>) => Promise<Response<ChannelOfMethod<M>>>;
} & {
  /** Subscribes to job events; returns the unsubscribe function. */
  onJobEvent(listener: (event: import('./events').JobEvent) => void): () => void;
};

/**
 * What the Electron preload exposes as `window.sftrl`: the same named methods, returning
 * envelopes (errors cross the context bridge as values, not as exceptions that lose their code).
 */
export type Bridge = {
  [M in MethodName]: (request: Request<ChannelOfMethod<M>>) => Promise<Envelope<Response<ChannelOfMethod<M>>>>;
} & {
  onJobEvent(listener: (event: import('./events').JobEvent) => void): () => void;
};

export const channels = Object.keys(contract) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

/** Error codes a caller can act on; the message is for people. */
export type ApiErrorCode = 'bad_request' | 'unknown_channel' | 'not_found' | 'forbidden' | 'internal';

/** What every transport returns: a result or an error value, never a thrown stack trace. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** Formats zod issues as one readable line: `dataDir: path must be absolute; theme: …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'payload';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
