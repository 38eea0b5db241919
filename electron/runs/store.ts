/**
 * The run store: one folder per run under the data directory (DESIGN §2):
 *   run.json          manifest (config, seed, versions, status) — replaced atomically
 *   metrics.jsonl     one record per logged step — append-only
 *   episodes/*.jsonl  evaluated episodes (shared/api/episode.ts)
 *   checkpoints/      weights, optimizer and RNG state
 * Readers never throw on a damaged folder: they report what is wrong and show what is readable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeIssues } from '../../shared/api/contract';
import { runIdSchema, runManifestSchema, type RunDetail, type RunManifest, type RunSummary } from '../../shared/api/runs';
import { metricsSummary } from './metrics-cache';

export class RunStoreError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'bad_request' = 'bad_request',
  ) {
    super(message);
  }
}

/** Errors of `link` on filesystems without hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Writes a file atomically: write a temporary sibling, then rename over the target, so a reader
 * sees the old content or the new, never half of it. With `exclusive`, an existing target is
 * never replaced (the call throws EEXIST): the temporary file is hard-linked to the target name,
 * which fails atomically when the name is taken; where hard links are unsupported the name is
 * reserved with an exclusive create and the content renamed onto that reservation.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, options: { exclusive?: boolean } = {}): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    fs.writeFileSync(tmp, content);
    if (options.exclusive) linkNoClobber(tmp, file);
    else fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true }); // never leave a stray temporary file behind
    throw error;
  }
  // The temporary name is the link's second name: the content stays under `file`.
  if (options.exclusive) fs.rmSync(tmp, { force: true });
}

function linkNoClobber(tmp: string, file: string): void {
  try {
    fs.linkSync(tmp, file);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    fs.closeSync(fs.openSync(file, 'wx')); // throws EEXIST when the name is taken
    fs.renameSync(tmp, file);
  }
}

/** Resolves a run folder, refusing ids that could escape the data directory. */
export function runDir(dataDir: string, id: string): string {
  const parsed = runIdSchema.safeParse(id);
  if (!parsed.success) throw new RunStoreError(`invalid run id: ${describeIssues(parsed.error)}`);
  const dir = path.resolve(dataDir, parsed.data);
  if (path.dirname(dir) !== path.resolve(dataDir)) throw new RunStoreError(`invalid run id "${id}"`);
  return dir;
}

/** Creates a run folder with its manifest. Refuses to overwrite an existing run. */
export function createRun(dataDir: string, manifest: RunManifest): string {
  const checked = runManifestSchema.parse(manifest);
  const dir = runDir(dataDir, checked.id);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(dir); // throws EEXIST rather than clobbering a run
  fs.mkdirSync(path.join(dir, 'episodes'));
  fs.mkdirSync(path.join(dir, 'checkpoints'));
  writeFileAtomic(path.join(dir, 'run.json'), `${JSON.stringify(checked, null, 2)}\n`);
  return dir;
}

/** One metrics line: namespaced numbers plus `step`, `seq` and an optional `stage` label. */
/** Appends one metrics record (a flat map of namespaced keys to numbers, plus `step`). */
export function appendMetrics(dir: string, record: Record<string, number | string>): void {
  fs.appendFileSync(path.join(dir, 'metrics.jsonl'), `${JSON.stringify(record)}\n`);
}

function readManifest(dir: string): { manifest: RunManifest | null; problem?: string } {
  const file = path.join(dir, 'run.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { manifest: null, problem: 'run.json is missing' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { manifest: null, problem: 'run.json is not valid JSON' };
  }
  const parsed = runManifestSchema.safeParse(json);
  if (!parsed.success) return { manifest: null, problem: `run.json does not match the run schema: ${describeIssues(parsed.error)}` };
  return { manifest: parsed.data };
}

/** Reads metrics.jsonl, tolerating a truncated last line and reporting any other bad line. */
export function readMetrics(dir: string): { records: Record<string, number>[]; warnings: string[] } {
  const file = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return { records: [], warnings: [] };
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const records: Record<string, number>[] = [];
  const warnings: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const value = JSON.parse(line) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      const record: Record<string, number> = {};
      for (const [k, v] of Object.entries(value)) if (typeof v === 'number' && Number.isFinite(v)) record[k] = v;
      records.push(record);
    } catch {
      warnings.push(i === lines.length - 1 ? `metrics.jsonl line ${i + 1}: truncated last line skipped` : `metrics.jsonl line ${i + 1}: unreadable, skipped`);
    }
  });
  return { records, warnings };
}

function summarise(id: string, dir: string): RunSummary {
  const { manifest, problem } = readManifest(dir);
  // Readable records, counted by the metrics cache for every reader (a truncated last line is
  // not a record: it is a warning).
  const metrics = metricsSummary(dir);
  const metricsCount = metrics.n;
  const warned = metrics.warnings.length ? { metricsWarnings: metrics.warnings.slice() } : {};
  if (!manifest) {
    return { id, name: id, status: 'corrupt', task: '', method: '', seed: null, createdAt: null, updatedAt: null, metricsCount, problem, ...warned };
  }
  return {
    id,
    name: manifest.name,
    status: manifest.status,
    task: manifest.task,
    method: manifest.method,
    seed: manifest.seed,
    createdAt: manifest.createdAt,
    updatedAt: manifest.updatedAt,
    metricsCount,
    ...warned,
  };
}

/** Every run folder, newest first. A missing data directory is an empty store. */
export function listRuns(dataDir: string): RunSummary[] {
  if (!fs.existsSync(dataDir)) return [];
  const runs = fs
    .readdirSync(dataDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && runIdSchema.safeParse(d.name).success)
    .map((d) => summarise(d.name, path.join(dataDir, d.name)));
  return runs.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.id.localeCompare(b.id));
}

function listFiles(dir: string, suffix?: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('.') && (!suffix || f.endsWith(suffix)))
    .sort();
}

export function getRun(dataDir: string, id: string): RunDetail {
  const dir = runDir(dataDir, id);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new RunStoreError(`no run "${id}" in ${dataDir}`, 'not_found');
  const { manifest } = readManifest(dir);
  const { records, warnings } = readMetrics(dir);
  const lastMetrics: Record<string, number> = {};
  for (const r of records) Object.assign(lastMetrics, r);
  return {
    summary: summarise(id, dir),
    manifest,
    lastMetrics,
    episodeFiles: listFiles(path.join(dir, 'episodes'), '.jsonl'),
    // Checkpoint names (`step-000050`, `final`), not their .bin/.json halves or the latest pointer.
    checkpoints: listFiles(path.join(dir, 'checkpoints'), '.json').filter((f) => f !== 'latest.json' && !f.includes('.tmp-')).map((f) => f.slice(0, -5)),
    warnings,
  };
}

/** Reads, patches and atomically rewrites a run's manifest (status changes, errors). */
export function updateManifest(dir: string, patch: Partial<RunManifest>): RunManifest {
  const { manifest, problem } = readManifest(dir);
  if (!manifest) throw new RunStoreError(`cannot update ${path.join(dir, 'run.json')}: ${problem}`);
  const next = runManifestSchema.parse({ ...manifest, ...patch, updatedAt: new Date().toISOString() });
  writeFileAtomic(path.join(dir, 'run.json'), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

export function readRunManifest(dir: string): RunManifest | null {
  return readManifest(dir).manifest;
}
