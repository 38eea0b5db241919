/**
 * Sweeps in the run store: `sweeps/<id>/` beside the run folders, holding
 *   sweep.json     the spec as given and its expansion (experiments, their runs) — written once
 *   sweep.sbatch   the Slurm job script (slurm executor), readable and resubmittable
 *   slurm.json     the arrays submitted (job ids per method), cancellations — replaced atomically
 *   logs/          what Slurm writes before a task has opened its run's own log
 * Each run a sweep makes is an ordinary run folder whose run.json records the sweep id. A sweep
 * folder is only created, never shared between writers: its id is reserved by an exclusive mkdir.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { expandSweep, sweepId, sweepSpecSchema, type SweepExperiment, type SweepSpec } from '../../shared/experiments/sweep';
import { writeFileAtomic } from '../runs/atomic';
import { runsRoot, SWEEPS_FOLDER, unreadableReason } from '../runs/store';

export { SWEEPS_FOLDER };

const SWEEP_ID = /^[a-z0-9][a-z0-9-]{0,80}$/;

export class SweepStoreError extends Error {}

export interface SweepRunRecord {
  runId: string;
  method: string;
  parent: string | null;
}

export interface SweepExperimentRecord {
  index: number;
  id: string;
  seed: number;
  point: SweepExperiment['point'];
  /** What `sftrl train` is given for this experiment. */
  recipe: SweepExperiment['recipe'];
  runs: SweepRunRecord[];
}

const sweepRecordSchema = z.object({
  format: z.literal(1),
  id: z.string().regex(SWEEP_ID),
  createdAt: z.string(),
  spec: sweepSpecSchema,
  /** The run store the runs are written to, as the submitting machine saw it (absolute). */
  dataDir: z.string(),
  methods: z.array(z.string()),
  experiments: z.array(
    z.object({
      index: z.number().int(),
      id: z.string(),
      seed: z.number().int(),
      point: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      recipe: z.object({ preset: z.string(), seed: z.number().optional(), branches: z.array(z.string()).optional(), base: z.string().optional(), set: z.string().optional(), quick: z.boolean().optional() }),
      runs: z.array(z.object({ runId: z.string(), method: z.string(), parent: z.string().nullable() })),
    }),
  ),
});
export type SweepRecord = z.infer<typeof sweepRecordSchema>;

export const slurmSubmissionSchema = z.object({
  method: z.string(),
  /** The array's job id (tasks are `<jobId>_<index>`). */
  jobId: z.string().regex(/^\d+$/),
  submittedAt: z.string(),
  /** The sbatch command line that submitted it. */
  command: z.array(z.string()),
});
const slurmFileSchema = z.object({
  submissions: z.array(slurmSubmissionSchema),
  cancelledAt: z.string().optional(),
});
export type SlurmFile = z.infer<typeof slurmFileSchema>;
export type SlurmSubmission = z.infer<typeof slurmSubmissionSchema>;

export function sweepsRoot(dataDir: string): string {
  return path.join(runsRoot(dataDir), SWEEPS_FOLDER);
}

/** Resolves a sweep folder, refusing ids that could escape the sweeps folder. */
export function sweepDir(dataDir: string, id: string): string {
  if (!SWEEP_ID.test(id)) throw new SweepStoreError(`"${id}" is not a sweep id (lower-case letters, digits and "-")`);
  return path.join(sweepsRoot(dataDir), id);
}

/**
 * Proves the run store can be written (a probe file created and removed), so a sweep whose tasks
 * could not save anything is refused before anything is submitted.
 */
export function checkWritable(dataDir: string): void {
  const root = runsRoot(dataDir);
  const probe = path.join(root, `.sftrl-write-probe-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(probe, 'probe\n');
    fs.rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'a read-only filesystem' : code === 'ENOTDIR' ? 'a part of the path is a file, not a folder' : code === 'ENOSPC' ? 'the disk is full' : (code ?? (error as Error).message);
    throw new SweepStoreError(`the run store ${root} is not writable (${why}); every task writes its run there — choose a folder on a filesystem the compute nodes share and can write, with --out`);
  }
}

/**
 * Creates a sweep folder with its sweep.json: the spec expanded (which validates every
 * experiment's config) and the id made unique (`-2`, `-3` … when a sweep of the same name and
 * second exists), reserved by an exclusive mkdir so concurrent submitters never share a folder.
 */
export function createSweep(dataDir: string, spec: SweepSpec, now = new Date()): { dir: string; record: SweepRecord; experiments: SweepExperiment[] } {
  checkWritable(dataDir);
  const root = sweepsRoot(dataDir);
  fs.mkdirSync(root, { recursive: true });
  const base = sweepId(spec, now);
  for (let n = 1; n < 100; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    const experiments = expandSweep(spec, id);
    const dir = sweepDir(dataDir, id);
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    fs.mkdirSync(path.join(dir, 'logs'));
    const record: SweepRecord = {
      format: 1, id, createdAt: now.toISOString(), spec, dataDir: path.resolve(dataDir), methods: experiments[0]?.runs.map((r) => r.method) ?? [],
      experiments: experiments.map((e) => ({ index: e.index, id: e.id, seed: e.seed, point: e.point, recipe: e.recipe, runs: e.runs.map((r) => ({ runId: r.runId, method: r.method, parent: r.parent })) })),
    };
    writeFileAtomic(path.join(dir, 'sweep.json'), `${JSON.stringify(record, null, 2)}\n`);
    return { dir, record, experiments };
  }
  throw new SweepStoreError(`could not find a free sweep id for ${base} in ${root}`);
}

export function readSweep(dir: string): SweepRecord {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8');
  } catch (error) {
    throw new SweepStoreError(`${dir} is not a sweep folder: ${unreadableReason('sweep.json', error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SweepStoreError(`${path.join(dir, 'sweep.json')} is not valid JSON`);
  }
  const parsed = sweepRecordSchema.safeParse(json);
  if (!parsed.success) throw new SweepStoreError(`${path.join(dir, 'sweep.json')} does not match the sweep format: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * A sweep named by its folder or its id: an existing folder holding sweep.json, else the id under
 * the data directory's sweeps folder.
 */
export function findSweep(ref: string, dataDir: string): { dir: string; record: SweepRecord } {
  const asPath = path.resolve(ref);
  if (fs.existsSync(path.join(asPath, 'sweep.json'))) return { dir: asPath, record: readSweep(asPath) };
  if (!SWEEP_ID.test(ref)) throw new SweepStoreError(`no sweep folder at ${asPath}, and "${ref}" is not a sweep id`);
  const dir = sweepDir(dataDir, ref);
  if (!fs.existsSync(dir)) throw new SweepStoreError(`no sweep "${ref}" in ${sweepsRoot(dataDir)}`);
  return { dir, record: readSweep(dir) };
}

/** Every readable sweep of a data directory, newest first; unreadable ones are skipped with their reason. */
export function listSweeps(dataDir: string): { sweeps: { dir: string; record: SweepRecord }[]; problems: string[] } {
  const root = sweepsRoot(dataDir);
  const problems: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(root).filter((n) => SWEEP_ID.test(n));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(unreadableReason(`the sweeps folder ${root}`, error));
  }
  const sweeps: { dir: string; record: SweepRecord }[] = [];
  for (const name of names) {
    const dir = path.join(root, name);
    try {
      sweeps.push({ dir, record: readSweep(dir) });
    } catch (error) {
      // A folder just reserved by a submitter has no sweep.json for a moment: not a problem.
      if (fs.existsSync(path.join(dir, 'sweep.json'))) problems.push((error as Error).message);
    }
  }
  sweeps.sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || a.record.id.localeCompare(b.record.id));
  return { sweeps, problems };
}

export function readSlurmFile(dir: string): SlurmFile {
  const file = path.join(dir, 'slurm.json');
  if (!fs.existsSync(file)) return { submissions: [] };
  try {
    return slurmFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new SweepStoreError(`${file} is damaged (${(error as Error).message.split('\n')[0]}); the arrays it listed can be found with squeue --name=sftrl-<sweep>`);
  }
}

export function writeSlurmFile(dir: string, content: SlurmFile): void {
  writeFileAtomic(path.join(dir, 'slurm.json'), `${JSON.stringify(slurmFileSchema.parse(content), null, 2)}\n`);
}
