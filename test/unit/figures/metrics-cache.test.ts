import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSeries } from '../../../electron/api/handlers/metrics';
import { CACHE_FILE, clearMetricsCache, metricsSummary, parsedMetrics } from '../../../electron/runs/metrics-cache';
import { writeFileAtomic } from '../../../electron/runs/store';
import { tempDir } from '../../helpers/tmp';
import { unpackSeries } from '../../../renderer/src/pages/figures/unpack';
import { extractXY } from '../../../shared/figures/extract';
import type { SeriesInput } from '../../../shared/figures/model';

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
    expect(Array.from(b.column('eval/ood/success') ?? [])).toEqual([Number.NaN, Number.NaN, 0.25]);
    expect(Array.from(b.column('train/loss') ?? [])).toEqual([2, 1.5, Number.NaN]);
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
    expect(Array.from(parsedMetrics(tmp.dir).column('train/loss') ?? [])).toEqual([9]);
    // Rewritten in place with different bytes, and longer than before: still detected.
    fs.writeFileSync(file, line({ seq: 0, step: 1, 'train/loss': 7 }) + line({ seq: 1, step: 2, 'train/loss': 6 }) + line({ seq: 2, step: 3, 'train/loss': 5 }));
    expect(Array.from(parsedMetrics(tmp.dir).column('train/loss') ?? [])).toEqual([7, 6, 5]);
  });

  it('sends packed float64 columns that decode to the same series as JSON (the dashboard transfer)', () => {
    fs.mkdirSync(tmp.dir, { recursive: true });
    fs.writeFileSync(file, line({ seq: 0, step: 1, 'compute/flops': 2e6, 'train/loss': 0.1 + 0.2 }) + line({ seq: 1, step: 2, 'eval/ood/success': 0.25 }) + line({ seq: 2, step: 3, 'compute/flops': 4e6, 'train/loss': -1e-300 }));
    for (const keys of [undefined, ['train/loss']]) {
      const json = readSeries(tmp.dir, 'r', keys);
      const packed = readSeries(tmp.dir, 'r', keys, undefined, true);
      expect(packed.columns).toEqual({});
      expect(Object.keys(packed.packed ?? {})).toEqual(Object.keys(json.columns));
      // Decoded as float64 columns, NaN where JSON has null: the same values, and the same curves.
      const unpacked = unpackSeries(packed);
      const { columns, ...rest } = unpacked;
      const { columns: jsonColumns, ...jsonRest } = json;
      expect(rest).toEqual(jsonRest);
      expect(Object.fromEntries(Object.entries(columns).map(([k, c]) => [k, Array.from(c, (v) => (v !== null && Number.isNaN(v) ? null : v))]))).toEqual(jsonColumns);
      const run = (series: SeriesInput) => ({ id: 'r', label: 'r', fields: {}, series });
      expect(extractXY(run(unpacked), 'compute/flops', 'train/loss')).toEqual(extractXY(run(json), 'compute/flops', 'train/loss'));
    }
  });

  describe('on disk (metrics.cache beside metrics.jsonl)', () => {
    const cacheFile = () => path.join(tmp.dir, CACHE_FILE);
    const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => line({ seq: from + i, stage: i % 7 ? 'rl' : 'sft', step: from + i, 'train/loss': 1 / (from + i + 1), ...(i % 5 ? {} : { 'eval/id/success': i / 100 }) })).join('');
    const fresh = () => {
      clearMetricsCache();
      fs.rmSync(cacheFile(), { force: true });
      const s = readSeries(tmp.dir, 'r');
      clearMetricsCache();
      return s;
    };
    /** Lines parsed from JSON by one read (the cache header is one parse). */
    const parses = (fn: () => unknown) => {
      const spy = vi.spyOn(JSON, 'parse');
      try {
        fn();
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    beforeEach(() => fs.mkdirSync(tmp.dir, { recursive: true }));

    it('serves a cold start from the cache, and parses only the lines appended since', () => {
      fs.writeFileSync(file, lines(0, 300));
      const first = readSeries(tmp.dir, 'r');
      expect(fs.existsSync(cacheFile())).toBe(true);
      clearMetricsCache(); // a new process
      expect(parses(() => expect(readSeries(tmp.dir, 'r')).toEqual(first))).toBe(1);
      fs.appendFileSync(file, lines(300, 310));
      clearMetricsCache();
      let grown: unknown;
      expect(parses(() => (grown = readSeries(tmp.dir, 'r')))).toBe(1 + 10);
      expect(grown).toEqual(fresh());
      expect(metricsSummary(tmp.dir).n).toBe(310);
    });

    it('lists from the cache header alone while it matches the source', () => {
      fs.writeFileSync(file, `${lines(0, 50)}not json\n{"step": 51`);
      const parsed = parsedMetrics(tmp.dir);
      clearMetricsCache();
      let summary: ReturnType<typeof metricsSummary> | undefined;
      expect(parses(() => (summary = metricsSummary(tmp.dir)))).toBe(1);
      expect(summary).toEqual({ n: 50, keys: parsed.keys, last: parsed.last, warnings: ['metrics.jsonl line 51: unreadable, skipped', 'metrics.jsonl line 52: truncated last line skipped'] });
    });

    it('is never trusted over the source: a rewrite, a truncation or a replacement is parsed again', () => {
      fs.writeFileSync(file, lines(0, 100));
      readSeries(tmp.dir, 'r');
      const { mtime } = fs.statSync(file);
      // Same inode, same size, same mtime, other bytes: the head hash differs.
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.replace('"train/loss":1,', '"train/loss":7,'));
      fs.utimesSync(file, mtime, mtime);
      expect(fs.statSync(file).size).toBe(text.length);
      clearMetricsCache();
      expect(metricsSummary(tmp.dir).last).toBeDefined();
      expect(readSeries(tmp.dir, 'r').columns['train/loss']?.[0]).toBe(7);
      // Truncated in place (shorter than where the cache stopped).
      fs.truncateSync(file, Buffer.byteLength(lines(0, 40)));
      clearMetricsCache();
      expect(metricsSummary(tmp.dir).n).toBe(40);
      expect(readSeries(tmp.dir, 'r')).toEqual(fresh());
      // Cut and regrown past the old end with other lines (resume's truncate-then-append).
      readSeries(tmp.dir, 'r');
      writeFileAtomic(file, lines(0, 20) + lines(500, 600));
      clearMetricsCache();
      expect(readSeries(tmp.dir, 'r')).toEqual(fresh());
    });

    it('reads only the columns asked for, each checked on its own', () => {
      fs.writeFileSync(file, lines(0, 100));
      const good = readSeries(tmp.dir, 'r');
      const bytes = fs.readFileSync(cacheFile());
      // Damage the last column's bytes (eval/id/success, the last key first logged).
      const damaged = Buffer.from(bytes);
      damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 0xff;
      fs.writeFileSync(cacheFile(), damaged);
      clearMetricsCache();
      const loss = readSeries(tmp.dir, 'r', ['train/loss'], ['step']);
      expect(loss.columns['train/loss']).toEqual(good.columns['train/loss']?.filter((v) => v !== null));
      expect(fs.readFileSync(cacheFile()).equals(damaged)).toBe(true); // the damaged column was never read
      expect(readSeries(tmp.dir, 'r')).toEqual(good); // now it is: found out, parsed from the source
      expect(fs.readFileSync(cacheFile()).equals(bytes)).toBe(true);
    });

    it('parses the source when the cache changes under an entry that still has columns to read', () => {
      fs.writeFileSync(file, lines(0, 100));
      const good = readSeries(tmp.dir, 'r');
      clearMetricsCache();
      const p = parsedMetrics(tmp.dir); // header only
      fs.writeFileSync(cacheFile(), 'replaced by another process');
      expect(Array.from(p.column('train/loss') ?? [])).toEqual(good.columns['train/loss']?.map((v) => v ?? Number.NaN));
      expect(readSeries(tmp.dir, 'r')).toEqual(good);
    });

    it('ignores a corrupt or foreign cache and rewrites it', () => {
      fs.writeFileSync(file, lines(0, 100));
      const good = readSeries(tmp.dir, 'r');
      const bytes = fs.readFileSync(cacheFile());
      const damaged = [
        Buffer.from('garbage'),
        Buffer.alloc(0),
        bytes.subarray(0, bytes.length - 8), // cut short
        Buffer.concat([bytes.subarray(0, bytes.length - 3), Buffer.from([1, 2, 3])]), // a flipped value: checksum
        Buffer.from(bytes.toString('latin1').replace('"n":100', '"n":"x"'), 'latin1'), // header of the wrong shape
        Buffer.from(bytes.toString('latin1').replace('"train/loss":0.01,', '"train/loss":0.91,'), 'latin1'), // a header value changed
      ];
      expect(damaged.at(-1)?.equals(bytes)).toBe(false);
      for (const d of damaged) {
        fs.writeFileSync(cacheFile(), d);
        clearMetricsCache();
        expect(readSeries(tmp.dir, 'r')).toEqual(good);
        expect(metricsSummary(tmp.dir).n).toBe(100);
        expect(fs.readFileSync(cacheFile()).equals(bytes)).toBe(true); // rebuilt
      }
      expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    });
  });
});
