/**
 * Checkpoints in a run folder: `checkpoints/<name>.bin` (tensor data) and `<name>.json` (manifest:
 * model, optimizer, RNG and trainer state), plus `latest.json` naming the newest complete one.
 * Write order (data, then manifest, then pointer, each atomic) means a crash at any moment leaves
 * the previous checkpoint intact and `latest.json` pointing at a complete one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './store';

export interface StoredCheckpoint {
  /** JSON manifest (what `packCheckpoint` produced, plus trainer state). */
  json: string;
  /** Raw tensor bytes. */
  data: Uint8Array;
}

interface Pointer {
  name: string;
  sha256: string;
  bytes: number;
  savedAt: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

function dirOf(runDir: string): string {
  return path.join(runDir, 'checkpoints');
}

function checkName(name: string): void {
  if (!NAME.test(name) || name.includes('..')) throw new Error(`invalid checkpoint name "${name}"`);
}

function writeBinaryAtomic(file: string, data: Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export function writeCheckpoint(runDir: string, name: string, ckpt: StoredCheckpoint, options: { latest?: boolean } = {}): void {
  checkName(name);
  const dir = dirOf(runDir);
  fs.mkdirSync(dir, { recursive: true });
  writeBinaryAtomic(path.join(dir, `${name}.bin`), ckpt.data);
  const sha256 = crypto.createHash('sha256').update(ckpt.data).digest('hex');
  writeFileAtomic(path.join(dir, `${name}.json`), JSON.stringify({ sha256, bytes: ckpt.data.length, manifest: JSON.parse(ckpt.json) as unknown }));
  if (options.latest ?? true) {
    const pointer: Pointer = { name, sha256, bytes: ckpt.data.length, savedAt: new Date().toISOString() };
    writeFileAtomic(path.join(dir, 'latest.json'), `${JSON.stringify(pointer)}\n`);
  }
}

/** Reads a checkpoint and verifies its data against the recorded checksum. */
export function readCheckpoint(runDir: string, name: string): StoredCheckpoint {
  checkName(name);
  const dir = dirOf(runDir);
  const jsonFile = path.join(dir, `${name}.json`);
  if (!fs.existsSync(jsonFile)) throw new Error(`checkpoint "${name}" not found in ${dir}`);
  let meta: { sha256: string; bytes: number; manifest: unknown };
  try {
    meta = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as typeof meta;
  } catch {
    throw new Error(`checkpoint "${name}": ${name}.json is not valid JSON`);
  }
  const data = new Uint8Array(fs.readFileSync(path.join(dir, `${name}.bin`)));
  if (data.length !== meta.bytes) throw new Error(`checkpoint "${name}": data is ${data.length} bytes, expected ${meta.bytes} (truncated?)`);
  const sha = crypto.createHash('sha256').update(data).digest('hex');
  if (sha !== meta.sha256) throw new Error(`checkpoint "${name}": data checksum does not match its manifest (corrupt file)`);
  return { json: JSON.stringify(meta.manifest), data };
}

/** The newest complete checkpoint's name, or null when the run has none yet. */
export function latestCheckpoint(runDir: string): string | null {
  const file = path.join(dirOf(runDir), 'latest.json');
  if (!fs.existsSync(file)) return null;
  try {
    const pointer = JSON.parse(fs.readFileSync(file, 'utf8')) as Pointer;
    return typeof pointer.name === 'string' && NAME.test(pointer.name) ? pointer.name : null;
  } catch {
    return null;
  }
}

export function listCheckpoints(runDir: string): string[] {
  const dir = dirOf(runDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'latest.json' && !f.includes('.tmp-'))
    .map((f) => f.slice(0, -5))
    .sort();
}
