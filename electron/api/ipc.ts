/**
 * Electron IPC transport: one `ipcMain.handle` per contract channel. Every message's sender is
 * checked (our app:// page, top frame only) before `dispatch` validates its payload.
 */
import { contract, type Channel, type Envelope } from '../../shared/api/contract';
import { isTrustedSenderUrl } from '../security';
import { dispatch } from './dispatch';
import type { ApiContext } from './types';

/** The parts of Electron's IpcMainInvokeEvent we rely on (kept structural so tests need no Electron). */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
  sender: { mainFrame: unknown };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<Envelope<unknown>>): void;
}

export function registerIpcHandlers(ipcMain: IpcMainLike, ctx: ApiContext): void {
  for (const channel of Object.keys(contract) as Channel[]) {
    ipcMain.handle(channel, async (event, payload) => {
      const frame = event.senderFrame;
      if (!frame || frame !== event.sender.mainFrame || !isTrustedSenderUrl(frame.url)) {
        return { ok: false, error: { code: 'forbidden', message: `IPC from an untrusted sender refused (${channel})` } };
      }
      return dispatch(ctx, channel, payload);
    });
  }
}
