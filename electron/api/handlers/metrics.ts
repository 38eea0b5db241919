/** Handlers of the dashboard channels: the run catalog and column-wise metric series. */
import fs from 'node:fs';
import path from 'node:path';
import type { metricsChannels, RunCatalogRow, RunSeries } from '../../../shared/api/channels/metrics';
import { listRuns, readRunManifest, runDir } from '../../runs/store';
import type { HandlerTable } from '../handlers';

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
 * Reads metrics.jsonl column-wise, keeping `stage`/`phase` labels (the store's readMetrics keeps
 * numbers only). A truncated last line (a crash mid-write) is skipped with a warning, never fatal.
 */
export function readSeries(dir: string, id: string, keys?: readonly string[]): RunSeries {
  const file = path.join(dir, 'metrics.jsonl');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  const wanted = keys ? new Set([...X_KEYS, ...keys]) : null;
  const columns: Record<string, (number | null)[]> = {};
  const stage: (string | null)[] = [];
  const phase: (string | null)[] = [];
  const warnings: string[] = [];
  let n = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      warnings.push(i === lines.length - 1 ? `metrics.jsonl line ${i + 1}: truncated last line skipped` : `metrics.jsonl line ${i + 1}: unreadable, skipped`);
      return;
    }
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return void warnings.push(`metrics.jsonl line ${i + 1}: not an object, skipped`);
    const r = rec as Record<string, unknown>;
    for (const [k, v] of Object.entries(r)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || (wanted && !wanted.has(k))) continue;
      // A key first seen late gets nulls for the earlier lines, so all columns keep one length.
      const col = (columns[k] ??= new Array<number | null>(n).fill(null));
      col[n] = v;
    }
    stage.push(typeof r.stage === 'string' ? r.stage : null);
    phase.push(typeof r.phase === 'string' ? r.phase : null);
    n++;
    for (const col of Object.values(columns)) if (col.length < n) col.push(null);
  });
  return { id, points: n, columns, stage, phase, warnings };
}

/**
 * Keys and last values of a run's metrics in one pass, cached by file size and mtime: the table
 * is reloaded on every job status event, and 50 runs × 10k lines take about a second to parse.
 */
const summaryCache = new Map<string, { stamp: string; keys: string[]; last: Record<string, number> }>();

function metricSummary(dir: string): { keys: string[]; last: Record<string, number> } {
  const file = path.join(dir, 'metrics.jsonl');
  let stamp = 'none';
  try {
    const st = fs.statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return { keys: [], last: {} };
  }
  const hit = summaryCache.get(file);
  if (hit?.stamp === stamp) return hit;
  const last: Record<string, number> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const rec = JSON.parse(line) as Record<string, unknown>;
      for (const [k, v] of Object.entries(rec)) if (typeof v === 'number' && Number.isFinite(v)) last[k] = v;
    } catch {
      // unreadable lines are reported by runs:get and runs:metrics; the table shows what parses
    }
  }
  const entry = { stamp, keys: Object.keys(last).sort(), last };
  summaryCache.set(file, entry);
  return entry;
}

export const metricsHandlers: HandlerTable<typeof metricsChannels> = {
  'runs:catalog': async (_req, ctx) => {
    const dataDir = ctx.settings.get().dataDir;
    return listRuns(dataDir).map((s): RunCatalogRow => {
      if (s.status === 'corrupt') return { id: s.id, name: s.name, status: s.status, task: s.task, method: s.method, seed: s.seed, createdAt: s.createdAt, fields: {}, keys: [], last: {}, points: s.metricsCount, ...(s.problem ? { problem: s.problem } : {}) };
      const dir = runDir(dataDir, s.id);
      const fields = flattenConfig(readRunManifest(dir)?.config ?? {});
      const { keys, last } = metricSummary(dir);
      return {
        id: s.id, name: s.name, status: s.status, task: s.task, method: s.method, seed: s.seed, createdAt: s.createdAt,
        fields: { ...fields, task: s.task, method: s.method, seed: s.seed }, keys, last, points: s.metricsCount,
      };
    });
  },
  'runs:metrics': async (req, ctx) => {
    const dataDir = ctx.settings.get().dataDir;
    const runs: RunSeries[] = [];
    const missing: string[] = [];
    for (const id of [...new Set(req.ids)]) {
      const dir = runDir(dataDir, id);
      if (!fs.existsSync(path.join(dir, 'run.json'))) missing.push(id);
      else runs.push(readSeries(dir, id, req.keys));
    }
    return { runs, missing };
  },
};
