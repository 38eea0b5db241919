/**
 * Browser mode: serves the built renderer and the API over a WebSocket, on 127.0.0.1 only.
 * Every WebSocket needs the random token printed in the URL; requests whose Host or Origin is not
 * this server's own are refused (DNS rebinding), and every message goes through `dispatch`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { JOB_EVENT_CHANNEL } from '../shared/api/contract';
import { dispatch, MAX_PAYLOAD_BYTES } from './api/dispatch';
import type { ApiContext } from './api/handlers';
import { JobEventBus } from './jobs/events';
import { contentSecurityPolicy, isAllowedHost, isAllowedOrigin, safeAssetPath } from './security';

export const DEFAULT_RENDERER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'renderer');
export const API_PATH = '/api';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface ServerOptions {
  ctx: ApiContext;
  bus?: JobEventBus;
  /** 0 picks a free port. */
  port?: number;
  rendererDir?: string;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  bus: JobEventBus;
  close(): Promise<void>;
}

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? crypto.randomBytes(24).toString('hex');
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const bus = options.bus ?? new JobEventBus();
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built (no ${path.join(rendererDir, 'index.html')}); run "npm run build:renderer"`);
  }
  let port = 0;

  const server = http.createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, port)) return refuse(res, 403, 'Forbidden: unexpected Host header');
    if (!isAllowedOrigin(req.headers.origin, port)) return refuse(res, 403, 'Forbidden: unexpected Origin header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    // The raw path, not a URL-normalised one, so an encoded `..` is refused rather than folded away.
    const rel = safeAssetPath((req.url ?? '/').split(/[?#]/)[0] ?? '/');
    if (rel === null) return refuse(res, 400, 'Bad path');
    let file = path.join(rendererDir, rel);
    // Unknown non-asset paths get the app (client-side navigation); unknown assets get 404.
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (path.extname(rel) !== '') return refuse(res, 404, 'Not found');
      file = path.join(rendererDir, 'index.html');
    }
    const ext = path.extname(file);
    res.writeHead(200, {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': ext === '.html' ? 'no-store' : 'public, max-age=3600',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  server.on('upgrade', (req, socket, head) => {
    // A client that resets mid-handshake must not become an uncaught 'error' event.
    socket.on('error', () => socket.destroy());
    const reject = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${message}\n`);
    };
    if (!isAllowedHost(req.headers.host, port)) return reject(403, 'Forbidden: unexpected Host header');
    if (!isAllowedOrigin(req.headers.origin, port)) return reject(403, 'Forbidden: unexpected Origin header');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== API_PATH) return reject(404, 'Not found');
    if (!tokenMatches(url.searchParams.get('token'), token)) return reject(401, 'Unauthorized: missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = bus.subscribe((event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: JOB_EVENT_CHANNEL, data: event }));
    });
    ws.on('close', unsubscribe);
    // A malformed frame (bad UTF-8, unmasked, reserved opcode or bit, bad close code, over the cap)
    // makes `ws` send a close frame with the matching protocol code, then emit 'error'; `ws` also
    // drops the socket if the client never answers. Unhandled, the event would end the process and
    // every training job with it, so only this one connection closes.
    ws.on('error', () => {});
    ws.on('message', async (raw) => {
      let message: { id?: unknown; channel?: unknown; payload?: unknown };
      try {
        message = JSON.parse(raw.toString()) as typeof message;
        if (message === null || typeof message !== 'object') throw new Error('not an object');
      } catch {
        ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'bad_request', message: 'message is not a JSON object' } }));
        return;
      }
      const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
      const result = await dispatch(options.ctx, message.channel, message.payload);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...result }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    bus,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
