/**
 * The renderer's API client. In the desktop app the preload bridge (`window.sftrl`) provides the
 * named methods; in browser mode the same methods go over the token-protected WebSocket. Pages
 * only ever see the `Api` type of the shared contract, never a transport.
 */
import { contract, JOB_EVENT_CHANNEL, type Api, type Bridge, type Channel, type Envelope } from '../../../shared/api/contract';
import type { JobEvent } from '../../../shared/api/events';

declare global {
  interface Window {
    sftrl?: Bridge;
  }
}

/** An API error carries the server's readable message (shown as is in the UI). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'sftrl.token';

/** Takes the token from `?token=` once, keeps it for this tab, and removes it from the address bar. */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function webSocketApi(): Api {
  const token = takeToken();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Set<(e: JobEvent) => void>();
  let nextId = 1;
  let socket: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (!token) return Promise.reject(new ApiError('forbidden', 'No access token: open the URL printed by "npm start" or "sftrl serve", including its ?token=… part.'));
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new ApiError('forbidden', 'Could not connect to the workbench server (is it still running, and is the token right?)'));
      ws.onclose = () => {
        socket = null;
        for (const p of pending.values()) p.reject(new ApiError('internal', 'connection to the workbench server closed'));
        pending.clear();
      };
      ws.onmessage = (msg) => {
        const data = JSON.parse(String(msg.data)) as { event?: string; data?: JobEvent; id?: number } & Envelope<unknown>;
        if (data.event === JOB_EVENT_CHANNEL && data.data) {
          for (const l of listeners) l(data.data);
          return;
        }
        const waiter = typeof data.id === 'number' ? pending.get(data.id) : undefined;
        if (!waiter) return;
        pending.delete(data.id as number);
        if (data.ok) waiter.resolve(data.data);
        else waiter.reject(new ApiError(data.error.code, data.error.message));
      };
    });
  };

  const call = async (channel: Channel, payload: unknown): Promise<unknown> => {
    socket ??= connect();
    const ws = await socket.catch((e: Error) => {
      socket = null;
      throw e;
    });
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, channel, payload }));
    });
  };

  const api: Record<string, unknown> = {
    onJobEvent(listener: (e: JobEvent) => void) {
      listeners.add(listener);
      socket ??= connect();
      return () => listeners.delete(listener);
    },
  };
  for (const channel of Object.keys(contract) as Channel[]) {
    api[contract[channel].method] = (payload: unknown) => call(channel, payload ?? {});
  }
  return api as Api;
}

/** Unwraps the bridge's error values so both transports reject with ApiError. */
function bridgeApi(bridge: Bridge): Api {
  const api: Record<string, unknown> = { onJobEvent: (l: (e: JobEvent) => void) => bridge.onJobEvent(l) };
  for (const channel of Object.keys(contract) as Channel[]) {
    const method = contract[channel].method;
    api[method] = async (payload: unknown) => {
      const result = await (bridge[method] as (p: unknown) => Promise<Envelope<unknown>>)(payload ?? {});
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.data;
    };
  }
  return api as Api;
}

let instance: Api | null = null;

export function getApi(): Api {
  instance ??= window.sftrl ? bridgeApi(window.sftrl) : webSocketApi();
  return instance;
}

export function isDesktop(): boolean {
  return Boolean(window.sftrl);
}
