import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSeries } from '../../../electron/api/handlers/metrics';
import { clearMetricsCache, parsedMetrics } from '../../../electron/runs/metrics-cache';
import { writeFileAtomic } from '../../../electron/runs/store';
import { tempDir } from '../../helpers/tmp';

describe('parsed-metrics cache (runs:catalog and runs:metrics)', () => {
  const tmp = tempDir();
  let file: string;
  beforeEach(() => {
    clearMetricsCache();
    file = path.join(tmp.dir, 'metrics.jsonl');
  });
  afterEach(() => tmp.cleanup());

  const line = (r: Record<string, unknown>) => `${JSON.stringify(r)}\n`;

  it('parses appended lines only, and the result equals a fresh parse', () => {
    fs.mkdirSync(tmp.dir, { recursive: true });
    fs.writeFileSync(file, line({ seq: 0, stage: 'rl', step: 1, 'train/loss': 2 }) + line({ seq: 1, stage: 'rl', step: 2, 'train/loss': 1.5 }));
    const a = parsedMetrics(tmp.dir);
    expect(a.n).toBe(2);
    fs.appendFileSync(file, line({ seq: 2, stage: 'rl', phase: 'eval', step: 2, 'eval/ood/success': 0.25 }));
    const b = parsedMetrics(tmp.dir);
    expect(b).toBe(a); // the same entry, grown in place
    expect(b.n).toBe(3);
    expect(b.columns.get('eval/ood/success')).toEqual([Number.NaN, Number.NaN, 0.25]);
    expect(b.columns.get('train/loss')).toEqual([2, 1.5, Number.NaN]);
    expect(b.segments).toEqual([{ start: 0, stage: 'rl', phase: null }, { start: 2, stage: 'rl', phase: 'eval' }]);
    const incremental = readSeries(tmp.dir, 'r');
    clearMetricsCache();
    expect(readSeries(tmp.dir, 'r')).toEqual(incremental);
  });

  it('skips a truncated last line with a warning and reads it once it is complete', () => {
    fs.mkdirSync(tmp.dir, { recursive: true });
    fs.writeFileSync(file, `${line({ step: 1, 'train/loss': 2 })}{"step": 2, "train/lo`);
    const s = readSeries(tmp.dir, 'r');
    expect(s.points).toBe(1);
    expect(s.warnings).toEqual(['metrics.jsonl line 2: truncated last line skipped']);
    fs.appendFileSync(file, 'ss": 1.5}\nnot json\n');
    const t = readSeries(tmp.dir, 'r');
    expect(t.columns['train/loss']).toEqual([2, 1.5]);
    expect(t.warnings).toEqual(['metrics.jsonl line 3: unreadable, skipped']);
  });

  it('parses from scratch when the file was rewritten (resume truncates by atomic replace)', () => {
    fs.mkdirSync(tmp.dir, { recursive: true });
    fs.writeFileSync(file, line({ seq: 0, step: 1, 'train/loss': 2 }) + line({ seq: 1, step: 2, 'train/loss': 1 }));
    expect(parsedMetrics(tmp.dir).n).toBe(2);
    writeFileAtomic(file, line({ seq: 0, step: 1, 'train/loss': 9 }));
    expect(parsedMetrics(tmp.dir).columns.get('train/loss')).toEqual([9]);
    // Rewritten in place with different bytes, and longer than before: still detected.
    fs.writeFileSync(file, line({ seq: 0, step: 1, 'train/loss': 7 }) + line({ seq: 1, step: 2, 'train/loss': 6 }) + line({ seq: 2, step: 3, 'train/loss': 5 }));
    expect(parsedMetrics(tmp.dir).columns.get('train/loss')).toEqual([7, 6, 5]);
  });
});
