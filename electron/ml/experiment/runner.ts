/**
 * Runs an experiment's run graph (shared/experiments/plan.ts) with a task trainer: creates or
 * resumes each run folder, loops the steps, logs metrics with cumulative FLOPs (the paper's
 * x-axis), evaluates ID and OOD, writes episodes and checkpoints, and honours cancellation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExperimentConfig } from '../../../shared/experiments/config';
import { planSteps, runConfigOf, type RunPlan } from '../../../shared/experiments/plan';
import { newestVerifiedCheckpoint, readCheckpoint, writeCheckpoint } from '../../runs/checkpoints';
import { acquireRunLock } from '../../runs/lock';
import { beginRunWrites } from '../../runs/metrics-resume';
import { appendMetrics, ensureRun, readMetrics, readRunManifest, runDir, updateManifest, writeFileAtomic } from '../../runs/store';
import { generationFlops, paramCount, trainingFlops } from '../flops';
import { createAdamW, createModel, disposeAdamW, disposeModel, loadCheckpoint, packCheckpoint, RECIPE_ADAMW, saveCheckpoint, unpackCheckpoint, lrAt, type AdamWState, type PolicyModel } from '../model';
import { phaseOptimizer, phaseSchedule } from './schedule';
import type { TaskTrainer } from './task';

export interface RunnerHooks {
  progress(stage: string, step: number, total: number, metrics: Record<string, number>): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  cancelled(): boolean;
  /** Versions recorded in each run.json. */
  versions: Record<string, string>;
}

interface CheckpointExtra {
  step: number;
  seq: number;
  flops: number;
}

const pad = (n: number) => String(n).padStart(6, '0');

/** Deterministic per-(seed, run, phase) integer, so phases never share a data stream. */
function mixSeed(...parts: (number | string)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

function lastFlops(dir: string): number {
  const { records } = readMetrics(dir);
  for (let i = records.length - 1; i >= 0; i--) {
    const f = records[i]?.['compute/flops'];
    if (f !== undefined) return f;
  }
  return 0;
}

export type RunOutcome = 'completed' | 'cancelled';

/** Folder of shipped base runs (`models/<name>/`: run.json, metrics.jsonl, checkpoints/final.*). */
export function modelsDir(): string {
  return process.env.SFTRL_MODELS_DIR ? path.resolve(process.env.SFTRL_MODELS_DIR) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');
}

function shippedBaseDir(name: string): string {
  const dir = path.join(modelsDir(), name);
  if (!fs.existsSync(path.join(dir, 'checkpoints', 'final.json'))) throw new Error(`no shipped base "${name}" (looked for ${path.join(dir, 'checkpoints', 'final.json')})`);
  return dir;
}

/** Runs (or resumes) one run of the plan, holding its folder's lock (one writer per run). */
export async function runOne(dataDir: string, experiment: string, plan: RunPlan, config: ExperimentConfig, trainer: TaskTrainer, hooks: RunnerHooks): Promise<RunOutcome> {
  const now = new Date().toISOString();
  const dir = ensureRun(dataDir, {
    format: 1, id: plan.runId, name: `${config.preset} · ${plan.method} · seed ${config.seed}`, createdAt: now, updatedAt: now,
    status: 'created', task: config.task === 'generalpoints' ? 'GeneralPoints-v0' : 'VirlNav-v0', method: plan.method, seed: config.seed,
    config: runConfigOf(config, experiment, plan.parent), versions: hooks.versions,
  });
  const lock = acquireRunLock(dir);
  if (lock.replaced) hooks.log('info', `${plan.runId}: took over the lock of process ${lock.replaced.pid}, which is gone`);
  try {
    return await runLocked(dir, dataDir, plan, config, trainer, hooks);
  } finally {
    lock.release();
  }
}

async function runLocked(dir: string, dataDir: string, plan: RunPlan, config: ExperimentConfig, trainer: TaskTrainer, hooks: RunnerHooks): Promise<RunOutcome> {
  const manifest = readRunManifest(dir);
  if (manifest?.status === 'completed') return 'completed';

  const modelConfig = trainer.modelConfig(config);
  const nParams = paramCount(modelConfig);
  let model: PolicyModel;
  let optimizer: AdamWState;
  let start = 0;
  let seq = 0;
  let flops = 0;
  const resumeFrom = newestVerifiedCheckpoint(dir);
  if (resumeFrom) {
    for (const why of resumeFrom.skipped) hooks.log('warn', `${plan.runId}: skipped a damaged checkpoint: ${why}`);
    const ckpt = unpackCheckpoint(resumeFrom.stored.json, resumeFrom.stored.data);
    const loaded = loadCheckpoint(ckpt);
    model = loaded.model;
    optimizer = loaded.optimizer ?? createAdamW(model, RECIPE_ADAMW);
    const extra = ckpt.manifest.extra as CheckpointExtra;
    ({ step: start, seq, flops } = extra);
  } else {
    if (plan.parent) {
      const parentDir = runDir(dataDir, plan.parent);
      const stored = readCheckpoint(parentDir, 'final');
      model = loadCheckpoint(unpackCheckpoint(stored.json, stored.data)).model;
      flops = lastFlops(parentDir); // the paper's curves start at the init checkpoint's compute
    } else if (config.base.from) {
      const baseDir = shippedBaseDir(config.base.from);
      const stored = readCheckpoint(baseDir, 'final');
      model = loadCheckpoint(unpackCheckpoint(stored.json, stored.data)).model;
      const { initSeed: _a, ...shipped } = model.config;
      const { initSeed: _b, ...wanted } = modelConfig;
      if (JSON.stringify(shipped) !== JSON.stringify(wanted)) {
        disposeModel(model);
        throw new Error(`the shipped base ${config.base.from} is a ${shipped.dModel}-wide, ${shipped.nLayers}-layer model with context ${shipped.contextLength}; the experiment asks for ${JSON.stringify(wanted)} — match the model config to the base`);
      }
      flops = lastFlops(baseDir); // its pretraining compute counts, as the paper counts Llama's init SFT
      hooks.log('info', `${plan.runId}: starting from the shipped base ${config.base.from}`);
    } else {
      model = createModel(modelConfig);
    }
    optimizer = createAdamW(model, { ...RECIPE_ADAMW, weightDecay: phaseOptimizer(config, plan.phases[0]?.phase ?? 'sft').weightDecay });
  }
  // Everything loaded: only now may the run's files change.
  const { discarded } = beginRunWrites(dir, seq - 1);
  if (resumeFrom) hooks.log('info', `${plan.runId}: resuming at step ${start} from checkpoint ${resumeFrom.name}${discarded ? ` (${discarded} later metric lines moved to metrics.discarded.jsonl)` : ''}`);

  let reference: PolicyModel | null = null;
  const total = planSteps(plan);
  const save = (name: string, step: number, latest = true) => {
    const packed = packCheckpoint(saveCheckpoint(model, optimizer, { step, seq, flops } satisfies CheckpointExtra));
    writeCheckpoint(dir, name, packed, { latest });
  };
  const evaluate = async (step: number) => {
    const out: Record<string, number> = {};
    for (const split of ['id', 'ood'] as const) {
      const res = await trainer.evaluate({ model, config, split, actor: { kind: 'checkpoint', name: `${plan.runId}@${step}`, runId: plan.runId, step } });
      Object.assign(out, res.metrics);
      writeFileAtomic(path.join(dir, 'episodes', `eval-${split}-step${pad(step)}.jsonl`), res.episodes.map((e) => JSON.stringify(e)).join('\n') + '\n');
    }
    appendMetrics(dir, { seq: seq++, stage: plan.method, step, 'compute/flops': flops, ...out });
    return out;
  };

  try {
    let offset = 0;
    let latest: Record<string, number> = {};
    for (const phase of plan.phases) {
      const phaseStart = offset;
      offset += phase.steps;
      if (start >= offset) continue;
      const schedule = phaseSchedule(config, phase.phase, phase.steps);
      if (phase.phase === 'rl' && config.rl.klBeta > 0 && !reference && plan.parent) {
        const stored = readCheckpoint(runDir(dataDir, plan.parent), 'final');
        reference = loadCheckpoint(unpackCheckpoint(stored.json, stored.data)).model;
      }
      const seed = mixSeed(config.seed, plan.method, phase.phase);
      for (let global = Math.max(start, phaseStart); global < offset; global++) {
        if (global === 0 && plan.evaluateDuring) latest = { ...latest, ...(await evaluate(0)) };
        // A step on the cpu backend never leaves the microtask queue: let the worker's event loop
        // turn, so a cancel message or the parent's exit is seen before the next step.
        await new Promise((resolve) => setImmediate(resolve));
        if (hooks.cancelled()) {
          save(`step-${pad(global)}`, global);
          updateManifest(dir, { status: 'cancelled' });
          hooks.log('info', `${plan.runId}: cancelled at step ${global}; resume continues from here`);
          return 'cancelled';
        }
        const step = global - phaseStart;
        const lr = lrAt(schedule, step);
        const out = await trainer.step({ model, optimizer, reference, config, method: plan.method, phase: phase.phase, step, total: phase.steps, lr, seed, maxGradNorm: phaseOptimizer(config, phase.phase).clipNorm });
        flops += trainingFlops(nParams, out.trainTokens) + generationFlops(nParams, out.generatedTokens);
        const record = { seq: seq++, stage: plan.method, phase: phase.phase, step: global + 1, lr, 'compute/flops': flops, ...out.metrics };
        appendMetrics(dir, record);
        latest = { ...latest, ...out.metrics, 'compute/flops': flops };
        const done = global + 1;
        if (plan.evaluateDuring && (done % config.eval.everySteps === 0 || done === total)) latest = { ...latest, ...(await evaluate(done)) };
        if (done % config.checkpointEvery === 0 && done < total) save(`step-${pad(done)}`, done);
        hooks.progress(plan.method, done, total, latest);
      }
    }
    // Resumed from the final checkpoint: the kill came after it, before `completed` was written.
    if (!(resumeFrom && start >= total)) {
      if (!plan.evaluateDuring) await evaluate(total);
      save('final', total);
    }
    updateManifest(dir, { status: 'completed' });
    return 'completed';
  } catch (error) {
    updateManifest(dir, { status: 'failed', error: (error as Error).message });
    throw error;
  } finally {
    disposeAdamW(optimizer);
    disposeModel(model);
    if (reference) disposeModel(reference);
  }
}
