/**
 * The on-disk form of the metrics cache (`metrics.cache` beside `metrics.jsonl`) and how a cache
 * recognises its source: a checksummed JSON header (the source's mark, counts, keys, latest
 * values, label segments, warnings), then one float64 column per key, each with its CRC-32.
 * metrics-cache.ts decides when to read and write it; this file only encodes and checks bytes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import type { LabelSegment } from './metrics-cache';

/** Where parsing stopped in the source, and how to recognise that source again. */
export interface SourceMark {
  ino: number;
  size: number;
  mtimeMs: number;
  /** Bytes consumed: every complete line before it has been parsed. */
  offset: number;
  /** SHA-1 of the first HEAD_BYTES bytes consumed (a rewrite changes the first lines). */
  head: string;
  /** The bytes just before `offset` (base64), to notice a file rewritten in place. */
  tail: string;
}

const TAIL_BYTES = 64;
export const HEAD_BYTES = 4096;
const MAGIC = Buffer.from('SFTRLMC\u0003', 'latin1'); // the last byte is the format version
const PREFIX = MAGIC.length + 8; // magic, header length (u32), header checksum (crc32)

export function readRange(file: string, start: number, end: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, end - start));
  const fd = fs.openSync(file, 'r');
  try {
    let got = 0;
    while (got < buf.length) {
      const k = fs.readSync(fd, buf, got, buf.length - got, start + got);
      if (k === 0) break;
      got += k;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

const sha1 = (b: Buffer) => crypto.createHash('sha1').update(b).digest('hex');

/** The head and tail marks of `file` up to `offset`. */
export function marksAt(file: string, offset: number): { head: string; tail: string } {
  if (offset === 0) return { head: '', tail: '' };
  return {
    head: sha1(readRange(file, 0, Math.min(HEAD_BYTES, offset))),
    tail: readRange(file, Math.max(0, offset - TAIL_BYTES), offset).toString('base64'),
  };
}

/** Whether the bytes parsed into `mark` are still the start of the file now described by `st`. */
export function stillPrefix(file: string, mark: SourceMark, st: fs.Stats): boolean {
  if (mark.ino !== st.ino || st.size < mark.offset) return false;
  const now = marksAt(file, mark.offset);
  return now.head === mark.head && now.tail === mark.tail;
}

export interface CacheHeader {
  endian: string;
  mark: SourceMark;
  n: number;
  lines: number;
  keys: string[];
  /** CRC-32 of each key's column bytes. */
  crcs: number[];
  last: Record<string, number>;
  segments: LabelSegment[];
  badLines: string[];
  tailWarning: string | null;
}

function isHeader(h: unknown): h is CacheHeader {
  const x = h as CacheHeader;
  return (
    typeof x === 'object' && x !== null && x.endian === os.endianness() &&
    typeof x.mark === 'object' && x.mark !== null && ['ino', 'size', 'mtimeMs', 'offset'].every((k) => typeof (x.mark as unknown as Record<string, unknown>)[k] === 'number') &&
    typeof x.mark.head === 'string' && typeof x.mark.tail === 'string' &&
    Number.isInteger(x.n) && x.n >= 0 && Number.isInteger(x.lines) && Array.isArray(x.keys) && x.keys.every((k) => typeof k === 'string') &&
    Array.isArray(x.crcs) && x.crcs.length === x.keys.length && x.crcs.every((c) => Number.isInteger(c)) &&
    typeof x.last === 'object' && x.last !== null && Array.isArray(x.segments) && Array.isArray(x.badLines) && (x.tailWarning === null || typeof x.tailWarning === 'string')
  );
}

/** The header of a cache file, or null when it is missing, foreign or damaged. */
export function readHeader(fd: number): { header: CacheHeader; dataStart: number } | null {
  const first = Buffer.alloc(PREFIX);
  if (fs.readSync(fd, first, 0, PREFIX, 0) !== PREFIX || !first.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const length = first.readUInt32LE(MAGIC.length);
  const headerCrc = first.readUInt32LE(MAGIC.length + 4);
  if (length > 64 * 1024 * 1024) return null;
  const text = Buffer.alloc(length);
  if (fs.readSync(fd, text, 0, length, PREFIX) !== length || zlib.crc32(text) !== headerCrc) return null;
  let header: unknown;
  try {
    header = JSON.parse(text.toString('utf8'));
  } catch {
    return null;
  }
  if (!isHeader(header)) return null;
  return { header, dataStart: Math.ceil((PREFIX + length) / 8) * 8 };
}


/** The whole cache file for `header` and its columns (each `n` values long, in `header.keys` order). */
export function encodeCacheFile(header: Omit<CacheHeader, 'endian' | 'crcs'>, columns: readonly Float64Array[]): Buffer {
  const crcs = columns.map((col) => zlib.crc32(new Uint8Array(col.buffer, col.byteOffset, col.byteLength)));
  const text = Buffer.from(JSON.stringify({ endian: os.endianness(), ...header, crcs } satisfies CacheHeader), 'utf8');
  const dataStart = Math.ceil((PREFIX + text.length) / 8) * 8;
  const out = Buffer.alloc(dataStart + header.n * columns.length * 8);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(text.length, MAGIC.length);
  out.writeUInt32LE(zlib.crc32(text), MAGIC.length + 4);
  text.copy(out, PREFIX);
  const floats = new Float64Array(out.buffer, out.byteOffset + dataStart, header.n * columns.length);
  columns.forEach((col, i) => floats.set(col, i * header.n));
  return out;
}

/** Where a cache file's columns start, and the file's identity when its header was read. */
export interface ColumnsAt {
  file: string;
  dataStart: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/** Column `i` of `n` values, or null when the file changed since its header was read or the bytes do not check out. */
export function readColumnBytes(at: ColumnsAt, i: number, n: number, crc: number): Float64Array | null {
  let fd: number;
  try {
    fd = fs.openSync(at.file, 'r');
  } catch {
    return null;
  }
  try {
    const cst = fs.fstatSync(fd);
    if (cst.ino !== at.ino || cst.size !== at.size || cst.mtimeMs !== at.mtimeMs) return null;
    const bytes = n * 8;
    const data = Buffer.alloc(bytes);
    if (fs.readSync(fd, data, 0, bytes, at.dataStart + i * bytes) !== bytes || zlib.crc32(data) !== crc) return null;
    return new Float64Array(data.buffer, data.byteOffset, n);
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}
