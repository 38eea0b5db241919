/** Handlers of the dashboard channels: the run catalog and column-wise metric series. */
import fs from 'node:fs';
import path from 'node:path';
import type { metricsChannels, RunCatalogRow, RunSeries } from '../../../shared/api/channels/metrics';
import { metricsSummary, parsedMetrics } from '../../runs/metrics-cache';
import { listRuns, readRunManifest, runDir } from '../../runs/store';
import type { HandlerTable } from '../types';

/** Keys always returned, because every x axis comes from them. */
const X_KEYS = ['step', 'seq', 'compute/flops'];
/** A config is flattened only this deep and this wide: the table needs scalars, not blobs. */
const MAX_FIELDS = 200;

export function flattenConfig(value: unknown, prefix = '', out: Record<string, string | number | boolean | null> = {}, depth = 0): Record<string, string | number | boolean | null> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || depth > 3) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (Object.keys(out).length >= MAX_FIELDS) break;
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[key] = v as string | number | boolean | null;
    else if (typeof v === 'object' && !Array.isArray(v)) flattenConfig(v, key, out, depth + 1);
  }
  return out;
}

/**
 * One run's series for the wire, from the parsed-metrics cache (electron/runs/metrics-cache.ts):
 * all keys and lines without `keys`; with `keys`, those keys plus the x keys, on the lines that
 * have at least one of `keys`. Truncated and unreadable lines are skipped with a warning.
 * `packed`: columns as base64 float64 (shared/api/channels/metrics.ts) instead of JSON arrays.
 */
export function readSeries(dir: string, id: string, keys?: readonly string[], xKeys: readonly string[] = X_KEYS, packed = false): RunSeries {
  const p = parsedMetrics(dir);
  const names = keys ? [...new Set([...xKeys, ...keys])].filter((k) => p.keys.includes(k)) : p.keys.slice();
  const ys = keys ? keys.map((k) => p.column(k)).filter((c): c is Float64Array => c !== undefined) : [];
  let rows: Int32Array | null = null;
  if (keys) {
    const found = new Int32Array(p.n);
    let m = 0;
    for (let i = 0; i < p.n; i++) {
      for (const c of ys) {
        if (!Number.isNaN(c[i] as number)) {
          found[m++] = i;
          break;
        }
      }
    }
    rows = found.subarray(0, m);
  }
  const columns: Record<string, (number | null)[]> = {};
  const packedColumns: Record<string, string> = {};
  for (const k of names) {
    const col = p.column(k) as Float64Array;
    let values = col;
    if (rows) {
      values = new Float64Array(rows.length);
      for (let j = 0; j < rows.length; j++) values[j] = col[rows[j] as number] as number;
    }
    if (packed) packedColumns[k] = Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
    else {
      const out = new Array<number | null>(values.length);
      for (let i = 0; i < values.length; i++) { const v = values[i] as number; out[i] = Number.isNaN(v) ? null : v; }
      columns[k] = out;
    }
  }
  // Label segments re-indexed onto the lines sent.
  let segments = p.segments.map((s) => ({ ...s }));
  if (rows) {
    const sent = rows;
    segments = [];
    let j = 0;
    p.segments.forEach((s, si) => {
      const end = p.segments[si + 1]?.start ?? p.n;
      while (j < sent.length && (sent[j] as number) < s.start) j++;
      const prev = segments[segments.length - 1];
      if (j < sent.length && (sent[j] as number) < end && !(prev && prev.stage === s.stage && prev.phase === s.phase)) segments.push({ start: j, stage: s.stage, phase: s.phase });
    });
  }
  return { id, points: rows ? rows.length : p.n, total: p.n, columns, ...(packed ? { packed: packedColumns } : {}), segments, warnings: p.warnings.slice() };
}

export const metricsHandlers: HandlerTable<typeof metricsChannels> = {
  'runs:catalog': async (_req, ctx) => {
    const dataDir = ctx.settings.get().dataDir;
    // Counts, keys and latest values come from the metrics cache (on a cold start, from the disk
    // cache's headers alone): runs:metrics later reads the columns of the runs the view selects.
    return listRuns(dataDir).map((s): RunCatalogRow => {
      if (s.status === 'corrupt') return { id: s.id, name: s.name, status: s.status, task: s.task, method: s.method, seed: s.seed, createdAt: s.createdAt, fields: {}, keys: [], last: {}, points: s.metricsCount, ...(s.problem ? { problem: s.problem } : {}) };
      const dir = runDir(dataDir, s.id);
      const fields = flattenConfig(readRunManifest(dir)?.config ?? {});
      // A run whose metrics.jsonl cannot be read carries the reason in `problem` (listRuns).
      const { last } = s.problem ? { last: {} } : metricsSummary(dir);
      return {
        id: s.id, name: s.name, status: s.status, task: s.task, method: s.method, seed: s.seed, createdAt: s.createdAt,
        fields: { ...fields, task: s.task, method: s.method, seed: s.seed, ...(s.sweep ? { sweep: s.sweep } : {}) }, keys: Object.keys(last).sort(), last: { ...last }, points: s.metricsCount,
        ...(s.problem ? { problem: s.problem } : {}),
      };
    });
  },
  'runs:metrics': async (req, ctx) => {
    // Requests that arrive together (the catalog and every batch of a cold start) would all run
    // before the first reply is sent: yielding first lets each reply go out as soon as it is ready.
    await new Promise((resolve) => setImmediate(resolve));
    const dataDir = ctx.settings.get().dataDir;
    const runs: RunSeries[] = [];
    const missing: string[] = [];
    for (const id of [...new Set(req.ids)]) {
      const dir = runDir(dataDir, id);
      if (!fs.existsSync(path.join(dir, 'run.json'))) missing.push(id);
      else runs.push(readSeries(dir, id, req.keys, req.x ?? X_KEYS, req.encoding === 'f64'));
    }
    return { runs, missing };
  },
};
