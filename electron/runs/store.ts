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
import { writeFileAtomic } from './atomic';
import { liveOwner } from './lock';
import { runIdSchema, runManifestSchema, type RunDetail, type RunManifest, type RunSummary } from '../../shared/api/runs';
import { metricsSummary } from './metrics-cache';

export class RunStoreError extends Error {
  constructor(
    message: string,
    readonly code: 'not_found' | 'bad_request' | 'forbidden' = 'bad_request',
  ) {
    super(message);
  }
}

export { writeFileAtomic } from './atomic';

/** Why a file or folder could not be read, in words (`what` names it: "run.json", "the run folder"). */
export function unreadableReason(what: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `${what} is missing`;
  if (code === 'EACCES' || code === 'EPERM') return `${what} cannot be read: permission denied`;
  if (code === 'ENOTDIR') return `${what} is not a folder`;
  if (code === 'EISDIR') return `${what} is a folder, not a file`;
  return `${what} cannot be read (${code ?? (error as Error)?.message ?? String(error)})`;
}

/** The folder beside the runs that holds sweeps (electron/sweeps/store.ts); never listed as a run. */
export const SWEEPS_FOLDER = 'sweeps';

/** Resolves a run folder, refusing ids that could escape the data directory. */
export function runDir(dataDir: string, id: string): string {
  const parsed = runIdSchema.safeParse(id);
  if (!parsed.success) throw new RunStoreError(`invalid run id: ${describeIssues(parsed.error)}`);
  const root = path.resolve(runsRoot(dataDir));
  const dir = path.resolve(root, parsed.data);
  if (path.dirname(dir) !== root) throw new RunStoreError(`invalid run id "${id}"`);
  return dir;
}

/**
 * The folder holding a data directory's runs: the directory itself, or its `runs/` folder when it
 * has one that is not itself a run — a results folder such as examples/gp-rule-results keeps its
 * README beside `runs/`, and pointing the Data directory at it shows those runs.
 */
export function runsRoot(dataDir: string): string {
  const nested = path.join(dataDir, 'runs');
  try {
    if (fs.statSync(nested).isDirectory() && !fs.existsSync(path.join(nested, 'run.json'))) return nested;
  } catch {
    // no runs/ folder: the runs are in the directory itself
  }
  return dataDir;
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

/**
 * The run's folder, created with its manifest when missing. A folder without run.json (a crash
 * between creating the folder and writing its manifest) gets the manifest written, provided it
 * holds no checkpoint the manifest could contradict; any other unreadable folder is refused with
 * its reason, changing nothing.
 */
export function ensureRun(dataDir: string, manifest: RunManifest): string {
  const dir = runDir(dataDir, manifest.id);
  if (!fs.existsSync(dir)) return createRun(dataDir, manifest);
  const found = readManifest(dir);
  if (found.manifest) return dir;
  if (!found.missing) throw new RunStoreError(`cannot continue the run in ${dir}: ${found.problem}`);
  const checkpoints = path.join(dir, 'checkpoints');
  if (fs.existsSync(checkpoints) && fs.readdirSync(checkpoints).some((f) => f.endsWith('.json'))) {
    throw new RunStoreError(`${dir} holds checkpoints but no run.json: restore its run.json, or move the folder aside to start the run over`);
  }
  fs.mkdirSync(path.join(dir, 'episodes'), { recursive: true });
  fs.mkdirSync(checkpoints, { recursive: true });
  writeFileAtomic(path.join(dir, 'run.json'), `${JSON.stringify(runManifestSchema.parse(manifest), null, 2)}\n`);
  return dir;
}

/** Appends one metrics record (a flat map of namespaced keys to numbers, plus `step`). */
export function appendMetrics(dir: string, record: Record<string, number | string>): void {
  fs.appendFileSync(path.join(dir, 'metrics.jsonl'), `${JSON.stringify(record)}\n`);
}

function readManifest(dir: string): { manifest: RunManifest | null; problem?: string; missing?: boolean } {
  const file = path.join(dir, 'run.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    // A folder that cannot be listed hides whether run.json exists: say that, not "missing".
    try {
      fs.readdirSync(dir);
    } catch (dirError) {
      return { manifest: null, problem: unreadableReason('the run folder', dirError) };
    }
    return { manifest: null, problem: unreadableReason('run.json', error), missing: (error as NodeJS.ErrnoException).code === 'ENOENT' };
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
  let lines: string[];
  try {
    lines = fs.readFileSync(file, 'utf8').split('\n');
  } catch (error) {
    return { records: [], warnings: [unreadableReason('metrics.jsonl', error)] };
  }
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

/** The log a Slurm sweep task opens in its run folder before sftrl has written run.json. */
const TASK_LOG = 'slurm.out';

function summarise(id: string, dir: string): RunSummary {
  const { manifest, problem, missing } = readManifest(dir);
  // Readable records, counted by the metrics cache for every reader (a truncated last line is
  // not a record: it is a warning); an unreadable file is named, not thrown.
  let metricsCount = 0;
  let metricsProblem: string | undefined;
  let warned: { metricsWarnings?: string[] } = {};
  try {
    const metrics = metricsSummary(dir);
    metricsCount = metrics.n;
    if (metrics.warnings.length) warned = { metricsWarnings: metrics.warnings.slice() };
  } catch (error) {
    metricsProblem = unreadableReason('metrics.jsonl', error);
  }
  if (!manifest && missing && fs.existsSync(path.join(dir, TASK_LOG))) {
    // A sweep task has started here and sftrl has not written run.json yet (or the task failed first).
    return { id, name: id, status: 'created', task: '', method: '', seed: null, createdAt: null, updatedAt: null, metricsCount, problem: `no run.json yet: its Slurm task has started (see ${TASK_LOG} and slurm.err in the run folder)`, ...warned };
  }
  if (!manifest) {
    return { id, name: id, status: 'corrupt', task: '', method: '', seed: null, createdAt: null, updatedAt: null, metricsCount, problem, ...warned };
  }
  return {
    id,
    name: manifest.name,
    // `running` in run.json with no live writer: the process died (kill, crash, failed resume).
    status: manifest.status === 'running' && !liveOwner(dir) ? 'interrupted' : manifest.status,
    task: manifest.task,
    method: manifest.method,
    seed: manifest.seed,
    createdAt: manifest.createdAt,
    updatedAt: manifest.updatedAt,
    metricsCount,
    ...(metricsProblem ? { problem: metricsProblem } : {}),
    ...warned,
    ...(manifest.sweep ? { sweep: manifest.sweep } : {}),
  };
}

/** Every run folder, newest first. A missing data directory is an empty store. */
export function listRuns(dataDirSetting: string): RunSummary[] {
  const dataDir = runsRoot(dataDirSetting);
  if (!fs.existsSync(dataDir)) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dataDir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunStoreError(unreadableReason(`the data directory ${dataDir}`, error), code === 'EACCES' || code === 'EPERM' ? 'forbidden' : 'bad_request');
  }
  const runs = entries
    .filter((d) => d.isDirectory() && d.name !== SWEEPS_FOLDER && runIdSchema.safeParse(d.name).success)
    .map((d) => summarise(d.name, path.join(dataDir, d.name)));
  return runs.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.id.localeCompare(b.id));
}

/** A folder's file names; a folder that cannot be read adds its reason to `warnings` and lists nothing. */
function listFiles(dir: string, warnings: string[], what: string, suffix?: string): string[] {
  if (!fs.existsSync(dir)) return [];
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => !f.startsWith('.') && (!suffix || f.endsWith(suffix)))
      .sort();
  } catch (error) {
    warnings.push(unreadableReason(what, error));
    return [];
  }
}

export function getRun(dataDir: string, id: string): RunDetail {
  const dir = runDir(dataDir, id);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new RunStoreError(`no run "${id}" in ${dataDir}`, 'not_found');
  const { manifest } = readManifest(dir);
  const { records, warnings } = readMetrics(dir);
  const lastMetrics: Record<string, number> = {};
  for (const r of records) Object.assign(lastMetrics, r);
  const episodeFiles = listFiles(path.join(dir, 'episodes'), warnings, 'episodes/', '.jsonl');
  // Checkpoint names (`step-000050`, `final`), not their .bin/.json halves or the latest pointer.
  const checkpoints = listFiles(path.join(dir, 'checkpoints'), warnings, 'checkpoints/', '.json').filter((f) => f !== 'latest.json' && !f.includes('.tmp-')).map((f) => f.slice(0, -5));
  return { summary: summarise(id, dir), manifest, lastMetrics, episodeFiles, checkpoints, warnings };
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
