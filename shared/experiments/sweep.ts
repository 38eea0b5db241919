/**
 * A sweep: one preset run over seeds × a grid of `--set` values, every point an ordinary
 * experiment (init, then its branches; shared/experiments/plan.ts), executed by the local run
 * queue or as Slurm job arrays. The spec is what a user writes (a JSON file or `sftrl sweep`
 * flags); `expandSweep` turns it into the experiments and runs, the same list for `sweep plan`,
 * `sweep submit` and every array task.
 */
import { z } from 'zod';
import { BRANCHES, type ExperimentConfig } from './config';
import { buildExperimentConfig, type ExperimentRecipe } from './build';
import { planExperiment, type RunPlan } from './plan';
import { MAX_SEEDS, parseSeeds, SeedListError } from './seeds';

export class SweepSpecError extends Error {}

/** At most this many experiments (seeds × grid points) in one sweep: each is an init plus its branches. */
export const MAX_SWEEP_EXPERIMENTS = 256;

const safeName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a sweep name: lower-case letters, digits and "-", at most 40');
/** A Slurm time limit as sbatch reads it: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS. */
const slurmTime = z.string().regex(/^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+|\d+-\d+:\d{2}|\d+-\d+:\d{2}:\d{2})$/, 'a Slurm time limit such as 30, 2:00:00 or 1-12:00:00');
/** Text that goes into the job script: one line, no shell-quote breakers. */
const scriptLine = z.string().max(500).regex(/^[^\n\r]*$/, 'one line');

export const localExecutorSchema = z
  .object({
    kind: z.literal('local'),
    jobs: z.number().int().min(1).max(256).optional().describe('Runs training at once (default: the Concurrent jobs setting, else one per core).'),
  })
  .strict();

export const slurmExecutorSchema = z
  .object({
    kind: z.literal('slurm'),
    partition: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a partition name').optional().describe('Partition (default: the cluster\'s default).'),
    time: slurmTime.optional().describe('Time limit per task (sbatch --time).'),
    cpusPerTask: z.number().int().min(1).max(1024).default(1).describe('CPUs per task (sbatch --cpus-per-task).'),
    mem: z.string().regex(/^\d+[KMGT]?$/, 'memory such as 2G or 4000M').optional().describe('Memory per task (sbatch --mem), e.g. 4G.'),
    sbatch: z.array(scriptLine.regex(/^--?[A-Za-z]/, 'an sbatch option such as --account=lab')).max(32).default([]).describe('Extra #SBATCH lines, e.g. --account=lab or --qos=short.'),
    setup: scriptLine.optional().describe('A shell line run before each task, e.g. "module load nodejs/20".'),
    signalSeconds: z.number().int().min(10).max(3600).default(90).describe('Seconds before the time limit at which a task checkpoints and requeues itself.'),
  })
  .strict();

export const sweepSpecSchema = z
  .object({
    name: safeName.optional().describe('Prefix of the sweep id (default: the preset).'),
    preset: z.string().max(64),
    /** A seed list as `--seeds` reads it ("0-4", "0,2,5") or an array of seeds. */
    seeds: z.union([z.string(), z.array(z.number().int().min(0)).min(1).max(MAX_SEEDS)]).default([0]),
    branches: z.array(z.enum(BRANCHES)).min(1).optional(),
    /** Edits every experiment shares, in `--set` syntax. */
    set: z.string().max(2000).optional(),
    /** Config field → the values to sweep; every combination is one experiment per seed. */
    grid: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1).max(64)).default({}),
    quick: z.boolean().default(false),
    base: z.string().max(80).optional(),
    backend: z.enum(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']).optional(),
    executor: z.discriminatedUnion('kind', [localExecutorSchema, slurmExecutorSchema]).default({ kind: 'local' }),
  })
  .strict();

export type SweepSpec = z.infer<typeof sweepSpecSchema>;
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
export type SlurmExecutor = z.infer<typeof slurmExecutorSchema>;

export interface SweepExperiment {
  /** Position in the sweep: the Slurm array index of its runs. */
  index: number;
  id: string;
  seed: number;
  /** The grid values of this experiment (field → value). */
  point: Record<string, string | number | boolean>;
  /** What `sftrl train` is given for it: the shared edits, then the point's. */
  recipe: ExperimentRecipe;
  config: ExperimentConfig;
  runs: RunPlan[];
}

/** Validates a spec, naming the problem (a file's own JSON is parsed by the caller). */
export function parseSweepSpec(value: unknown): SweepSpec {
  const parsed = sweepSpecSchema.safeParse(value);
  if (!parsed.success) throw new SweepSpecError(parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; '));
  return parsed.data;
}

function seedsOf(spec: SweepSpec): number[] {
  if (Array.isArray(spec.seeds)) {
    if (new Set(spec.seeds).size !== spec.seeds.length) throw new SweepSpecError('seeds: a seed is listed twice');
    return spec.seeds;
  }
  try {
    return parseSeeds(spec.seeds);
  } catch (error) {
    if (error instanceof SeedListError) throw new SweepSpecError(`seeds: ${error.message}`);
    throw error;
  }
}

/** Every combination of the grid, in the order written (the last field varies fastest). */
export function gridPoints(grid: SweepSpec['grid']): Record<string, string | number | boolean>[] {
  let points: Record<string, string | number | boolean>[] = [{}];
  for (const [field, values] of Object.entries(grid)) {
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(field)) throw new SweepSpecError(`grid: "${field}" is not a config field path (e.g. rl.klBeta)`);
    for (const v of values) if (/[,=\s'"\\]/.test(String(v))) throw new SweepSpecError(`grid: value "${v}" of ${field} may not hold commas, "=", quotes or spaces`);
    points = points.flatMap((p) => values.map((v) => ({ ...p, [field]: v })));
  }
  return points;
}

/** `YYYYMMDDHHMMSS` of a date, as sweep ids carry it. */
export function sweepStamp(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

export function sweepId(spec: SweepSpec, now: Date): string {
  return `${spec.name ?? spec.preset}-${sweepStamp(now)}${spec.quick ? '-quick' : ''}`;
}

/**
 * The experiments of a sweep, each with its validated config and runs. Experiment ids are
 * `<sweep>-s<seed>` with one grid point, `<sweep>-c<k>-s<seed>` with several.
 */
export function expandSweep(spec: SweepSpec, id: string): SweepExperiment[] {
  const seeds = seedsOf(spec);
  const points = gridPoints(spec.grid);
  if (seeds.length * points.length > MAX_SWEEP_EXPERIMENTS) throw new SweepSpecError(`${seeds.length} seeds × ${points.length} grid points is ${seeds.length * points.length} experiments; at most ${MAX_SWEEP_EXPERIMENTS} in one sweep`);
  const out: SweepExperiment[] = [];
  points.forEach((point, k) => {
    const pointSet = Object.entries(point).map(([f, v]) => `${f}=${v}`).join(',');
    const set = [spec.set?.trim(), pointSet].filter((s) => s).join(',');
    for (const seed of seeds) {
      const recipe: ExperimentRecipe = {
        preset: spec.preset, seed, quick: spec.quick,
        ...(spec.branches ? { branches: spec.branches } : {}),
        ...(spec.base ? { base: spec.base } : {}),
        ...(set ? { set } : {}),
      };
      let config: ExperimentConfig;
      try {
        config = buildExperimentConfig(recipe);
      } catch (error) {
        throw new SweepSpecError(`${pointSet ? `grid point ${pointSet}: ` : ''}${(error as Error).message}`);
      }
      const expId = points.length > 1 ? `${id}-c${k}-s${seed}` : `${id}-s${seed}`;
      out.push({ index: out.length, id: expId, seed, point, recipe, config, runs: planExperiment(config, expId) });
    }
  });
  return out;
}

/** The methods every experiment of the sweep runs, init first: one Slurm array each. */
export function sweepMethods(experiments: SweepExperiment[]): string[] {
  return experiments[0]?.runs.map((r) => r.method) ?? [];
}
