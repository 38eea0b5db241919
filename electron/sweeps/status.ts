/**
 * Where a sweep stands: each of its runs as the run store has it (status, last step) joined with
 * the Slurm state of its array task (squeue/sacct, where Slurm is on the PATH), and for a task
 * that failed, the last lines of its log. `sftrl sweep status` prints it; the dashboard polls it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { planSteps, planExperiment } from '../../shared/experiments/plan';
import { buildExperimentConfig } from '../../shared/experiments/build';
import type { SweepRunView, SweepView } from '../../shared/api/channels/sweeps';
import { listRuns, runDir } from '../runs/store';
import { taskStates, type TaskState } from './slurm';
import { listSweeps, readSlurmFile, type SweepRecord } from './store';

/** Slurm states in which a task has ended without completing. */
const FAILED_STATES = new Set(['FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE']);
const ACTIVE_STATES = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESIZING', 'SUSPENDED', 'SIGNALING', 'STAGE_OUT', 'STOPPED']);

/** The last `n` non-empty lines of a text file, reading at most its last 16 KB. */
export function tailLines(file: string, n: number): string[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, 16_384);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    return buf.toString('utf8').split('\n').map((l) => l.trimEnd()).filter((l) => l.trim()).slice(-n);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The step of the last complete metrics record (0 when none). */
function lastStep(dir: string): number {
  for (const line of tailLines(path.join(dir, 'metrics.jsonl'), 8).reverse()) {
    try {
      const step = (JSON.parse(line) as { step?: unknown }).step;
      if (typeof step === 'number') return step;
    } catch {
      // a half-written last line
    }
  }
  return 0;
}

/** Lines of a task log written by its latest attempt (after the last `== … Slurm job` header). */
function latestAttempt(file: string, n: number): string[] {
  const lines = tailLines(file, 200);
  const header = lines.map((l) => l.startsWith('== ')).lastIndexOf(true);
  return lines.slice(header + 1).slice(-n);
}

/**
 * What a failed task left in its logs: the last lines of the run's slurm.err and slurm.out from
 * its latest attempt (sftrl reports a failed run on stdout, an error before it on stderr), else
 * Slurm's own output file in the sweep folder (a task that died before opening its run's logs).
 */
function failureTail(runFolder: string, sweepDir: string, record: SweepRecord, task: string | undefined): string[] {
  const lines = [...latestAttempt(path.join(runFolder, 'slurm.err'), 6), ...latestAttempt(path.join(runFolder, 'slurm.out'), 6)];
  if (lines.length) return lines;
  if (task) return tailLines(path.join(sweepDir, 'logs', `sftrl-${record.id}-${task}.out`), 8);
  return [];
}

export async function sweepStatus(dir: string, record: SweepRecord, options: { slurm?: boolean } = {}): Promise<SweepView> {
  const slurmFile = readSlurmFile(dir);
  const jobOf = new Map(slurmFile.submissions.map((s) => [s.method, s.jobId]));
  const states: Map<string, TaskState> | null = record.spec.executor.kind === 'slurm' && options.slurm !== false ? await taskStates([...jobOf.values()]) : null;
  // The runs beside the sweep folder (sweeps/<id>/ in the runs folder), wherever the store is
  // mounted now: a laptop may read it at another path than the cluster wrote it.
  const store = path.resolve(dir, '..', '..');
  const runs = new Map(listRuns(store).map((r) => [r.id, r]));
  const out: SweepRunView[] = [];
  for (const e of record.experiments) {
    // Totals from the experiment's own plan (the same the tasks build).
    let totals = new Map<string, number>();
    try {
      totals = new Map(planExperiment(buildExperimentConfig(e.recipe), e.id).map((p) => [p.runId, planSteps(p)]));
    } catch {
      // a preset changed since submission: no totals, the rest still shows
    }
    for (const r of e.runs) {
      const summary = runs.get(r.runId);
      const jobId = jobOf.get(r.method);
      const task = jobId ? `${jobId}_${e.index}` : undefined;
      const slurm = task ? states?.get(task) : undefined;
      const folder = runDir(store, r.runId);
      const step = summary ? lastStep(folder) : 0;
      const failed = summary?.status === 'failed' || (slurm && FAILED_STATES.has(slurm.state));
      out.push({
        runId: r.runId, method: r.method, experiment: e.id, index: e.index, seed: e.seed, point: e.point,
        status: summary?.status ?? 'not started', step, total: totals.get(r.runId) ?? null,
        ...(task ? { task } : {}), ...(slurm ? { slurmState: slurm.state, ...(slurm.reason ? { slurmReason: slurm.reason } : {}) } : {}),
        ...(failed ? { logTail: failureTail(folder, dir, record, task) } : {}),
        ...(summary?.problem ? { problem: summary.problem } : {}),
      });
    }
  }
  const ended = (r: SweepRunView) => {
    if (r.slurmState) return !ACTIVE_STATES.has(r.slurmState);
    // Slurm answers and no longer knows the task: it ended minutes ago (squeue forgets only ended jobs).
    if (states && r.task) return true;
    return r.status !== 'running' && r.status !== 'created' && r.status !== 'not started';
  };
  // A Slurm sweep with nothing submitted (refused) or cancelled has nothing more coming.
  const settled = record.spec.executor.kind === 'slurm' && (jobOf.size === 0 || slurmFile.cancelledAt !== undefined) && out.every((r) => !r.slurmState || !ACTIVE_STATES.has(r.slurmState));
  return {
    id: record.id, createdAt: record.createdAt, preset: record.spec.preset, executor: record.spec.executor.kind, quick: record.spec.quick,
    grid: record.spec.grid, seeds: record.experiments.map((e) => e.seed).filter((s, i, a) => a.indexOf(s) === i),
    jobIds: [...jobOf.values()], slurmVisible: states !== null, ...(slurmFile.cancelledAt ? { cancelledAt: slurmFile.cancelledAt } : {}),
    runs: out,
    done: settled || out.every((r) => r.status === 'completed' || ended(r)),
  };
}

/** Every sweep of a data directory with its runs' state (newest first). */
export async function listSweepStatus(dataDir: string): Promise<{ sweeps: SweepView[]; problems: string[] }> {
  const { sweeps, problems } = listSweeps(dataDir);
  const views: SweepView[] = [];
  for (const { dir, record } of sweeps) {
    try {
      views.push(await sweepStatus(dir, record));
    } catch (error) {
      problems.push(`${record.id}: ${(error as Error).message}`);
    }
  }
  return { sweeps: views, problems };
}
