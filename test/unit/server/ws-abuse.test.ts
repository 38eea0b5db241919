import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_FRAMES, closeCodeAfter, handshake, settingsGet } from '../../helpers/ws-abuse';

describe('browser-mode server under malformed WebSocket frames', () => {
  let child: ChildProcess;
  let port = 0;
  let token = '';
  let exited: string | null = null;

  beforeAll(async () => {
    child = spawn(process.execPath, [path.resolve('bin/run-ts.mjs'), path.resolve('test/fixtures/server/serve-child.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    child.on('exit', (code, signal) => (exited = `exit ${code ?? signal}: ${stderr}`));
    ({ port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c) => {
        out += c;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as { port: number; token: string });
      });
      child.on('exit', () => reject(new Error(`server did not start: ${exited}`)));
    }));
  }, 60_000);
  afterAll(() => {
    child.kill('SIGTERM');
  });

  for (const [name, bytes, code] of BAD_FRAMES) {
    it(`closes the connection on ${name} with code ${code}, and keeps serving`, async () => {
      const socket = await handshake(port, token);
      expect(await closeCodeAfter(socket, bytes)).toBe(code);
      // A fresh connection still gets answers: the process survived the bad frame.
      expect(await settingsGet(port, token)).toMatchObject({ id: 1, ok: true });
      expect(exited).toBeNull();
    });
  }
});
