/**
 * Resume support for metrics.jsonl. Records carry a monotonically increasing `seq`; a checkpoint
 * remembers the last `seq` it covers. On resume, records written after that checkpoint (by the
 * interrupted process) are moved to `metrics.discarded.jsonl` — kept, not lost — so the resumed
 * run's curve is exactly the uninterrupted one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readMetrics, writeFileAtomic } from './store';

export function truncateMetricsAfter(runDir: string, lastSeq: number): { kept: number; discarded: number } {
  const file = path.join(runDir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return { kept: 0, discarded: 0 };
  const { records } = readMetrics(runDir);
  const kept = records.filter((r) => (r.seq ?? -1) <= lastSeq);
  const dropped = records.filter((r) => (r.seq ?? -1) > lastSeq);
  if (dropped.length > 0) {
    fs.appendFileSync(path.join(runDir, 'metrics.discarded.jsonl'), dropped.map((r) => `${JSON.stringify({ ...r, discardedAt: Date.now() })}\n`).join(''));
  }
  writeFileAtomic(file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return { kept: kept.length, discarded: dropped.length };
}
