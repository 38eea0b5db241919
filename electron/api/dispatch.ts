/**
 * The single entry point of every API call, whatever the transport: checks the channel name,
 * validates the payload against the contract before any handler runs, and turns every failure
 * into an error value with a message a researcher understands.
 */
import { MAX_EXPORT_CHARS } from '../../shared/api/channels/figures';
import { contract, describeIssues, isChannel, type Envelope } from '../../shared/api/contract';
import { ExportError } from '../figures/export-folder';
import { RunStoreError } from '../runs/store';
import { SettingsError } from '../settings/store';
import { handlers, type ApiContext } from './handlers';

/**
 * Upper bound on one serialised message (the browser-mode WebSocket's cap). The largest valid
 * request is a figure save (figures:save): its content limit in characters, times 3 because JSON
 * escaping and UTF-8 take at most 3 bytes per character of export text (control characters, which
 * would take 6, are refused), plus room for the envelope. Every other channel's limits are far below.
 */
export const MAX_PAYLOAD_BYTES = 3 * MAX_EXPORT_CHARS + 1_000_000;

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
    if (error instanceof ExportError) return { ok: false, error: { code: error.code, message: `${channel}: ${error.message}` } };
    if (error instanceof SettingsError) return { ok: false, error: { code: 'bad_request', message: error.message } };
    return { ok: false, error: { code: 'internal', message: `${channel} failed: ${(error as Error)?.message ?? String(error)}` } };
  }
}
