/**
 * Parsed metrics.jsonl, column-wise, cached per file (issue 6: the dashboard with 50 runs × 10k
 * lines). A file is parsed once; while a run is training, only the lines appended since the last
 * read are parsed (metrics.jsonl is append-only; a rewrite — resume's truncation replaces the file
 * atomically — or any change to the bytes already read is detected and parsed from scratch).
 * Least recently used files are dropped beyond a memory budget.
 *
 * Columns hold NaN where a line has no such key (packed double arrays, 8 bytes a cell); the
 * `stage`/`phase` labels are run-length segments, since they change a handful of times per run.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LabelSegment {
  /** First record (index into the columns) of this segment. */
  start: number;
  stage: string | null;
  phase: string | null;
}

export interface ParsedMetrics {
  /** Records (parsed lines), the length of every column. */
  n: number;
  columns: Map<string, number[]>;
  segments: LabelSegment[];
  /** Latest value of each key. */
  last: Record<string, number>;
  /** Unreadable lines (permanent), plus the truncated last line if the file ends mid-line. */
  warnings: string[];
}

interface Entry extends ParsedMetrics {
  ino: number;
  size: number;
  mtimeMs: number;
  /** Bytes consumed: every complete line before it has been parsed. */
  offset: number;
  /** The bytes just before `offset`, to notice a file rewritten in place. */
  fingerprint: Buffer;
  /** Text lines consumed (for line numbers in warnings). */
  lines: number;
  tailWarning: string | null;
  badLines: string[];
}

/** About 96 MB of cells across every cached run (50 runs × 10k lines × 10 keys is 5M). */
export const MAX_CACHED_CELLS = 12_000_000;
const FINGERPRINT = 64;

const cache = new Map<string, Entry>();

const EMPTY: ParsedMetrics = { n: 0, columns: new Map(), segments: [], last: {}, warnings: [] };

function cells(e: Entry): number {
  return e.n * Math.max(1, e.columns.size);
}

function fresh(): Omit<Entry, 'ino' | 'size' | 'mtimeMs'> {
  return { n: 0, columns: new Map(), segments: [], last: {}, warnings: [], offset: 0, fingerprint: Buffer.alloc(0), lines: 0, tailWarning: null, badLines: [] };
}

/** Adds one parsed record to the entry. */
function addRecord(e: Entry, r: Record<string, unknown>): void {
  const n = e.n;
  for (const k in r) {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    let col = e.columns.get(k);
    if (!col) {
      // A key first seen late gets NaN for the earlier lines, so all columns keep one length.
      col = new Array<number>(n).fill(Number.NaN);
      e.columns.set(k, col);
    }
    while (col.length < n) col.push(Number.NaN);
    col.push(v); // columns of keys this line lacks are padded at the end of the read
    e.last[k] = v;
  }
  e.n = n + 1;
  const stage = typeof r.stage === 'string' ? r.stage : null;
  const phase = typeof r.phase === 'string' ? r.phase : null;
  const seg = e.segments[e.segments.length - 1];
  if (!seg || seg.stage !== stage || seg.phase !== phase) e.segments.push({ start: n, stage, phase });
}

/** Parses `text` into the entry; returns the characters consumed (whole lines). */
function consume(e: Entry, text: string): number {
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const complete = nl !== -1;
    const line = complete ? text.slice(pos, nl) : text.slice(pos);
    const lineNo = e.lines + 1;
    if (line.trim() !== '') {
      let rec: unknown;
      let ok = true;
      try {
        rec = JSON.parse(line);
      } catch {
        ok = false;
      }
      if (!ok) {
        // A last line without its newline is a write in progress (or a crash mid-write): skip it
        // for now and read it again once it is complete.
        if (!complete) {
          e.tailWarning = `metrics.jsonl line ${lineNo}: truncated last line skipped`;
          return pos;
        }
        e.badLines.push(`metrics.jsonl line ${lineNo}: unreadable, skipped`);
      } else if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
        e.badLines.push(`metrics.jsonl line ${lineNo}: not an object, skipped`);
      } else addRecord(e, rec as Record<string, unknown>);
    }
    e.lines++;
    pos = complete ? nl + 1 : text.length;
  }
  return pos;
}

function readRange(file: string, start: number, end: number): Buffer {
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

function evict(keep: string): void {
  let total = 0;
  for (const e of cache.values()) total += cells(e);
  for (const [file, e] of cache) {
    if (total <= MAX_CACHED_CELLS) break;
    if (file === keep) continue;
    total -= cells(e);
    cache.delete(file);
  }
}

/** The run folder's metrics, parsed (from the cache, or only what was appended since). */
export function parsedMetrics(dir: string): ParsedMetrics {
  const file = path.join(dir, 'metrics.jsonl');
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    cache.delete(file);
    return EMPTY;
  }
  let e = cache.get(file);
  if (e && e.ino === st.ino && e.size === st.size && e.mtimeMs === st.mtimeMs) {
    cache.delete(file);
    cache.set(file, e); // most recently used last
    return e;
  }
  // Appended to since the last read? Only if the bytes already read are still there.
  if (e && e.ino === st.ino && st.size >= e.offset) {
    const fp = e.fingerprint;
    const head = readRange(file, e.offset - fp.length, e.offset);
    if (!head.equals(fp)) e = undefined;
  } else e = undefined;
  if (!e) e = { ...fresh(), ino: st.ino, size: 0, mtimeMs: 0 };
  const start = e.offset;
  const bytes = readRange(file, start, st.size);
  e.tailWarning = null;
  const text = bytes.toString('utf8');
  const used = consume(e, text);
  e.offset = start + (used === text.length ? bytes.length : Buffer.byteLength(text.slice(0, used)));
  for (const col of e.columns.values()) while (col.length < e.n) col.push(Number.NaN);
  e.fingerprint = e.offset > 0 ? readRange(file, Math.max(0, e.offset - FINGERPRINT), e.offset) : Buffer.alloc(0);
  e.size = st.size;
  e.mtimeMs = st.mtimeMs;
  e.warnings = e.tailWarning ? [...e.badLines, e.tailWarning] : e.badLines.slice();
  cache.delete(file);
  cache.set(file, e);
  evict(file);
  return e;
}

/** Forget every cached file (tests). */
export function clearMetricsCache(): void {
  cache.clear();
}
