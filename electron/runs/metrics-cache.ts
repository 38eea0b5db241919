/**
 * Parsed metrics.jsonl, column-wise, cached per file in memory and on disk (issues 6 and 13: the
 * dashboard with 50 runs × 10k lines; parsing 114 MB of JSONL on every cold start took seconds).
 *
 * In memory: a file is parsed once; while a run is training, only the lines appended since the
 * last read are parsed. Least recently used files are dropped beyond a memory budget.
 *
 * On disk: `metrics.cache` beside metrics.jsonl holds the same columns in binary (a header, then
 * one float64 column per key, each with its checksum), so a cold start reads the header, and then
 * only the columns a figure asks for, instead of parsing the run's JSONL.
 * The source is always the truth: the cache names the file it was built from (inode, size, mtime,
 * a hash of its first bytes, and the bytes just before the point it was parsed to); a cache that
 * does not match is rebuilt, one whose file only grew is extended by the appended lines, and a
 * corrupt or foreign cache (bad magic, bad checksum, wrong shape) is ignored and rewritten. It is
 * written atomically; a folder we cannot write to (a read-only copy of results) just has none.
 *
 * Columns hold NaN where a line has no such key; the `stage`/`phase` labels are run-length
 * segments, since they change a handful of times per run. A record is a readable JSON object
 * line: unreadable lines and a truncated last line are not counted, but warned about — the one
 * count every reader of the store shows (runs list, catalog, `sftrl runs`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodeCacheFile, HEAD_BYTES, marksAt, readColumnBytes, readHeader, readRange, stillPrefix, type ColumnsAt, type SourceMark } from './metrics-cache-file';
import { writeFileAtomic } from './store';

export interface LabelSegment {
  /** First record (index into the columns) of this segment. */
  start: number;
  stage: string | null;
  phase: string | null;
}

/** What listing runs needs, without the columns. */
export interface MetricsSummary {
  /** Records (readable lines). */
  n: number;
  /** Every numeric key, in first-logged order. */
  keys: string[];
  /** Latest value of each key. */
  last: Record<string, number>;
  /** Unreadable lines (permanent), plus the truncated last line if the file ends mid-line. */
  warnings: string[];
}

export interface ParsedMetrics extends MetricsSummary {
  /** The column of a key (`n` values, NaN where a line lacks it), read on first use; read-only. */
  column(key: string): Float64Array | undefined;
  segments: LabelSegment[];
}

/** Columns still on disk: where they are, and the cache file they are in (to notice a rewrite). */
interface Pending extends ColumnsAt {
  /** Key → its index in the file and the checksum of its bytes. */
  index: Map<string, { i: number; crc: number }>;
}

interface Entry extends ParsedMetrics {
  dir: string;
  mark: SourceMark;
  /** Loaded columns, at least `n` long (capacity-sized while lines are appended). */
  store: Map<string, Float64Array>;
  /** Views of the loaded columns' first `n` values. */
  views: Map<string, Float64Array>;
  /** Columns not read from the disk cache yet (null: all are in `store`). */
  pending: Pending | null;
  capacity: number;
  /** Text lines consumed (for line numbers in warnings). */
  lines: number;
  tailWarning: string | null;
  badLines: string[];
  /** The source as last written to the disk cache (null: not on disk), and when (ms since epoch). */
  saved: SourceMark | null;
  savedAt: number;
}

/** About 96 MB of cells across every cached run (50 runs × 10k lines × 10 keys is 5M). */
export const MAX_CACHED_CELLS = 12_000_000;
export const CACHE_FILE = 'metrics.cache';
const SOURCE_FILE = 'metrics.jsonl';
/** A live run's cache is rewritten at most this often (its lines arrive every second or so). */
const SAVE_INTERVAL_MS = 10_000;
const cache = new Map<string, Entry>();
/** Summaries read from disk cache headers alone (listing runs), keyed by source file. */
const summaries = new Map<string, { ino: number; size: number; mtimeMs: number; summary: MetricsSummary }>();

const EMPTY: ParsedMetrics = { n: 0, keys: [], column: () => undefined, segments: [], last: {}, warnings: [] };

function cells(e: Entry): number {
  return e.n * Math.max(1, e.store.size);
}

function fresh(dir: string, st: fs.Stats): Entry {
  const e: Entry = {
    n: 0, keys: [], column: (key) => columnOf(e, key), segments: [], last: {}, warnings: [],
    dir, mark: { ino: st.ino, size: 0, mtimeMs: 0, offset: 0, head: '', tail: '' },
    store: new Map(), views: new Map(), pending: null, capacity: 0, lines: 0, tailWarning: null, badLines: [], saved: null, savedAt: 0,
  };
  return e;
}

function nanColumn(capacity: number): Float64Array {
  return new Float64Array(capacity).fill(Number.NaN);
}

function grow(e: Entry, need: number): void {
  if (need <= e.capacity) return;
  const capacity = Math.max(need, Math.ceil(e.capacity * 1.5), 256);
  for (const [k, col] of e.store) {
    const next = nanColumn(capacity);
    next.set(col.subarray(0, e.n));
    e.store.set(k, next);
  }
  e.capacity = capacity;
}

/** Adds one parsed record to the entry. */
function addRecord(e: Entry, r: Record<string, unknown>): void {
  const n = e.n;
  grow(e, n + 1);
  for (const k in r) {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    let col = e.store.get(k);
    if (!col) {
      // A key first seen late is NaN on the earlier lines (new columns start all NaN).
      col = nanColumn(e.capacity);
      e.store.set(k, col);
    }
    col[n] = v;
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

// ---- the disk cache ----

/**
 * The cache's header as an entry whose columns are read on first use, or null when the cache is
 * missing, damaged or not of this source.
 */
function loadCache(dir: string, st: fs.Stats): Entry | null {
  const cacheFile = path.join(dir, CACHE_FILE);
  let fd: number;
  try {
    fd = fs.openSync(cacheFile, 'r');
  } catch {
    return null;
  }
  try {
    const h = readHeader(fd);
    if (!h) return null;
    const { header, dataStart } = h;
    if (!stillPrefix(path.join(dir, SOURCE_FILE), header.mark, st)) return null;
    const cst = fs.fstatSync(fd);
    if (cst.size !== dataStart + header.n * header.keys.length * 8) return null;
    const e = fresh(dir, st);
    const index = new Map(header.keys.map((k, i) => [k, { i, crc: header.crcs[i] as number }]));
    Object.assign(e, {
      n: header.n, capacity: header.n, lines: header.lines, last: header.last, segments: header.segments, badLines: header.badLines,
      tailWarning: header.tailWarning, mark: header.mark, saved: header.mark, savedAt: Date.now(), keys: header.keys.slice(),
      pending: header.keys.length ? { file: cacheFile, dataStart, index, ino: cst.ino, size: cst.size, mtimeMs: cst.mtimeMs } : null,
    });
    return e;
  } catch {
    return null; // unreadable: treated as absent and rebuilt
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads one pending column; false when the cache file changed or its bytes do not check out. */
function readColumn(e: Entry, key: string): boolean {
  const p = e.pending as Pending;
  const at = p.index.get(key);
  const col = at ? readColumnBytes(p, at.i, e.n, at.crc) : null;
  if (!col) return false;
  e.store.set(key, col);
  p.index.delete(key);
  if (p.index.size === 0) e.pending = null;
  return true;
}

/** Parses the whole source into `e` from scratch: the disk cache let us down half-way. */
function rebuild(e: Entry): void {
  const file = path.join(e.dir, SOURCE_FILE);
  Object.assign(e, { ...fresh(e.dir, fs.statSync(file)), column: e.column });
  parseInto(e, file, fs.statSync(file));
}

/** Reads every pending column (before lines are appended to them); false when it had to rebuild. */
function materialize(e: Entry): boolean {
  while (e.pending) {
    const key = e.pending.index.keys().next().value as string;
    if (!readColumn(e, key)) {
      rebuild(e);
      return false;
    }
  }
  return true;
}

function columnOf(e: Entry, key: string): Float64Array | undefined {
  let view = e.views.get(key);
  if (view) return view;
  if (e.pending?.index.has(key)) {
    if (!readColumn(e, key)) {
      rebuild(e);
      return e.views.get(key);
    }
    publish(e);
    view = e.views.get(key);
  }
  return view;
}

function saveCache(dir: string, e: Entry): void {
  if (e.pending) return; // only an entry with every column in memory is written
  const keys = [...e.store.keys()];
  const out = encodeCacheFile(
    { mark: e.mark, n: e.n, lines: e.lines, keys, last: e.last, segments: e.segments, badLines: e.badLines, tailWarning: e.tailWarning },
    keys.map((k) => (e.store.get(k) as Float64Array).subarray(0, e.n)),
  );
  try {
    writeFileAtomic(path.join(dir, CACHE_FILE), out);
    e.saved = e.mark;
    e.savedAt = Date.now();
  } catch {
    // A read-only folder (results copied from elsewhere) has no cache: it is parsed each start.
  }
}

// ---- reading ----

function publish(e: Entry): void {
  const views = new Map<string, Float64Array>();
  for (const [k, col] of e.store) views.set(k, col.subarray(0, e.n));
  e.views = views;
  if (!e.pending) e.keys = [...e.store.keys()]; // else: the cache's key order, already set
  e.warnings = e.tailWarning ? [...e.badLines, e.tailWarning] : e.badLines.slice();
}

function touch(file: string, e: Entry): void {
  cache.delete(file);
  cache.set(file, e); // most recently used last
}

/** The run folder's metrics, parsed (from memory, the disk cache, or only what was appended since). */
export function parsedMetrics(dir: string): ParsedMetrics {
  const file = path.join(dir, SOURCE_FILE);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    cache.delete(file);
    return EMPTY;
  }
  let e = cache.get(file);
  if (e && e.mark.ino === st.ino && e.mark.size === st.size && e.mark.mtimeMs === st.mtimeMs) {
    touch(file, e);
    return e;
  }
  // Appended to since the last read? Only if the bytes already read are still there.
  if (e && !stillPrefix(file, e.mark, st)) e = undefined;
  e ??= loadCache(dir, st) ?? fresh(dir, st);
  parseInto(e, file, st);
  touch(file, e);
  evict(file);
  return e;
}

/** Parses what `e` has not read of the source (described by `st`) and refreshes the disk cache. */
function parseInto(e: Entry, file: string, st: fs.Stats): void {
  const start = e.mark.offset;
  // Lines to append: every column must be in memory first (a failed read rebuilt the entry whole).
  if (st.size > start && !materialize(e)) return;
  const bytes = readRange(file, start, st.size);
  e.tailWarning = null;
  const text = bytes.toString('utf8');
  const used = consume(e, text);
  const offset = start + (used === text.length ? bytes.length : Buffer.byteLength(text.slice(0, used)));
  // The head hash covers the first HEAD_BYTES: it only changes while the file is shorter than that.
  const marks = offset === start ? { head: e.mark.head, tail: e.mark.tail } : { ...marksAt(file, offset), ...(start >= HEAD_BYTES ? { head: e.mark.head } : {}) };
  e.mark = { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, offset, ...marks };
  publish(e);
  const { saved } = e;
  const changed = !saved || saved.offset !== offset || saved.size !== st.size || saved.mtimeMs !== st.mtimeMs || saved.ino !== st.ino;
  if (offset > 0 && changed && (!saved || Date.now() - e.savedAt >= SAVE_INTERVAL_MS)) saveCache(e.dir, e);
}

/**
 * Count, keys, latest values and warnings of the run folder's metrics: from memory, from the disk
 * cache's header alone while it matches the source, or else by parsing (which refreshes the cache).
 */
export function metricsSummary(dir: string): MetricsSummary {
  const file = path.join(dir, SOURCE_FILE);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return EMPTY;
  }
  const same = (m: { ino: number; size: number; mtimeMs: number }) => m.ino === st.ino && m.size === st.size && m.mtimeMs === st.mtimeMs;
  const e = cache.get(file);
  if (e && same(e.mark)) return e;
  const known = summaries.get(file);
  if (!e && known && same(known)) return known.summary;
  if (!e) {
    let fd: number | null = null;
    try {
      fd = fs.openSync(path.join(dir, CACHE_FILE), 'r');
      const h = readHeader(fd);
      if (h && same(h.header.mark) && stillPrefix(file, h.header.mark, st)) {
        const { n, keys, last, badLines, tailWarning } = h.header;
        const summary = { n, keys, last, warnings: tailWarning ? [...badLines, tailWarning] : badLines };
        summaries.set(file, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, summary });
        return summary;
      }
    } catch {
      // no usable cache: parse below
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
  }
  const p = parsedMetrics(dir);
  summaries.delete(file);
  return p;
}

/** Forget every cached file in memory (tests; the disk caches stay). */
export function clearMetricsCache(): void {
  cache.clear();
  summaries.clear();
}
