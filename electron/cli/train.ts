/** `sftrl train`, `sftrl resume`, `sftrl runs`: experiments from the command line, their runs queued as jobs in worker processes. */
import path from 'node:path';
import { buildExperimentConfig, ConfigBuildError, presetOf } from '../../shared/experiments/build';
import { experimentId, experimentOfRun, planExperiment, planNotes } from '../../shared/experiments/plan';
import { PRESETS } from '../../shared/experiments/presets';
import { MAX_CONCURRENT_JOBS } from '../../shared/api/settings';
import { parseSeeds, SeedListError } from '../../shared/experiments/seeds';
import { JobEventBus } from '../jobs/events';
import { enqueueExperiments, nothingQueuedReason, type ExperimentLaunch } from '../jobs/experiment-queue';
import { WORKER_HEAP_MB } from '../jobs/limits';
import { JobConflictError, JobManager, resolveConcurrency } from '../jobs/manager';
import { spawnNodeWorker } from '../jobs/spawn-node';
import { contextProblem } from '../ml/tasks';
import { listRuns, readRunManifest, runDir } from '../runs/store';
import { openSettingsStore } from '../settings/store';
import { parseFlags, UsageError, type CliCommand, type CliIo } from './command';
import { formatDuration, progressPrinter } from './progress';

/** How many jobs run at once: --jobs, else the setting, else one per core. */
function concurrencyFrom(flag: string | number | boolean | undefined): number {
  if (flag === undefined) return resolveConcurrency(openSettingsStore().get().concurrentJobs);
  if (typeof flag !== 'number' || !Number.isInteger(flag) || flag < 1 || flag > MAX_CONCURRENT_JOBS) throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_CONCURRENT_JOBS} (got "${flag}")`);
  return flag;
}

/** A SIGINT this soon after the first is its re-raised copy, not a second Ctrl+C. */
const REPEATED_SIGINT_MS = 1000;

/**
 * Queues experiments' runs (each run a job; branches wait for their init) and waits until all
 * have ended, printing each run's progress; Ctrl+C cancels every job (running ones at a checkpoint).
 */
export async function runQueued(io: CliIo, launches: ExperimentLaunch[], concurrency: number): Promise<number> {
  const bus = new JobEventBus();
  const jobs = new JobManager(bus, spawnNodeWorker, { concurrency });
  const started = Date.now();
  const times = new Map<string, { start?: number; end?: number }>();
  bus.subscribe((e) => {
    if (e.type !== 'status') return;
    const t = times.get(e.jobId) ?? {};
    if (e.status === 'running') t.start = Date.now();
    else if (e.status !== 'queued') t.end = Date.now();
    times.set(e.jobId, t);
  });
  // One run alone (pretrain of one seed) keeps the redrawn bar; several print a line per run.
  bus.subscribe(progressPrinter(io, { multi: !(launches.length === 1 && launches[0]?.only?.length === 1) }));
  let queued;
  try {
    queued = enqueueExperiments(jobs, launches);
  } catch (error) {
    if (error instanceof JobConflictError) throw new UsageError(error.message);
    throw error;
  }
  if (queued.length === 0) {
    io.out(nothingQueuedReason(jobs, launches));
    return 0;
  }
  io.out(`${queued.length} run${queued.length === 1 ? '' : 's'} queued, ${concurrency} at a time: ${queued.map((j) => j.runId).join(', ')}`);
  // Ctrl+C, or SIGTERM from a scheduler (Slurm requeue, preemption, time limit): every running
  // worker saves a checkpoint and stops, so running the same command again loses no step.
  // The listeners stay installed until the queue is idle: signals come in bursts, and a moment
  // with no listener (as between one `once` listener and the next) restores the default, which
  // kills the parent before it has relayed the workers' checkpoints. A scheduler signals the whole
  // process group and the batch script forwards SIGTERM again; and the settings store's exit hook
  // (when-exit, through conf and atomically) re-raises any signal it sees, at once.
  let signalledAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalledAt !== undefined) {
      // Ctrl+C again kills, but not the re-raised copy of the first (a person's second press comes
      // later); a repeated SIGTERM never kills the checkpointing parent.
      if (signal === 'SIGINT' && Date.now() - signalledAt > REPEATED_SIGINT_MS) jobs.shutdown();
      return;
    }
    signalledAt = Date.now();
    io.err(`${signal === 'SIGINT' ? 'cancelling' : `${signal} received`}: running workers save a checkpoint first${signal === 'SIGINT' ? ' (Ctrl+C again to kill)' : ''}…`);
    for (const j of jobs.list()) if (j.status === 'queued' || j.status === 'running') jobs.cancel(j.jobId);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await jobs.idle();
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  const final = jobs.list();
  for (const j of final) {
    const t = times.get(j.jobId);
    const took = t?.start !== undefined && t.end !== undefined ? formatDuration((t.end - t.start) / 1000) : '-';
    io.out(`  ${j.runId.padEnd(44)} ${j.status.padEnd(10)} ${took.padStart(7)}${j.peakRssMb !== undefined ? `  peak ${j.peakRssMb} MB RSS, ${j.peakHeapMb ?? '?'} MB heap (cap ${WORKER_HEAP_MB})` : ''}${j.message && j.status !== 'completed' ? `  (${j.message})` : ''}`);
  }
  const dataDirs = [...new Set(launches.map((l) => l.dataDir))].join(', ');
  io.out(`done in ${formatDuration((Date.now() - started) / 1000)} with ${concurrency} job${concurrency === 1 ? '' : 's'} at a time; runs in ${dataDirs} (prefix ${launches.map((l) => l.id).join(', ')}); inspect them with "sftrl runs" or in the app`);
  if (final.some((j) => j.status === 'failed')) return 1;
  return final.some((j) => j.status === 'cancelled') ? 130 : 0;
}

const TRAIN_FLAGS = {
  preset: 'string', quick: 'boolean', seed: 'number', seeds: 'string', jobs: 'number', out: 'string', branches: 'string', backend: 'string', base: 'string', set: 'string',
  id: 'string', only: 'string', sweep: 'string',
} as const;

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

/** Reads the flags shared by `train` and `pretrain` into validated experiments, one per seed. */
function experimentsFromFlags(args: string[]) {
  const { flags } = parseFlags(args, TRAIN_FLAGS);
  if (flags.seed !== undefined && flags.seeds !== undefined) throw new UsageError('give --seed N or --seeds LIST, not both');
  let seeds: number[] | undefined;
  try {
    if (flags.seeds !== undefined) seeds = parseSeeds(String(flags.seeds));
  } catch (error) {
    if (error instanceof SeedListError) throw new UsageError(`--seeds: ${error.message}`);
    throw error;
  }
  // --id, --only and --sweep: what a sweep's task (a Slurm array task) runs, one run of a named experiment.
  if (flags.id !== undefined && (!SAFE_ID.test(String(flags.id)) || seeds)) throw new UsageError(seeds ? '--id names one experiment: give --seed, not --seeds' : `--id must be a folder-name prefix of letters, digits, ".", "_" and "-" (got "${flags.id}")`);
  if (flags.sweep !== undefined && !SAFE_ID.test(String(flags.sweep))) throw new UsageError(`--sweep must be a sweep id (got "${flags.sweep}")`);
  const only = flags.only === undefined ? undefined : String(flags.only).split(',').map((m) => m.trim());
  const preset = (() => {
    try {
      return presetOf(String(flags.preset ?? ''));
    } catch (error) {
      if (error instanceof ConfigBuildError) throw new UsageError(error.message.startsWith('preset must') ? `--${error.message}` : error.message);
      throw error;
    }
  })();
  const concurrency = concurrencyFrom(flags.jobs);
  const recipe = (seed: number | undefined) => ({
    preset: preset.id, seed, quick: Boolean(flags.quick),
    ...(flags.branches ? { branches: String(flags.branches).split(',').map((b) => b.trim()) } : {}),
    ...(flags.base ? { base: String(flags.base) } : {}),
    ...(flags.set ? { set: String(flags.set) } : {}),
  });
  const build = (seed: number | undefined) => {
    try {
      return buildExperimentConfig(recipe(seed));
    } catch (error) {
      if (error instanceof ConfigBuildError) throw new UsageError(error.message);
      throw error;
    }
  };
  const settings = openSettingsStore();
  const dataDir = flags.out ? path.resolve(String(flags.out)) : settings.get().dataDir;
  const backend = (flags.backend ?? settings.get().backend) as 'auto';
  if (!['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend must be auto, tensorflow, webgpu, wasm or cpu (got "${backend}")`);
  const now = new Date();
  const launches = (seeds ?? [typeof flags.seed === 'number' ? flags.seed : undefined]).map((seed): ExperimentLaunch => {
    const config = build(seed);
    const id = flags.id !== undefined ? String(flags.id) : experimentId(config, now) + (flags.quick ? '-quick' : '');
    if (only) {
      const methods = planExperiment(config, id).map((p) => p.method);
      const unknown = only.find((m) => !methods.includes(m as never));
      if (unknown) throw new UsageError(`--only: "${unknown}" is not a run of this experiment (its runs: ${methods.join(', ')})`);
    }
    if (flags.id !== undefined) refuseOtherRecipe(dataDir, id, config);
    return {
      dataDir, backend, wasmThreads: settings.get().wasmThreads, config, id,
      ...(only ? { only } : {}), ...(flags.sweep !== undefined ? { sweep: String(flags.sweep) } : {}),
    };
  });
  return { preset, launches, concurrency, quick: Boolean(flags.quick) };
}

/**
 * `--id` adds runs to an experiment that may already have some on disk: a run built from another
 * preset or seed (a forgotten `--seed` defaults to 0) would sit in the experiment under the wrong
 * label, drawing another seed's data, so it is refused naming what differs.
 */
function refuseOtherRecipe(dataDir: string, id: string, config: ExperimentLaunch['config']): void {
  for (const plan of planExperiment(config, id)) {
    const theirs = readRunManifest(path.join(dataDir, plan.runId))?.config as { preset?: unknown; seed?: unknown } | undefined;
    if (!theirs) continue;
    for (const key of ['preset', 'seed'] as const) {
      if (theirs[key] !== undefined && theirs[key] !== config[key]) {
        throw new UsageError(`--id ${id}: its run ${plan.runId} in ${dataDir} has ${key} ${String(theirs[key])}, this command builds ${key} ${String(config[key])}${key === 'seed' ? ` (give --seed ${String(theirs[key])})` : ''}`);
      }
    }
  }
}

/** Refuses a model context too short for the experiment's attempts; prints what the user should know about the plan. */
async function checkLaunches(io: CliIo, launches: ExperimentLaunch[]): Promise<void> {
  const first = launches[0]?.config;
  if (!first) return;
  const problem = await contextProblem(first);
  if (problem) throw new UsageError(problem);
  for (const note of planNotes(first)) io.err(`note: ${note}`);
}

export const pretrainCommand: CliCommand = {
  name: 'pretrain',
  summary: 'run only the base stage of a preset (base curriculum, then initial SFT): the init checkpoint branches start from',
  usage: `sftrl pretrain --preset ID [--quick] [--seed N | --seeds LIST] [--jobs N] [--out DIR] [--backend NAME]

Writes the <experiment>-init run. "sftrl resume" on it, or "sftrl train" with the same
experiment, continues with the branches.`,
  async run(args, io) {
    const { preset, launches, concurrency } = experimentsFromFlags(args);
    await checkLaunches(io, launches);
    io.out(`pretraining ${launches.map((l) => l.id).join(', ')}: ${preset.title}, seed${launches.length > 1 ? 's' : ''} ${launches.map((l) => l.config.seed).join(', ')}`);
    return runQueued(io, launches.map((l) => ({ ...l, only: ['init'] })), concurrency);
  },
};

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'run an experiment preset: base → initial SFT → SFT and RL branches, with ID/OOD evaluation',
  usage: `sftrl train --preset ID [--quick] [--seed N | --seeds LIST] [--jobs N] [--out DIR] [--branches LIST] [--backend auto|wasm|cpu|tensorflow|webgpu]

  --preset ID      ${PRESETS.map((p) => `${p.id}${p.available ? '' : ' (not yet runnable)'}`).join(', ')}
  --quick          smoke scale: the same graph in about a minute (its numbers mean nothing)
  --seed N         seed of initialisation, data and sampling (default 0)
  --seeds LIST     one experiment per seed, all queued at once: 0-4, 0,2,5 or 1-3,10
  --jobs N         runs training at once (default: the Concurrent jobs setting, else one per core);
                   an experiment's branches start side by side once its init run has completed
  --out DIR        data directory for the runs (default: the Data directory setting)
  --branches LIST  comma-separated (default: the preset's): sft, rl (the comparison); sft-diverse,
                   rl-single-turn (controls); rl-v1, rl-v3, rl-v5, rl-v10 (RL with 1/3/5/10 attempts per
                   episode, paper Fig. 10: the context must fit the largest, e.g. --preset gp-verification);
                   rl-no-sft (RL from the base checkpoint, before the initial SFT, paper Fig. 9: the same as
                   rl when initSft.steps is 0)
  --backend NAME   TensorFlow.js backend preference (default: the setting)
  --base NAME      start from a base shipped in models/ (e.g. gp-rule-base-s0) instead of pretraining
  --set K=V,…      edit config fields, e.g. --set rl.klBeta=0.05,rl.steps=200 (recorded in run.json)

One run of a named experiment (what each task of "sftrl sweep" runs; a branch needs its init completed):
  --id EXP         the experiment id (run folders EXP-init, EXP-rl, …) instead of a new one
  --only LIST      only these runs of the experiment: init, or branches (e.g. --only rl)
  --sweep ID       record the sweep the runs belong to in their run.json

SIGTERM (a Slurm requeue, preemption or time limit) or Ctrl+C saves a checkpoint of every running
run and stops; running the same command again resumes each run from it.`,
  async run(args, io) {
    const { preset, launches, concurrency, quick } = experimentsFromFlags(args);
    await checkLaunches(io, launches);
    const first = launches[0]?.config;
    io.out(`experiment${launches.length > 1 ? 's' : ''} ${launches.map((l) => l.id).join(', ')}: ${preset.title}${quick ? ' (quick scale)' : ''}, seed${launches.length > 1 ? 's' : ''} ${launches.map((l) => l.config.seed).join(', ')}, branches ${first?.branches.join(', ')}`);
    return runQueued(io, launches, concurrency);
  },
};

export const resumeCommand: CliCommand = {
  name: 'resume',
  summary: 'resume an interrupted experiment from its last checkpoints',
  usage: `sftrl resume DIR [--jobs N] [--backend NAME]

  DIR   any run folder of the experiment (e.g. …/gp-rule-s0-202611251200-rl); its unfinished runs
        are queued again (completed ones are skipped), branches side by side once the init is done`,
  async run(args, io) {
    const { positional, flags } = parseFlags(args, { backend: 'string', jobs: 'number' });
    const dir = positional[0];
    if (!dir) throw new UsageError('name the run folder to resume');
    const abs = path.resolve(dir);
    const manifest = readRunManifest(abs);
    if (!manifest) throw new UsageError(`${abs} is not a readable run folder (run.json missing or invalid)`);
    const found = experimentOfRun(manifest.config);
    if (!found) throw new UsageError(`${abs}/run.json does not hold a resumable experiment config`);
    const { experiment, config } = found;
    const dataDir = path.dirname(abs);
    runDir(dataDir, manifest.id); // validates the folder name
    const concurrency = concurrencyFrom(flags.jobs);
    io.out(`resuming experiment ${experiment} in ${dataDir}`);
    const settings = openSettingsStore().get();
    return runQueued(io, [{ dataDir, id: experiment, config, backend: (flags.backend as 'auto') ?? settings.backend, wasmThreads: settings.wasmThreads }], concurrency);
  },
};

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'list the runs in the data directory',
  usage: `sftrl runs [--dir DIR] [--json]`,
  async run(args, io) {
    const { flags } = parseFlags(args, { dir: 'string', json: 'boolean' });
    const dataDir = flags.dir ? path.resolve(String(flags.dir)) : openSettingsStore().get().dataDir;
    const runs = listRuns(dataDir);
    if (flags.json) {
      io.out(JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      io.out(`no runs in ${dataDir}`);
      return 0;
    }
    for (const r of runs) {
      io.out(`${r.id.padEnd(44)} ${r.status.padEnd(10)} ${r.method.padEnd(15)} seed ${String(r.seed ?? '-').padEnd(4)} ${r.metricsCount} metric lines${r.problem ? `  (${r.problem})` : ''}`);
      // A truncated last line (a crash mid-write) or an unreadable line is skipped, never silently.
      for (const w of r.metricsWarnings ?? []) io.err(`warning: ${r.id}: ${w}`);
    }
    return 0;
  },
};
