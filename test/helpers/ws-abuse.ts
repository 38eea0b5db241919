/**
 * Malformed WebSocket frames sent over a raw socket, for the server test and the soak script: each
 * must close only its own connection with the listed close code.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';
import { MAX_PAYLOAD_BYTES } from '../../electron/api/dispatch';

/** A masked client frame with mask key 01 02 03 04. */
function masked(first: number, payload: number[]): Buffer {
  const mask = [1, 2, 3, 4];
  return Buffer.from([first, 0x80 | payload.length, ...mask, ...payload.map((b, i) => b ^ (mask[i % 4] as number))]);
}

function oversized(): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x82;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(MAX_PAYLOAD_BYTES + 1), 2);
  header.set([1, 2, 3, 4], 10);
  return header;
}

/** [what, bytes, expected close code]. */
export const BAD_FRAMES: [string, Buffer, number][] = [
  ["a reserved opcode (the issue's 83 81 01 02 03 04 79)", Buffer.from([0x83, 0x81, 1, 2, 3, 4, 0x79]), 1002],
  ['a text frame that is not UTF-8', masked(0x81, [0xff, 0xfe]), 1007],
  ['an unmasked client frame', Buffer.from([0x81, 0x01, 0x41]), 1002],
  ['RSV1 set without an extension', masked(0xc1, [0x41]), 1002],
  ['a close frame with code 999', masked(0x88, [0x03, 0xe7]), 1002],
  ['a frame over the size cap', oversized(), 1009],
];

/** Opens a raw TCP connection and completes the WebSocket handshake on /api with the token. */
export function handshake(port: number, token: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const key = crypto.randomBytes(16).toString('base64');
    let head = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', function onData(chunk) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (!head.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(head.toString()));
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    });
    socket.write(
      `GET /api?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** Sends raw bytes and resolves with the close code of the server's close frame. */
export function closeCodeAfter(socket: net.Socket, bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      got = Buffer.concat([got, chunk]);
      // A close frame from the server: 0x88, unmasked length, then the two-byte code.
      if (got.length >= 4 && got[0] === 0x88) {
        resolve(got.readUInt16BE(2));
        socket.destroy();
      }
    });
    socket.on('close', () => reject(new Error(`connection closed without a close frame (got ${got.toString('hex')})`)));
    socket.write(bytes);
  });
}

/** One API call on a fresh connection: proves the server still answers. */
export function settingsGet(port: number, token: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel: 'settings:get', payload: {} })));
    ws.on('message', (data) => {
      resolve(JSON.parse(String(data)));
      ws.close();
    });
  });
}
