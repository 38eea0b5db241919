/** `sftrl train`, `sftrl resume`, `sftrl runs`: experiments from the command line, in a worker process. */
import path from 'node:path';
import { experimentConfigSchema, type ExperimentConfig } from '../../shared/experiments/config';
import { experimentId, experimentOfRun } from '../../shared/experiments/plan';
import { applyOverrides, OverrideError, parseOverrides } from '../../shared/experiments/overrides';
import { findPreset, PRESETS, quickScale } from '../../shared/experiments/presets';
import { JobEventBus } from '../jobs/events';
import { JobManager } from '../jobs/manager';
import { spawnNodeWorker } from '../jobs/spawn-node';
import { listRuns, readRunManifest, runDir } from '../runs/store';
import { openSettingsStore } from '../settings/store';
import { parseFlags, UsageError, type CliCommand, type CliIo } from './command';
import { progressPrinter } from './progress';

/** Runs an experiment job to its end, printing progress; Ctrl+C cancels at a checkpoint. */
async function runJobToEnd(io: CliIo, dataDir: string, id: string, config: ExperimentConfig, backend: 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu', only?: string[]): Promise<number> {
  const bus = new JobEventBus();
  const jobs = new JobManager(bus, spawnNodeWorker);
  const print = progressPrinter(io);
  const status = new Promise<string>((resolve) => {
    bus.subscribe((e) => {
      print(e);
      if (e.type === 'status' && e.status !== 'running') resolve(e.status);
    });
  });
  const info = jobs.start({ kind: 'experiment', runId: id, dataDir, resume: true, payload: { id, config, only }, backend, wasmThreads: openSettingsStore().get().wasmThreads });
  const onSigint = () => {
    io.err('cancelling: the worker saves a checkpoint first (Ctrl+C again to kill)…');
    process.once('SIGINT', () => jobs.shutdown());
    jobs.cancel(info.jobId);
  };
  process.once('SIGINT', onSigint);
  const final = await status;
  process.removeListener('SIGINT', onSigint);
  io.out(`runs in ${dataDir} (prefix ${id}); inspect them with "sftrl runs" or in the app`);
  return final === 'completed' ? 0 : final === 'cancelled' ? 130 : 1;
}

const TRAIN_FLAGS = { preset: 'string', quick: 'boolean', seed: 'number', out: 'string', branches: 'string', backend: 'string', base: 'string', set: 'string' } as const;

/** Reads the flags shared by `train` and `pretrain` into a validated experiment. */
function experimentFromFlags(args: string[]) {
  const { flags } = parseFlags(args, TRAIN_FLAGS);
  const preset = findPreset(String(flags.preset ?? ''));
  if (!preset) throw new UsageError(`--preset must be one of ${PRESETS.map((p) => p.id).join(', ')}${flags.preset ? ` (got "${flags.preset}")` : ''}`);
  if (!preset.available) throw new UsageError(`preset "${preset.id}" cannot run yet: ${preset.unavailableReason}`);
  const candidate = {
    ...preset.config,
    seed: flags.seed ?? preset.config.seed,
    ...(flags.branches ? { branches: String(flags.branches).split(',').map((b) => b.trim()) } : {}),
    // A shipped base replaces pretraining: no base steps unless the preset is edited.
    ...(flags.base ? { base: { ...preset.config.base, from: String(flags.base), steps: 0, multiTurnSteps: 0 } } : {}),
  };
  let edited: unknown = candidate;
  try {
    if (flags.set) edited = applyOverrides(candidate, parseOverrides(String(flags.set)));
  } catch (error) {
    if (error instanceof OverrideError) throw new UsageError(`--set: ${error.message}`);
    throw error;
  }
  const checked = experimentConfigSchema.safeParse(edited);
  if (!checked.success) throw new UsageError(checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const config = flags.quick ? quickScale(checked.data) : checked.data;
  const settings = openSettingsStore();
  const dataDir = flags.out ? path.resolve(String(flags.out)) : settings.get().dataDir;
  const backend = (flags.backend ?? settings.get().backend) as 'auto';
  if (!['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend must be auto, tensorflow, webgpu, wasm or cpu (got "${backend}")`);
  const id = experimentId(config, new Date()) + (flags.quick ? '-quick' : '');
  return { preset, config, dataDir, backend, id, quick: Boolean(flags.quick) };
}

export const pretrainCommand: CliCommand = {
  name: 'pretrain',
  summary: 'run only the base stage of a preset (base curriculum, then initial SFT): the init checkpoint branches start from',
  usage: `sftrl pretrain --preset ID [--quick] [--seed N] [--out DIR] [--backend NAME]

Writes the <experiment>-init run. "sftrl resume" on it, or "sftrl train" with the same
experiment, continues with the branches.`,
  async run(args, io) {
    const { preset, config, dataDir, backend, id } = experimentFromFlags(args);
    io.out(`pretraining ${id}: ${preset.title}, seed ${config.seed}`);
    return runJobToEnd(io, dataDir, id, config, backend, ['init']);
  },
};

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'run an experiment preset: base → initial SFT → SFT and RL branches, with ID/OOD evaluation',
  usage: `sftrl train --preset ID [--quick] [--seed N] [--out DIR] [--branches LIST] [--backend auto|wasm|cpu|tensorflow|webgpu]

  --preset ID      ${PRESETS.map((p) => `${p.id}${p.available ? '' : ' (not yet runnable)'}`).join(', ')}
  --quick          smoke scale: the same graph in about a minute (its numbers mean nothing)
  --seed N         seed of initialisation, data and sampling (default 0)
  --out DIR        data directory for the runs (default: the Data directory setting)
  --branches LIST  comma-separated: sft, rl, sft-diverse, rl-single-turn (default: the preset's)
  --backend NAME   TensorFlow.js backend preference (default: the setting)
  --base NAME      start from a base shipped in models/ (e.g. gp-rule-base-s0) instead of pretraining
  --set K=V,…      edit config fields, e.g. --set rl.klBeta=0.05,rl.steps=200 (recorded in run.json)`,
  async run(args, io) {
    const { preset, config, dataDir, backend, id, quick } = experimentFromFlags(args);
    io.out(`experiment ${id}: ${preset.title}${quick ? ' (quick scale)' : ''}, seed ${config.seed}, branches ${config.branches.join(', ')}`);
    return runJobToEnd(io, dataDir, id, config, backend);
  },
};

export const resumeCommand: CliCommand = {
  name: 'resume',
  summary: 'resume an interrupted experiment from its last checkpoints',
  usage: `sftrl resume DIR

  DIR   any run folder of the experiment (e.g. …/gp-rule-s0-202611251200-rl); completed runs are skipped`,
  async run(args, io) {
    const { positional, flags } = parseFlags(args, { backend: 'string' });
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
    io.out(`resuming experiment ${experiment} in ${dataDir}`);
    return runJobToEnd(io, dataDir, experiment, config, (flags.backend as 'auto') ?? openSettingsStore().get().backend);
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
    for (const r of runs) io.out(`${r.id.padEnd(44)} ${r.status.padEnd(10)} ${r.method.padEnd(15)} seed ${String(r.seed ?? '-').padEnd(4)} ${r.metricsCount} metric lines${r.problem ? `  (${r.problem})` : ''}`);
    return 0;
  },
};
