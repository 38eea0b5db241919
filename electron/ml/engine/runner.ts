/**
 * Runs an experiment's run graph (shared/experiments/plan.ts) for a task: creates or resumes
 * each run folder, loops the steps, logs metrics with cumulative FLOPs (the paper's x-axis),
 * evaluates ID and OOD, writes episodes and checkpoints, and honours cancellation. The runner
 * alone decides each step's learning rate and clip (schedule.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExperimentConfig } from '../../../shared/experiments/config';
import { BASE_CHECKPOINT, planSteps, runConfigOf, type Phase, type RunPlan } from '../../../shared/experiments/plan';
import { newestVerifiedCheckpoint, readCheckpoint, writeCheckpoint } from '../../runs/checkpoints';
import { acquireRunLock } from '../../runs/lock';
import { beginRunWrites } from '../../runs/metrics-resume';
import { appendMetrics, ensureRun, readMetrics, readRunManifest, runDir, updateManifest, writeFileAtomic } from '../../runs/store';
import { generationFlops, paramCount, trainingFlops } from '../flops';
import { createAdamW, createModel, disposeAdamW, disposeModel, packCheckpoint, RECIPE_ADAMW, saveCheckpoint, lrAt, type AdamWState, type ModelConfig, type PolicyModel } from '../model';
import { evaluate as evaluateTask } from './eval';
import { loadTaskCheckpoint, taskCheckpointMeta } from './task-checkpoint';
import { rlStep } from './rl';
import { phaseSeed } from './seed';
import { baseStep, sftStep } from './sft';
import type { StepInput, StepResult } from './step';
import { phaseOptimizer, phaseSchedule } from './schedule';
import type { TrainingTask } from './task';

export interface RunnerHooks {
  progress(stage: string, step: number, total: number, metrics: Record<string, number>): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  cancelled(): boolean;
  /** Versions recorded in each run.json. */
  versions: Record<string, string>;
  /** The sweep the run belongs to, recorded in run.json (the dashboard groups by it). */
  sweep?: string;
}

interface CheckpointExtra {
  step: number;
  seq: number;
  flops: number;
  /** Compute when the RL phase began, kept while `rl.computeBudget` bounds it. */
  rlStartFlops?: number;
}

const pad = (n: number) => String(n).padStart(6, '0');
/** A run's episodes file of its evaluation at a step (in `<run>/episodes/`). */
const evalFile = (split: 'id' | 'ood', step: number) => `eval-${split}-step${pad(step)}.jsonl`;

/** The policy's model config: the vocabulary from the task's tokenizer, a context that holds the experiment's attempts. */
export function policyModelConfig(task: Pick<TrainingTask, 'codec' | 'attemptsNeeded' | 'imageSize'>, config: ExperimentConfig): ModelConfig {
  const attempts = task.attemptsNeeded(config);
  const need = task.codec.contextFor(attempts);
  const m = config.model;
  if (m.context < need) throw new Error(`context ${m.context} is too short for ${attempts} attempts (needs ${need} tokens)`);
  const img = config.image;
  if (task.imageSize && !img) throw new Error(`this task shows ${task.imageSize.width}×${task.imageSize.height} images: the experiment needs an image block (modality vision-language)`);
  if (img && !task.imageSize) throw new Error('the experiment has an image block, but this task shows no images');
  if (img && task.imageSize && (img.width !== task.imageSize.width || img.height !== task.imageSize.height)) {
    throw new Error(`the image block says ${img.width}×${img.height}, but the task renders ${task.imageSize.width}×${task.imageSize.height} images`);
  }
  return {
    vocabSize: task.codec.tokenizer.vocabSize, dModel: m.width, nLayers: m.layers, nHeads: m.heads, contextLength: m.context,
    ffnMult: m.ffnMult, activation: 'gelu', dropout: 0, initSeed: config.seed,
    ...(img ? { image: { width: img.width, height: img.height, channels: img.channels.slice(), gridH: img.gridH, gridW: img.gridW, ...(img.pool ? { pool: img.pool } : {}) } } : {}),
  };
}

/**
 * One step of a phase: the base curriculum (single-turn, then multi-turn with synthetic wrong
 * attempts sized to the experiment's attempts), expert SFT, or RL with an optional frozen reference.
 */
export function phaseStep(input: StepInput, config: ExperimentConfig, phase: Phase, reference: PolicyModel | null): StepResult {
  switch (phase) {
    case 'base':
      return baseStep(input, config.base, { multiTurn: false, maxAttempts: 1 });
    case 'base-multiturn':
      return baseStep(input, config.base, { multiTurn: true, maxAttempts: input.task.attemptsNeeded(config) });
    case 'init-sft':
      return sftStep(input, config.initSft);
    case 'sft':
      return sftStep(input, config.sft);
    case 'rl':
      return rlStep(input, config.rl, reference ? { reference } : {});
  }
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
export async function runOne(dataDir: string, experiment: string, plan: RunPlan, config: ExperimentConfig, task: TrainingTask, hooks: RunnerHooks): Promise<RunOutcome> {
  const now = new Date().toISOString();
  const dir = ensureRun(dataDir, {
    format: 1, id: plan.runId, name: `${config.preset} · ${plan.method} · seed ${config.seed}`, createdAt: now, updatedAt: now,
    status: 'created', task: config.task === 'generalpoints' ? 'GeneralPoints-v0' : 'VirlNav-v0', method: plan.method, seed: config.seed,
    config: runConfigOf(config, experiment, plan), versions: hooks.versions, ...(hooks.sweep ? { sweep: hooks.sweep } : {}),
  });
  const lock = acquireRunLock(dir);
  if (lock.replaced) hooks.log('info', `${plan.runId}: took over the lock of process ${lock.replaced.pid}, which is gone`);
  try {
    return await runLocked(dir, dataDir, plan, config, task, hooks);
  } finally {
    lock.release();
  }
}

async function runLocked(dir: string, dataDir: string, plan: RunPlan, config: ExperimentConfig, task: TrainingTask, hooks: RunnerHooks): Promise<RunOutcome> {
  const manifest = readRunManifest(dir);
  if (manifest?.status === 'completed') return 'completed';

  const modelConfig = policyModelConfig(task, config);
  const ran = plan.config;
  const load = (from: string, name: string): ReturnType<typeof loadTaskCheckpoint> => loadTaskCheckpoint(readCheckpoint(from, name), task, `${path.basename(from)}/${name}`);
  const nParams = paramCount(modelConfig);
  let model: PolicyModel;
  let optimizer: AdamWState;
  let start = 0;
  let seq = 0;
  let flops = 0;
  let rlStartFlops: number | undefined;
  /** The step of the parent's final checkpoint, when this branch started from it (not on resume). */
  let parentFinal: number | undefined;
  const resumeFrom = newestVerifiedCheckpoint(dir);
  if (resumeFrom) {
    for (const why of resumeFrom.skipped) hooks.log('warn', `${plan.runId}: skipped a damaged checkpoint: ${why}`);
    const loaded = loadTaskCheckpoint(resumeFrom.stored, task, `${plan.runId}/${resumeFrom.name}`);
    model = loaded.model;
    optimizer = loaded.optimizer ?? createAdamW(model, RECIPE_ADAMW);
    const extra = loaded.extra as CheckpointExtra;
    ({ step: start, seq, flops, rlStartFlops } = extra);
  } else {
    if (plan.parent) {
      const parentDir = runDir(dataDir, plan.parent);
      if (plan.parentCheckpoint === BASE_CHECKPOINT && !fs.existsSync(path.join(parentDir, 'checkpoints', `${BASE_CHECKPOINT}.json`))) {
        throw new Error(`${plan.runId} starts from the base checkpoint of ${plan.parent}, which has none (checkpoints/${BASE_CHECKPOINT}.json): that init run was trained before init runs kept their base — train a new experiment to run ${plan.method}`);
      }
      const loaded = load(parentDir, plan.parentCheckpoint);
      model = loaded.model;
      if (loaded.optimizer) disposeAdamW(loaded.optimizer); // a branch starts with a fresh optimizer
      // The paper's curves start at the starting checkpoint's compute: the init's, or the base's for rl-no-sft.
      flops = plan.parentCheckpoint === 'final' ? lastFlops(parentDir) : (loaded.extra as CheckpointExtra).flops;
      if (plan.parentCheckpoint === 'final') parentFinal = (loaded.extra as CheckpointExtra | undefined)?.step;
    } else if (config.base.from) {
      const baseDir = shippedBaseDir(config.base.from);
      model = load(baseDir, 'final').model;
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
  let initModel: PolicyModel | null = null;
  const total = planSteps(plan);
  const save = (name: string, step: number, latest = true) => {
    const packed = packCheckpoint(saveCheckpoint(model, optimizer, { step, seq, flops, ...(rlStartFlops !== undefined ? { rlStartFlops } : {}) } satisfies CheckpointExtra, taskCheckpointMeta(task)));
    writeCheckpoint(dir, name, packed, { latest });
  };
  const evaluate = async (step: number) => {
    const out: Record<string, number> = {};
    for (const split of ['id', 'ood'] as const) {
      // A branch's starting checkpoint (the init, or the base for rl-no-sft) is its reference for
      // `kl_init` (loaded once, on the first evaluation).
      if (plan.parent && !initModel) initModel = reference ?? load(runDir(dataDir, plan.parent), plan.parentCheckpoint).model;
      const res = evaluateTask(model, task, ran.eval, split, { kind: 'checkpoint', name: `${plan.runId}@${step}`, runId: plan.runId, step }, initModel ? { reference: initModel } : {});
      Object.assign(out, res.metrics);
      writeFileAtomic(path.join(dir, 'episodes', evalFile(split, step)), res.episodes.map((e) => JSON.stringify(e)).join('\n') + '\n');
    }
    appendMetrics(dir, { seq: seq++, stage: plan.method, step, 'compute/flops': flops, ...out });
    return out;
  };

  const budget = ran.rl.computeBudget;
  const budgetSpent = () => budget > 0 && rlStartFlops !== undefined && flops - rlStartFlops >= budget;
  // Where the run ends: the planned steps, or the RL step that spent the compute budget.
  let end = total;
  /**
   * A branch's step-0 evaluation is its init's final one: the same weights (the final checkpoint
   * stores them exactly), the same hands and greedy decoding. Reused when the init was evaluated
   * with the same eval block, so a 4-branch experiment does not evaluate one checkpoint 5 times
   * (at V = 10 an evaluation costs minutes). KL to the init is then 0 by definition.
   */
  const reuseParentEvaluation = (): Record<string, number> | null => {
    if (!plan.parent || parentFinal === undefined) return null;
    const parentDir = runDir(dataDir, plan.parent);
    const parentRan = (readRunManifest(parentDir)?.config as { ran?: ExperimentConfig } | undefined)?.ran;
    if (!parentRan || JSON.stringify(parentRan.eval) !== JSON.stringify(ran.eval) || JSON.stringify(parentRan.image ?? null) !== JSON.stringify(ran.image ?? null)) return null;
    const records = readMetrics(parentDir).records;
    const last = [...records].reverse().find((r) => r['eval/id/episodes'] !== undefined && r['eval/ood/episodes'] !== undefined);
    if (!last || last.step !== parentFinal) return null;
    const files = (['id', 'ood'] as const).map((split) => path.join(parentDir, 'episodes', evalFile(split, parentFinal)));
    if (!files.every((f) => fs.existsSync(f))) return null;
    files.forEach((file, i) => {
      const split = i === 0 ? 'id' : 'ood';
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
      const relabelled = lines.map((l) => {
        const record = JSON.parse(l) as { actor?: Record<string, unknown> };
        return JSON.stringify({ ...record, actor: { ...record.actor, name: `${plan.runId}@0`, runId: plan.runId, step: 0 } });
      });
      writeFileAtomic(path.join(dir, 'episodes', evalFile(split, 0)), relabelled.join('\n') + '\n');
    });
    const out = Object.fromEntries(Object.entries(last).filter(([k]) => k.startsWith('eval/')));
    out['eval/id/kl_init'] = 0;
    out['eval/ood/kl_init'] = 0;
    appendMetrics(dir, { seq: seq++, stage: plan.method, step: 0, 'compute/flops': flops, ...out });
    hooks.log('info', `${plan.runId}: step 0 is ${plan.parent}'s final evaluation (same checkpoint, hands and decoding)`);
    return out;
  };

  try {
    let offset = 0;
    let latest: Record<string, number> = {};
    phases: for (const phase of plan.phases) {
      const phaseStart = offset;
      offset += phase.steps;
      if (start >= offset) continue;
      const schedule = phaseSchedule(ran, phase.phase, phase.steps);
      if (phase.phase === 'rl' && plan.reference && !reference && plan.parent) reference = load(runDir(dataDir, plan.parent), plan.parentCheckpoint).model;
      const seed = phaseSeed(config.seed, plan.method, phase.phase);
      if (phase.phase === 'rl' && budget > 0) {
        if (rlStartFlops === undefined && start > phaseStart) hooks.log('warn', `${plan.runId}: its checkpoint predates rl.computeBudget; the budget counts from the resumed step`);
        rlStartFlops ??= flops;
        // Killed after the final checkpoint of a spent budget, before `completed` was written.
        if (budgetSpent()) {
          end = start;
          break phases;
        }
      }
      for (let global = Math.max(start, phaseStart); global < offset; global++) {
        if (global === 0 && plan.evaluateDuring) latest = { ...latest, ...(reuseParentEvaluation() ?? (await evaluate(0))) };
        // A step on the cpu backend never leaves the microtask queue: let the worker's event loop
        // turn, so a cancel message or the parent's exit is seen before the next step.
        await new Promise((resolve) => setImmediate(resolve));
        // The model before its initial SFT, which rl-no-sft starts from (paper Fig. 9).
        if (phase.phase === 'init-sft' && global === phaseStart) save(BASE_CHECKPOINT, global);
        if (hooks.cancelled()) {
          save(`step-${pad(global)}`, global);
          updateManifest(dir, { status: 'cancelled' });
          hooks.log('info', `${plan.runId}: cancelled at step ${global}; resume continues from here`);
          return 'cancelled';
        }
        const step = global - phaseStart;
        const lr = lrAt(schedule, step);
        const input: StepInput = { model, optimizer, task, seed, stageId: `${phase.phase}/${plan.method}`, step, lr, maxGradNorm: phaseOptimizer(ran, phase.phase).clipNorm };
        const out = phaseStep(input, ran, phase.phase, reference);
        flops += trainingFlops(nParams, out.metrics['train/tokens'] ?? 0) + generationFlops(nParams, out.metrics['gen/tokens'] ?? 0);
        const record = { seq: seq++, stage: plan.method, phase: phase.phase, step: global + 1, lr, 'compute/flops': flops, ...out.metrics };
        appendMetrics(dir, record);
        latest = { ...latest, ...out.metrics, 'compute/flops': flops };
        const done = global + 1;
        const spent = phase.phase === 'rl' && budgetSpent();
        if (plan.evaluateDuring && (done % config.eval.everySteps === 0 || done === total || spent)) latest = { ...latest, ...(await evaluate(done)) };
        if (spent) {
          end = done;
          hooks.log('info', `${plan.runId}: compute budget of ${(budget / 1e12).toPrecision(3)} TFLOPs spent at step ${done} of ${total}`);
          hooks.progress(plan.method, done, done, latest);
          break phases;
        }
        if (done % config.checkpointEvery === 0 && done < total) save(`step-${pad(done)}`, done);
        hooks.progress(plan.method, done, total, latest);
      }
    }
    // Resumed from the final checkpoint: the kill came after it, before `completed` was written.
    if (!(resumeFrom && start >= end)) {
      if (!plan.evaluateDuring) await evaluate(end);
      save('final', end);
    }
    updateManifest(dir, { status: 'completed' });
    return 'completed';
  } catch (error) {
    updateManifest(dir, { status: 'failed', error: (error as Error).message });
    throw error;
  } finally {
    disposeAdamW(optimizer);
    disposeModel(model);
    if (initModel && initModel !== reference) disposeModel(initModel);
    if (reference) disposeModel(reference);
  }
}
