/**
 * Checkpoints in a run folder: `checkpoints/<name>.bin` (tensor data) and `<name>.json` (manifest:
 * model, optimizer, RNG and trainer state), plus `latest.json` naming the newest complete one.
 * Write order (data, then manifest, then pointer, each atomic) means a crash at any moment leaves
 * the previous checkpoint intact and `latest.json` pointing at a complete one. Resume and eval do
 * not trust the pointer alone: they take the newest checkpoint whose data verifies, so a damaged
 * latest checkpoint or a lost pointer falls back instead of restarting from step 0.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic';

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

export function writeCheckpoint(runDir: string, name: string, ckpt: StoredCheckpoint, options: { latest?: boolean } = {}): void {
  checkName(name);
  const dir = dirOf(runDir);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, `${name}.bin`), ckpt.data);
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
  if (meta === null || typeof meta !== 'object' || typeof meta.sha256 !== 'string' || typeof meta.bytes !== 'number') {
    throw new Error(`checkpoint "${name}": ${name}.json has no checksum and size`);
  }
  const binFile = path.join(dir, `${name}.bin`);
  if (!fs.existsSync(binFile)) throw new Error(`checkpoint "${name}": ${name}.bin is missing`);
  const data = new Uint8Array(fs.readFileSync(binFile));
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

/**
 * Checkpoint names newest first: the pointer's target, then `final`, then the others by name
 * descending (`step-NNNNNN` names are zero-padded, so that is step order).
 */
function newestFirst(runDir: string): string[] {
  const names = listCheckpoints(runDir);
  const pointer = latestCheckpoint(runDir);
  const rest = names.filter((n) => n !== pointer && n !== 'final').sort().reverse();
  return [...new Set([...(pointer && names.includes(pointer) ? [pointer] : []), ...(names.includes('final') ? ['final'] : []), ...rest])];
}

export interface VerifiedCheckpoint {
  name: string;
  stored: StoredCheckpoint;
  /** Newer checkpoints that failed verification, with why. */
  skipped: string[];
}

/**
 * The newest checkpoint that verifies, or null when the run has none at all. When checkpoints
 * exist but none verifies this throws, naming each one's problem: starting over would overwrite them.
 */
export function newestVerifiedCheckpoint(runDir: string): VerifiedCheckpoint | null {
  const skipped: string[] = [];
  for (const name of newestFirst(runDir)) {
    try {
      return { name, stored: readCheckpoint(runDir, name), skipped };
    } catch (error) {
      skipped.push((error as Error).message);
    }
  }
  if (skipped.length === 0) return null;
  throw new Error(`no checkpoint in ${dirOf(runDir)} verifies (${skipped.join('; ')}); nothing was changed — move the checkpoints folder aside to start the run over`);
}
