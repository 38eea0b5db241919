/**
 * Resume support for metrics.jsonl. Records carry a monotonically increasing `seq`; a checkpoint
 * remembers the last `seq` it covers. On resume, records written after that checkpoint (by the
 * interrupted process) are moved to `metrics.discarded.jsonl` — kept, not lost — so the resumed
 * run's curve is exactly the uninterrupted one. Kept lines are copied byte for byte: labels such
 * as `stage` and `phase` (which the numeric reader drops) drive the figures' phase boundaries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { updateManifest, writeFileAtomic } from './store';

/** The line's `seq`, `undefined` when it has none, `null` when the line is not a JSON object. */
function seqOf(line: string): number | undefined | null {
  try {
    const value = JSON.parse(line) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const seq = (value as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return null;
  }
}

export function truncateMetricsAfter(runDir: string, lastSeq: number): { kept: number; discarded: number } {
  const file = path.join(runDir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return { kept: 0, discarded: 0 };
  const text = fs.readFileSync(file, 'utf8');
  const kept: string[] = [];
  const dropped: string[] = [];
  const discardedAt = Date.now();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const seq = seqOf(line);
    // A line without `seq` predates sequencing and stays; an unreadable one is the half-written
    // line of a killed process and goes aside with the records after the checkpoint.
    if (seq === undefined || (seq !== null && seq <= lastSeq)) kept.push(line);
    else dropped.push(JSON.stringify(seq === null ? { unreadable: line, discardedAt } : { ...(JSON.parse(line) as object), discardedAt }));
  }
  if (dropped.length === 0 && text === kept.map((l) => `${l}\n`).join('')) return { kept: kept.length, discarded: 0 };
  if (dropped.length > 0) fs.appendFileSync(path.join(runDir, 'metrics.discarded.jsonl'), dropped.map((l) => `${l}\n`).join(''));
  writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
  return { kept: kept.length, discarded: dropped.length };
}

/**
 * The first writes of a run that (re)starts: its manifest is marked `running`, which proves it is
 * readable and writable, and only then are the metrics after `lastSeq` moved aside. Called once
 * everything the run needs (checkpoint, parent, base) has loaded, so a resume that cannot happen
 * changes no file.
 */
export function beginRunWrites(runDir: string, lastSeq: number): { kept: number; discarded: number } {
  updateManifest(runDir, { status: 'running' });
  return truncateMetricsAfter(runDir, lastSeq);
}
