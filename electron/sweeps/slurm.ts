/**
 * The Slurm executor of a sweep. One job script per sweep (`sweep.sbatch` in its folder), submitted
 * once per run kind as a job array indexed by experiment: `sbatch --array=0-(E-1) sweep.sbatch init`,
 * then each branch with `--dependency=aftercorr:<init array>` — aftercorr is afterok task by
 * task, so experiment k's branches start as soon as experiment k's init has completed. Each task
 * runs the ordinary `sftrl train … --id EXP --only METHOD` for its run, writing into the shared
 * run store; its stdout/stderr go to `slurm.out`/`slurm.err` in the run's folder.
 *
 * Stopping and resuming: a requeue, preemption or scancel sends SIGTERM to every process of the
 * task, and the time limit is announced `signalSeconds` ahead (`--signal=B:USR1@…`, which the
 * script turns into SIGTERM for sftrl and a self-requeue): sftrl saves a checkpoint of the
 * current step and stops, and the requeued task runs the same command, which resumes from it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SlurmExecutor } from '../../shared/experiments/sweep';
import { writeFileAtomic } from '../runs/atomic';
import { runsRoot } from '../runs/store';
import { readSlurmFile, writeSlurmFile, type SlurmSubmission, type SweepRecord } from './store';

export class SlurmError extends Error {}

// Asynchronous: the dashboard asks Slurm from the main process, which must stay responsive.
const run = promisify(execFile);

export const SCRIPT_FILE = 'sweep.sbatch';

/** The sftrl entry point this install runs (compute nodes must see it at the same path). */
export function sftrlEntry(): string {
  return process.env.SFTRL_BIN ? path.resolve(process.env.SFTRL_BIN) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'sftrl.mjs');
}

/** A command's absolute path on the PATH, or null. */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function requireCommand(command: string): string {
  const found = onPath(command);
  if (!found) throw new SlurmError(`${command} is not on the PATH: run this on a Slurm login node (or load Slurm first, e.g. "module load slurm"), or use the local executor`);
  return found;
}

/** Single-quotes a word for bash. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `sftrl train` arguments of one experiment of the sweep (without --only). */
export function trainArgs(record: SweepRecord, index: number): string[] {
  const e = record.experiments[index];
  if (!e) throw new SlurmError(`no experiment ${index} in sweep ${record.id}`);
  const r = e.recipe;
  return [
    '--preset', r.preset, '--seed', String(e.seed), ...(r.quick ? ['--quick'] : []), ...(r.branches ? ['--branches', r.branches.join(',')] : []),
    ...(r.base ? ['--base', r.base] : []), ...(r.set ? ['--set', r.set] : []), '--id', e.id,
  ];
}

/** The job script: readable on its own, and the same file every array of the sweep runs. */
export function slurmScript(record: SweepRecord, dir: string, executor: SlurmExecutor, entry = sftrlEntry()): string {
  const n = record.experiments.length;
  const branches = record.methods.filter((m) => m !== 'init');
  const sbatch = [
    `--job-name=sftrl-${record.id}`,
    `--output=${path.join(dir, 'logs', '%x-%A_%a.out')}`,
    '--requeue',
    '--open-mode=append',
    `--signal=B:USR1@${executor.signalSeconds}`,
    `--cpus-per-task=${executor.cpusPerTask}`,
    ...(executor.partition ? [`--partition=${executor.partition}`] : []),
    ...(executor.time ? [`--time=${executor.time}`] : []),
    ...(executor.mem ? [`--mem=${executor.mem}`] : []),
    ...executor.sbatch,
  ];
  const common = ['--sweep', record.id, '--out', record.dataDir, '--jobs', '1', ...(record.spec.backend ? ['--backend', record.spec.backend] : [])];
  const q = (words: string[]) => words.map(shellQuote).join(' ');
  return `#!/bin/bash
# sftrl sweep ${record.id}: ${n} experiment${n === 1 ? '' : 's'} of preset ${record.spec.preset} (${record.methods.join(', ')}), as Slurm job arrays.
# Written by "sftrl sweep submit"; each array task runs the ordinary "sftrl train" for one run.
# The argument names the run (init or a branch), the array index the experiment. To submit by hand:
#   init=$(sbatch --parsable --array=0-${n - 1} ${path.join(dir, SCRIPT_FILE)} init)
${branches.map((b) => `#   sbatch --array=0-${n - 1} --dependency=aftercorr:$init --kill-on-invalid-dep=yes ${path.join(dir, SCRIPT_FILE)} ${b}`).join('\n')}
# A run that has completed is skipped; one that was stopped resumes from its last checkpoint.
${sbatch.map((s) => `#SBATCH ${s}`).join('\n')}

STORE=${shellQuote(record.dataDir)}
RUNS=${shellQuote(runsRoot(record.dataDir))}
SFTRL=${shellQuote(entry)}
method="\${1:?usage: sbatch --array=0-${n - 1} ${SCRIPT_FILE} init|${branches.join('|')}}"
task="\${SLURM_ARRAY_TASK_ID:?this script runs as a Slurm array task}"
common=(${q(common)})
case "$task" in
${record.experiments.map((e, i) => `  ${i}) exp=${shellQuote(e.id)}; args=(${q(trainArgs(record, i))}) ;;`).join('\n')}
  *) echo "sweep ${record.id} has no experiment $task" >&2; exit 2 ;;
esac

# stdout and stderr of the task beside its run (appended across requeues).
run_dir="$RUNS/$exp-$method"
mkdir -p "$run_dir" || { echo "cannot create $run_dir: is the run store writable from $(hostname)?" >&2; exit 1; }
exec >>"$run_dir/slurm.out" 2>>"$run_dir/slurm.err"
header="== $(date -u +%Y-%m-%dT%H:%M:%SZ) Slurm job \${SLURM_ARRAY_JOB_ID}_$task (id $SLURM_JOB_ID, restart \${SLURM_RESTART_COUNT:-0}) on $(hostname): $exp-$method"
echo "$header"; echo "$header" >&2
${executor.setup ? `${executor.setup} || { echo "the setup line failed: ${executor.setup.replace(/["$`\\]/g, '\\$&')}" >&2; exit 1; }\n` : ''}NODE=$(command -v node || echo ${shellQuote(process.execPath)})

"$NODE" "$SFTRL" train "\${args[@]}" --only "$method" "\${common[@]}" &
child=$!
requeue=0
# Requeue, preemption, scancel: SIGTERM reaches sftrl too; forward it in case it came to this shell only.
trap 'kill -TERM "$child" 2>/dev/null' TERM
# The time limit is near: sftrl checkpoints and stops, then the task goes back into the queue.
trap 'requeue=1; echo "time limit near: checkpointing, then requeueing"; kill -TERM "$child" 2>/dev/null' USR1
while kill -0 "$child" 2>/dev/null; do wait "$child"; done
wait "$child"; code=$?
if [ "$requeue" = 1 ]; then scontrol requeue "$SLURM_JOB_ID"; fi
exit $code
`;
}

function parseJobId(stdout: string): string {
  const id = stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch answered "${stdout.trim()}" instead of a job id`);
  return id;
}

/** Runs sbatch; a refusal is a SlurmError carrying Slurm's own message. */
function sbatch(binary: string, args: string[], what: string): string {
  const res = spawnSync(binary, args, { encoding: 'utf8' });
  if (res.error) throw new SlurmError(`sbatch could not run: ${res.error.message}`);
  if (res.status !== 0) {
    const message = (res.stderr || res.stdout || '').trim().split('\n').map((l) => l.replace(/^sbatch: error: /, '')).join('; ');
    throw new SlurmError(`Slurm refused the ${what}: ${message || `sbatch exited with code ${res.status}`}`);
  }
  return parseJobId(res.stdout);
}

/** Cancels Slurm jobs (array job ids cancel every task); errors from already-finished jobs are ignored. */
export function scancel(jobIds: string[]): void {
  if (jobIds.length === 0) return;
  const binary = requireCommand('scancel');
  const res = spawnSync(binary, jobIds, { encoding: 'utf8' });
  if (res.error) throw new SlurmError(`scancel could not run: ${res.error.message}`);
  const serious = (res.stderr ?? '').split('\n').filter((l) => l.trim() && !/already completed|Invalid job id|Job\/step already completing or completed/i.test(l));
  if (res.status !== 0 && serious.length) throw new SlurmError(`scancel failed: ${serious.join('; ')}`);
}

/**
 * Writes the job script and submits one array per run kind (init, then the branches depending on
 * it task by task). When Slurm refuses an array, the ones already submitted are cancelled and the
 * refusal is thrown with Slurm's message: a sweep is submitted whole or not at all.
 */
export function submitSlurm(dir: string, record: SweepRecord, executor: SlurmExecutor): SlurmSubmission[] {
  const binary = requireCommand('sbatch');
  // #SBATCH lines and the task's paths are words: a path with blanks would be cut apart.
  for (const [what, p] of [['run store', record.dataDir], ['sweep folder', dir], ['sftrl install', sftrlEntry()]] as const) {
    if (/\s/.test(p)) throw new SlurmError(`the ${what} path "${p}" contains blanks, which sbatch's #SBATCH lines cannot hold; use a path without spaces`);
  }
  const script = path.join(dir, SCRIPT_FILE);
  writeFileAtomic(script, slurmScript(record, dir, executor));
  fs.chmodSync(script, 0o755);
  const n = record.experiments.length;
  const submissions: SlurmSubmission[] = [];
  try {
    for (const method of record.methods) {
      const init = submissions.find((s) => s.method === 'init');
      const args = ['--parsable', `--array=0-${n - 1}`, ...(method !== 'init' && init ? [`--dependency=aftercorr:${init.jobId}`, '--kill-on-invalid-dep=yes'] : []), script, method];
      const jobId = sbatch(binary, args, `${method} array of sweep ${record.id}`);
      submissions.push({ method, jobId, submittedAt: new Date().toISOString(), command: ['sbatch', ...args] });
      writeSlurmFile(dir, { ...readSlurmFile(dir), submissions: [...readSlurmFile(dir).submissions, submissions[submissions.length - 1] as SlurmSubmission] });
    }
  } catch (error) {
    if (submissions.length) {
      try {
        scancel(submissions.map((s) => s.jobId));
        writeSlurmFile(dir, { ...readSlurmFile(dir), cancelledAt: new Date().toISOString() });
      } catch {
        // the refusal is what the user needs to read; the ids are in slurm.json
      }
    }
    throw error;
  }
  return submissions;
}

export interface TaskState {
  /** `<array job id>_<index>`. */
  task: string;
  /** Slurm's state: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, REQUEUED … */
  state: string;
  /** Why it waits or ended (squeue's reason), when Slurm gives one. */
  reason?: string;
}

/**
 * The Slurm state of every task of the given arrays, from squeue (which remembers ended jobs for
 * a few minutes) and then sacct where accounting is on. Tasks neither knows are left out: their
 * run folders then say how they ended. Null when squeue is not on the PATH (a laptop watching a
 * copied or mounted store).
 */
export async function taskStates(jobIds: string[]): Promise<Map<string, TaskState> | null> {
  const squeue = onPath('squeue');
  if (!squeue) return null;
  const out = new Map<string, TaskState>();
  if (jobIds.length === 0) return out;
  try {
    const { stdout: text } = await run(squeue, ['-h', '-r', '-t', 'all', '-j', jobIds.join(','), '-o', '%i|%T|%r'], { encoding: 'utf8', timeout: 15_000 });
    for (const line of text.split('\n')) {
      const [task, state, reason] = line.trim().split('|');
      if (!task || !state || !/^\d+_\d+$/.test(task)) continue;
      out.set(task, { task, state, ...(reason && reason !== 'None' ? { reason } : {}) });
    }
  } catch {
    // squeue refuses ids it has forgotten; sacct below may still know them
  }
  const sacct = onPath('sacct');
  if (sacct) {
    try {
      const { stdout: text } = await run(sacct, ['-n', '-P', '-X', '-j', jobIds.join(','), '-o', 'JobID,State,ExitCode'], { encoding: 'utf8', timeout: 15_000 });
      for (const line of text.split('\n')) {
        const [task, state, exit] = line.trim().split('|');
        if (!task || !state || !/^\d+_\d+$/.test(task) || out.has(task)) continue;
        out.set(task, { task, state: state.split(' ')[0] as string, ...(exit && exit !== '0:0' ? { reason: `exit ${exit}` } : {}) });
      }
    } catch {
      // accounting storage disabled: squeue and the run store are all there is
    }
  }
  return out;
}
