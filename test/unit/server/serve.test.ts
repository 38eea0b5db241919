import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../../electron/serve';
import { testContext } from '../../helpers/api';
import { tempDir } from '../../helpers/tmp';
import fs from 'node:fs';
import path from 'node:path';

function get(port: number, pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket and resolves with the HTTP status it was refused with, or 101 when accepted. */
function connect(url: string, headers: Record<string, string> = {}): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ status: -1 }));
  });
}

function call(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('browser-mode server', () => {
  let server: RunningServer;
  let t: ReturnType<typeof testContext>;
  const renderer = tempDir();
  const TOKEN = 'a'.repeat(48);

  beforeAll(async () => {
    fs.writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>app</title>');
    fs.mkdirSync(path.join(renderer.dir, 'assets'));
    fs.writeFileSync(path.join(renderer.dir, 'assets', 'app.js'), 'console.log(1)');
    t = testContext();
    server = await startServer({ ctx: t.ctx, port: 0, rendererDir: renderer.dir, token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
    renderer.cleanup();
  });

  it('listens on 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('serves the renderer with a strict CSP', async () => {
    const res = await get(server.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>app</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain(`ws://127.0.0.1:${server.port}`);
    expect((await get(server.port, '/assets/app.js')).headers['content-type']).toContain('javascript');
    expect((await get(server.port, '/assets/missing.js')).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding) on pages and on the API', async () => {
    expect((await get(server.port, '/', { Host: 'evil.example:80' })).status).toBe(403);
    expect((await get(server.port, '/', { Host: `attacker.test:${server.port}` })).status).toBe(403);
    const ws = await connect(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`, { Host: 'evil.example' });
    expect(ws.status).toBe(403);
  });

  it('refuses a foreign Origin', async () => {
    expect((await get(server.port, '/', { Origin: 'http://evil.example' })).status).toBe(403);
    const ws = await connect(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`, { Origin: 'http://evil.example' });
    expect(ws.status).toBe(403);
  });

  it('refuses API connections without the token or with a wrong one', async () => {
    expect((await connect(`ws://127.0.0.1:${server.port}/api`)).status).toBe(401);
    expect((await connect(`ws://127.0.0.1:${server.port}/api?token=${'b'.repeat(48)}`)).status).toBe(401);
    expect((await connect(`ws://127.0.0.1:${server.port}/api?token=short`)).status).toBe(401);
  });

  it('refuses path traversal', async () => {
    expect((await get(server.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(400);
    expect((await get(server.port, '/..%5c..%5cetc')).status).toBe(400);
  });

  it('answers API calls with the token, validates them, and pushes job events', async () => {
    const { ws, status } = await connect(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`, { Origin: `http://127.0.0.1:${server.port}` });
    expect(status).toBe(101);
    const sock = ws as WebSocket;
    expect(await call(sock, { id: 1, channel: 'settings:set', payload: { theme: 'dark' } })).toMatchObject({ id: 1, ok: true, data: { theme: 'dark' } });
    expect(await call(sock, { id: 2, channel: 'settings:get', payload: {} })).toMatchObject({ id: 2, ok: true, data: { theme: 'dark' } });
    expect(await call(sock, { id: 3, channel: 'settings:set', payload: { theme: 7 } })).toMatchObject({ id: 3, ok: false, error: { code: 'bad_request' } });
    expect(await call(sock, { id: 4, channel: 'shell:exec', payload: {} })).toMatchObject({ id: 4, ok: false, error: { code: 'unknown_channel' } });
    expect(await call(sock, 'not json')).toMatchObject({ id: null, ok: false, error: { message: 'message is not a JSON object' } });
    const event = new Promise((resolve) => sock.once('message', (d) => resolve(JSON.parse(String(d)))));
    server.bus.emit({ type: 'log', jobId: 'j1', level: 'info', message: 'hello' });
    expect(await event).toEqual({ event: 'jobs:event', data: { type: 'log', jobId: 'j1', level: 'info', message: 'hello' } });
    sock.close();
  });

  it('refuses to start when the renderer is not built, saying how to build it', async () => {
    await expect(startServer({ ctx: t.ctx, rendererDir: path.join(renderer.dir, 'nope') })).rejects.toThrow(/npm run build:renderer/);
  });
});
