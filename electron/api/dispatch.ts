/**
 * The single entry point of every API call, whatever the transport: checks the channel name,
 * validates the payload against the contract before any handler runs, and turns every failure
 * into an error value with a message a researcher understands.
 */
import { contract, describeIssues, isChannel, type Envelope } from '../../shared/api/contract';
import { RunStoreError } from '../runs/store';
import { SettingsError } from '../settings/store';
import { handlers, type ApiContext } from './handlers';

/** Upper bound on a serialised payload; the contract's own limits are far below it. */
export const MAX_PAYLOAD_BYTES = 1_000_000;

export async function dispatch(ctx: ApiContext, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    const shown = typeof channel === 'string' ? `"${channel.slice(0, 80)}"` : typeof channel;
    return { ok: false, error: { code: 'unknown_channel', message: `unknown API channel ${shown}` } };
  }
  const spec = contract[channel];
  const parsed = spec.request.safeParse(payload ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad_request', message: `${channel}: ${describeIssues(parsed.error)}` } };
  }
  try {
    const handler = handlers[channel] as (req: unknown, c: ApiContext) => Promise<unknown>;
    const data = await handler(parsed.data, ctx);
    return { ok: true, data };
  } catch (error) {
    if (error instanceof RunStoreError) return { ok: false, error: { code: error.code, message: error.message } };
    if (error instanceof SettingsError) return { ok: false, error: { code: 'bad_request', message: error.message } };
    return { ok: false, error: { code: 'internal', message: `${channel} failed: ${(error as Error)?.message ?? String(error)}` } };
  }
}
