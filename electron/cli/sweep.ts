/**
 * `sftrl sweep plan|submit|status|cancel`: a preset over seeds × a grid of `--set` values, run by
 * the local run queue or as Slurm job arrays (electron/sweeps/). The spec comes from a JSON file,
 * flags, or both (flags win).
 */
import fs from 'node:fs';
import path from 'node:path';
import { planSteps } from '../../shared/experiments/plan';
import { expandSweep, parseSweepSpec, sweepId, SweepSpecError, type SweepSpec, type SweepSpecInput } from '../../shared/experiments/sweep';
import type { SweepView } from '../../shared/api/channels/sweeps';
import { openSettingsStore } from '../settings/store';
import { SlurmError, scancel, submitSlurm, SCRIPT_FILE } from '../sweeps/slurm';
import { sweepStatus, listSweepStatus } from '../sweeps/status';
import { createSweep, findSweep, readSlurmFile, SweepStoreError, writeSlurmFile } from '../sweeps/store';
import { parseFlags, UsageError, type CliCommand, type CliIo } from './command';
import { runQueued } from './train';
import { resolveConcurrency } from '../jobs/manager';

const SPEC_FLAGS = {
  name: 'string', preset: 'string', seeds: 'string', branches: 'string', set: 'string', grid: 'string', quick: 'boolean', base: 'string', backend: 'string',
  executor: 'string', partition: 'string', time: 'string', cpus: 'number', mem: 'string', setup: 'string', 'signal-seconds': 'number', jobs: 'number',
  out: 'string', json: 'boolean', wait: 'boolean',
} as const;

/** `--sbatch LINE` may be given several times; parseFlags takes each flag once, so they are taken out first. */
function takeRepeated(args: string[], flag: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === `--${flag}`) {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`flag --${flag} needs a value`);
      values.push(v);
    } else if (a.startsWith(`--${flag}=`)) values.push(a.slice(flag.length + 3));
    else rest.push(a);
  }
  return { values, rest };
}

/** `rl.klBeta=0|0.05,rl.steps=5|10` → { 'rl.klBeta': [0, 0.05], 'rl.steps': [5, 10] } (numbers and booleans as such). */
export function parseGrid(text: string): Record<string, (string | number | boolean)[]> {
  const grid: Record<string, (string | number | boolean)[]> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--grid: "${item}" is not FIELD=V1|V2 (e.g. rl.klBeta=0|0.05)`);
    const values = item.slice(eq + 1).split('|').map((v) => v.trim());
    if (values.some((v) => v === '')) throw new UsageError(`--grid: "${item}" has an empty value`);
    grid[item.slice(0, eq).trim()] = values.map((v) => (v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v));
  }
  return grid;
}

/** The sweep spec from an optional JSON file and flags (flags override the file's fields). */
function specFrom(args: string[]): { spec: SweepSpec; flags: Record<string, string | number | boolean>; dataDir: string } {
  const { values: sbatchLines, rest } = takeRepeated(args, 'sbatch');
  const { flags, positional } = parseFlags(rest, SPEC_FLAGS);
  if (positional.length > 1) throw new UsageError(`one spec file at most (got ${positional.join(', ')})`);
  let base: Record<string, unknown> = {};
  if (positional[0]) {
    const file = path.resolve(positional[0]);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the sweep spec ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    try {
      base = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`the sweep spec ${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (base === null || typeof base !== 'object' || Array.isArray(base)) throw new UsageError(`the sweep spec ${file} must hold a JSON object`);
  }
  const executorIn = (base.executor ?? {}) as Record<string, unknown>;
  const kind = (flags.executor as string | undefined) ?? (executorIn.kind as string | undefined) ?? 'local';
  if (kind !== 'local' && kind !== 'slurm') throw new UsageError(`--executor must be local or slurm (got "${kind}")`);
  const slurmFlags = ['partition', 'time', 'cpus', 'mem', 'setup', 'signal-seconds'].filter((f) => flags[f] !== undefined);
  if (kind === 'local' && (slurmFlags.length || sbatchLines.length)) throw new UsageError(`${[...slurmFlags.map((f) => `--${f}`), ...(sbatchLines.length ? ['--sbatch'] : [])].join(', ')} only apply to --executor slurm`);
  if (kind === 'slurm' && flags.jobs !== undefined) throw new UsageError('--jobs applies to the local executor; with slurm every run is its own array task');
  const executor: Record<string, unknown> =
    kind === 'local'
      ? { ...(executorIn.kind === 'local' ? executorIn : {}), kind, ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}) }
      : {
          ...(executorIn.kind === 'slurm' ? executorIn : {}), kind,
          ...(flags.partition !== undefined ? { partition: String(flags.partition) } : {}),
          ...(flags.time !== undefined ? { time: String(flags.time) } : {}),
          ...(flags.cpus !== undefined ? { cpusPerTask: flags.cpus } : {}),
          ...(flags.mem !== undefined ? { mem: String(flags.mem) } : {}),
          ...(flags.setup !== undefined ? { setup: String(flags.setup) } : {}),
          ...(flags['signal-seconds'] !== undefined ? { signalSeconds: flags['signal-seconds'] } : {}),
          ...(sbatchLines.length ? { sbatch: [...((executorIn.sbatch as string[] | undefined) ?? []), ...sbatchLines] } : {}),
        };
  const input: SweepSpecInput = {
    ...(base as SweepSpecInput),
    ...(flags.name !== undefined ? { name: String(flags.name) } : {}),
    ...(flags.preset !== undefined ? { preset: String(flags.preset) } : {}),
    ...(flags.seeds !== undefined ? { seeds: String(flags.seeds) } : {}),
    ...(flags.branches !== undefined ? { branches: String(flags.branches).split(',').map((b) => b.trim()) as SweepSpecInput['branches'] } : {}),
    ...(flags.set !== undefined ? { set: String(flags.set) } : {}),
    ...(flags.grid !== undefined ? { grid: parseGrid(String(flags.grid)) } : {}),
    ...(flags.quick !== undefined ? { quick: Boolean(flags.quick) } : {}),
    ...(flags.base !== undefined ? { base: String(flags.base) } : {}),
    ...(flags.backend !== undefined ? { backend: String(flags.backend) as SweepSpecInput['backend'] } : {}),
    executor: executor as SweepSpecInput['executor'],
  };
  if (!input.preset) throw new UsageError('name a --preset (or a spec file with "preset")');
  let spec: SweepSpec;
  try {
    spec = parseSweepSpec(input);
  } catch (error) {
    if (error instanceof SweepSpecError) throw new UsageError(error.message);
    throw error;
  }
  const dataDir = flags.out ? path.resolve(String(flags.out)) : openSettingsStore().get().dataDir;
  return { spec, flags, dataDir };
}

function describePoint(point: Record<string, unknown>): string {
  const entries = Object.entries(point);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(' ') : '-';
}

const planCommand = {
  usage: 'sftrl sweep plan [SPEC.json] [spec flags]',
  run(args: string[], io: CliIo): number {
    const { spec, flags, dataDir } = specFrom(args);
    let experiments;
    try {
      experiments = expandSweep(spec, sweepId(spec, new Date()));
    } catch (error) {
      if (error instanceof SweepSpecError) throw new UsageError(error.message);
      throw error;
    }
    const runs = experiments.flatMap((e) => e.runs.map((r) => ({ experiment: e, run: r })));
    if (flags.json) {
      io.out(JSON.stringify({ spec, dataDir, experiments: experiments.map((e) => ({ index: e.index, id: e.id, seed: e.seed, point: e.point, set: e.recipe.set ?? '', runs: e.runs.map((r) => ({ runId: r.runId, method: r.method, parent: r.parent, steps: planSteps(r) })) })) }, null, 2));
      return 0;
    }
    io.out(`sweep of ${spec.preset}${spec.quick ? ' (quick scale)' : ''}: ${experiments.length} experiment${experiments.length === 1 ? '' : 's'} (${new Set(experiments.map((e) => e.seed)).size} seed(s) × ${experiments.length / new Set(experiments.map((e) => e.seed)).size} grid point(s)), ${runs.length} runs, executor ${spec.executor.kind}, run store ${dataDir}`);
    for (const { experiment: e, run: r } of runs) {
      io.out(`  [${String(e.index).padStart(3)}] ${r.runId.padEnd(48)} ${r.method.padEnd(14)} seed ${String(e.seed).padEnd(4)} ${String(planSteps(r)).padStart(6)} steps  ${describePoint(e.point)}${r.parent ? `  (after ${r.parent})` : ''}`);
    }
    if (spec.executor.kind === 'slurm') io.out(`slurm: ${experiments[0]?.runs.length ?? 0} job arrays of ${experiments.length} task${experiments.length === 1 ? '' : 's'} (init, then each branch after its own init)`);
    return 0;
  },
};

function formatRun(r: SweepView['runs'][number]): string {
  const progress = r.total ? `${r.step}/${r.total}` : `${r.step}`;
  const slurm = r.slurmState ? `${r.slurmState}${r.slurmReason ? ` (${r.slurmReason})` : ''}` : r.task ? '-' : '';
  return `  ${r.runId.padEnd(48)} ${r.status.padEnd(12)} ${progress.padStart(11)}  ${r.task ? `${r.task.padEnd(10)} ${slurm}` : ''}`.trimEnd();
}

function printStatus(io: CliIo, view: SweepView, dir: string): void {
  const counts = new Map<string, number>();
  for (const r of view.runs) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  io.out(`sweep ${view.id} (${view.executor}${view.jobIds.length ? `, Slurm arrays ${view.jobIds.join(', ')}` : ''}) in ${dir}: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}${view.cancelledAt ? `; cancelled at ${view.cancelledAt}` : ''}${view.done ? '; done' : ''}`);
  if (view.executor === 'slurm' && !view.slurmVisible) io.out('  (squeue is not on the PATH here: states are the run store\'s)');
  io.out(`  ${'run'.padEnd(48)} ${'status'.padEnd(12)} ${'step'.padStart(11)}  ${view.executor === 'slurm' ? 'task       slurm' : ''}`.trimEnd());
  for (const r of view.runs) {
    io.out(formatRun(r));
    for (const line of r.logTail ?? []) io.out(`      | ${line}`);
  }
}

/** Waits until every run of the sweep has ended, printing each run's changes; exit 0 when all completed. */
async function waitFor(io: CliIo, dir: string, pollMs: number): Promise<number> {
  const seen = new Map<string, string>();
  const { record } = findSweep(dir, dir);
  for (;;) {
    const view = await sweepStatus(dir, record);
    for (const r of view.runs) {
      const line = formatRun(r);
      if (seen.get(r.runId) !== line) io.out(line);
      seen.set(r.runId, line);
    }
    if (view.done) {
      const bad = view.runs.filter((r) => r.status !== 'completed');
      for (const r of bad) for (const l of r.logTail ?? []) io.out(`  ${r.runId} | ${l}`);
      io.out(bad.length ? `sweep ${view.id} ended: ${bad.length} of ${view.runs.length} runs did not complete` : `sweep ${view.id} completed: ${view.runs.length} runs`);
      return bad.length ? 1 : 0;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

const submitCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const { spec, flags, dataDir } = specFrom(args);
    let created;
    try {
      created = createSweep(dataDir, spec);
    } catch (error) {
      if (error instanceof SweepSpecError) throw new UsageError(error.message);
      throw error;
    }
    const { dir, record, experiments } = created;
    io.out(`sweep ${record.id}: ${experiments.length} experiments, ${experiments.reduce((n, e) => n + e.runs.length, 0)} runs (folder ${dir})`);
    if (spec.executor.kind === 'local') {
      const settings = openSettingsStore().get();
      const concurrency = spec.executor.jobs ?? resolveConcurrency(settings.concurrentJobs);
      const backend = (spec.backend ?? settings.backend) as 'auto';
      return runQueued(io, experiments.map((e) => ({ dataDir, id: e.id, config: e.config, backend, wasmThreads: settings.wasmThreads, sweep: record.id })), concurrency);
    }
    let submissions;
    try {
      submissions = submitSlurm(dir, record, spec.executor);
    } catch (error) {
      if (error instanceof SlurmError) {
        io.err(`sftrl sweep submit: ${error.message}`);
        io.err(`nothing of the sweep is queued; its script is ${path.join(dir, SCRIPT_FILE)}`);
        return 1;
      }
      throw error;
    }
    for (const s of submissions) io.out(`  ${s.method.padEnd(14)} Slurm array ${s.jobId} (tasks ${s.jobId}_0…${s.jobId}_${experiments.length - 1})`);
    io.out(`submitted; watch with "sftrl sweep status ${record.id}${flags.out ? ` --out ${dataDir}` : ''}" or in the app (Runs page), cancel with "sftrl sweep cancel ${record.id}"`);
    if (flags.wait) return waitFor(io, dir, 2000);
    return 0;
  },
};

function sweepRef(args: string[], extra: Record<string, 'string' | 'number' | 'boolean'> = {}) {
  const { flags, positional } = parseFlags(args, { out: 'string', json: 'boolean', ...extra });
  const dataDir = flags.out ? path.resolve(String(flags.out)) : openSettingsStore().get().dataDir;
  return { flags, ref: positional[0], dataDir };
}

const statusCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const { flags, ref, dataDir } = sweepRef(args, { wait: 'boolean' });
    if (!ref) {
      const { sweeps, problems } = await listSweepStatus(dataDir);
      if (flags.json) io.out(JSON.stringify({ sweeps, problems }, null, 2));
      else if (sweeps.length === 0) io.out(`no sweeps in ${dataDir}`);
      else for (const s of sweeps) io.out(`${s.id.padEnd(44)} ${s.executor.padEnd(6)} ${s.runs.filter((r) => r.status === 'completed').length}/${s.runs.length} runs completed${s.done ? '' : ', in progress'}${s.cancelledAt ? ', cancelled' : ''}`);
      for (const p of problems) io.err(`warning: ${p}`);
      return 0;
    }
    const { dir, record } = findSweep(ref, dataDir);
    if (flags.wait) return waitFor(io, dir, 2000);
    const view = await sweepStatus(dir, record);
    if (flags.json) io.out(JSON.stringify(view, null, 2));
    else printStatus(io, view, dir);
    return 0;
  },
};

const cancelCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const { ref, dataDir } = sweepRef(args);
    if (!ref) throw new UsageError('name the sweep to cancel (its id or folder)');
    const { dir, record } = findSweep(ref, dataDir);
    if (record.spec.executor.kind === 'local') {
      io.out(`sweep ${record.id} ran in the local run queue: stop it with Ctrl+C where it runs (or cancel its jobs on the Runs page); "sftrl resume" continues a run`);
      return 0;
    }
    const file = readSlurmFile(dir);
    const ids = file.submissions.map((s) => s.jobId);
    scancel(ids);
    writeSlurmFile(dir, { ...file, cancelledAt: new Date().toISOString() });
    io.out(`cancelled sweep ${record.id}: Slurm arrays ${ids.join(', ') || '(none submitted)'}; running tasks save a checkpoint first (resubmit ${path.join(dir, SCRIPT_FILE)} to continue)`);
    return 0;
  },
};

const resubmitCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const { ref, dataDir } = sweepRef(args);
    if (!ref) throw new UsageError('name the sweep to resubmit (its id or folder)');
    const { dir, record } = findSweep(ref, dataDir);
    if (record.spec.executor.kind !== 'slurm') throw new UsageError(`sweep ${record.id} ran on the local run queue: "sftrl resume <run folder>" continues its runs`);
    const view = await sweepStatus(dir, record);
    const active = view.runs.filter((r) => r.slurmState && ['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'SUSPENDED'].includes(r.slurmState));
    if (active.length) throw new UsageError(`sweep ${record.id} still has ${active.length} task(s) in Slurm (${active.map((r) => `${r.task} ${r.slurmState}`).join(', ')}); cancel it first`);
    const left = view.runs.filter((r) => r.status !== 'completed').length;
    if (left === 0) {
      io.out(`every run of sweep ${record.id} has completed: nothing to resubmit`);
      return 0;
    }
    let submissions;
    try {
      submissions = submitSlurm(dir, record, record.spec.executor);
    } catch (error) {
      if (error instanceof SlurmError) {
        io.err(`sftrl sweep resubmit: ${error.message}`);
        return 1;
      }
      throw error;
    }
    const { cancelledAt: _done, ...file } = readSlurmFile(dir);
    writeSlurmFile(dir, file);
    io.out(`resubmitted sweep ${record.id} (${left} run${left === 1 ? '' : 's'} not completed; completed ones end at once, stopped ones resume from their checkpoints): Slurm arrays ${submissions.map((s) => `${s.method} ${s.jobId}`).join(', ')}`);
    return 0;
  },
};

const SUBCOMMANDS = ['plan', 'submit', 'status', 'cancel', 'resubmit'] as const;

export const sweepCommand: CliCommand = {
  name: 'sweep',
  summary: 'a preset over seeds × a grid of --set values, on the local run queue or as Slurm job arrays',
  usage: `sftrl sweep plan   [SPEC.json] [spec flags]             print the runs the sweep will make
sftrl sweep submit [SPEC.json] [spec flags] [--wait]    create the sweep in the run store and run it
sftrl sweep status [ID|DIR] [--out DIR] [--json] [--wait]  its runs: status, step, Slurm state (no ID: every sweep)
sftrl sweep cancel ID|DIR [--out DIR]                   scancel its arrays (running tasks checkpoint first)
sftrl sweep resubmit ID|DIR [--out DIR]                 submit a cancelled or failed Slurm sweep again: its
                                                        unfinished runs resume, completed ones are skipped

spec flags (a SPEC.json file holds the same fields; flags override it):
  --preset ID          the experiment preset (e.g. gp-rule)
  --seeds LIST         0-4, 0,2,5 … (default 0)
  --branches LIST      sft, rl, sft-diverse, rl-single-turn (default: the preset's)
  --set K=V,…          edits every experiment shares (as in sftrl train)
  --grid K=V1|V2,…     swept fields: every combination is one experiment per seed, e.g. --grid rl.klBeta=0|0.05
  --quick              smoke scale (see sftrl train --quick)
  --base NAME          start from a shipped base (models/NAME)
  --backend NAME       TensorFlow.js backend of every run
  --name NAME          prefix of the sweep id (default: the preset)
  --out DIR            the run store (default: the Data directory setting); with slurm, a folder
                       every compute node can write at the same path
  --executor local     the run queue on this machine (default); --jobs N runs at once; the command
                       waits, like sftrl train
  --executor slurm     one job array per run kind, submitted with sbatch:
    --partition P  --time T (e.g. 2:00:00)  --cpus N (per task, default 1)  --mem M (e.g. 4G)
    --sbatch LINE        an extra #SBATCH line, e.g. --sbatch --account=lab (repeatable)
    --setup LINE         a shell line each task runs first, e.g. --setup "module load nodejs"
    --signal-seconds N   checkpoint and requeue this long before the time limit (default 90)

SPEC.json example:
  { "preset": "gp-rule", "seeds": "0-2", "branches": ["sft", "rl"], "grid": { "rl.klBeta": [0, 0.05] },
    "executor": { "kind": "slurm", "partition": "gpu", "time": "4:00:00", "mem": "4G", "setup": "module load nodejs/20" } }

The sweep's folder is sweeps/<id>/ in the run store (spec, sweep.sbatch, slurm.json); each run
records the sweep id in its run.json, and the Runs page groups them, live.`,
  async run(args, io) {
    const [sub, ...rest] = args;
    try {
      switch (sub) {
        case 'plan':
          return planCommand.run(rest, io);
        case 'submit':
          return await submitCommand.run(rest, io);
        case 'status':
          return await statusCommand.run(rest, io);
        case 'cancel':
          return await cancelCommand.run(rest, io);
        case 'resubmit':
          return await resubmitCommand.run(rest, io);
        default:
          throw new UsageError(sub && !sub.startsWith('-') ? `unknown sweep command "${sub}" (known: ${SUBCOMMANDS.join(', ')})` : `name a sweep command: ${SUBCOMMANDS.join(', ')}`);
      }
    } catch (error) {
      if (error instanceof SweepStoreError || error instanceof SlurmError) throw new Error(error.message);
      throw error;
    }
  },
};
