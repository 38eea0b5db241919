/**
 * The run graph of an experiment: one `init` run (base pretraining, then initial SFT) and one run
 * per branch, each branch starting from a checkpoint of the init run: its final one, or (for
 * `rl-no-sft`) the `base` one it keeps where the initial SFT begins. Separate runs per method let
 * the dashboard group and compare them like any other runs.
 */
import { branchVerificationLimit, experimentConfigSchema, type Branch, type ExperimentConfig } from './config';

export type Phase = 'base' | 'base-multiturn' | 'init-sft' | 'sft' | 'rl';

/** The checkpoint the init run keeps where its initial SFT begins (the base, for `rl-no-sft`). */
export const BASE_CHECKPOINT = 'base';
export type ParentCheckpoint = 'final' | typeof BASE_CHECKPOINT;

export interface PhasePlan {
  phase: Phase;
  /** Steps of this phase. */
  steps: number;
}

export interface RunPlan {
  runId: string;
  /** `init`, or the branch. */
  method: 'init' | Branch;
  /** The run whose checkpoint this one starts from (null: fresh weights). */
  parent: string | null;
  /**
   * Which of the parent's checkpoints: `final` (the init checkpoint), or `base` (the init run's
   * model before its initial SFT, which the init run saves as `checkpoints/base.*`).
   */
  parentCheckpoint: ParentCheckpoint;
  phases: PhasePlan[];
  /** Whether ID/OOD evaluation runs during this run (branches) or only at its end (init). */
  evaluateDuring: boolean;
  /**
   * The config this run actually trains with: the experiment's, with the branch's semantics
   * applied (`sft-diverse`: a random valid expert answer; `rl-single-turn`: one attempt per
   * episode). Recorded in run.json as `ran`.
   */
  config: ExperimentConfig;
  /** Whether the run needs its parent's final checkpoint as a frozen reference (RL with a KL penalty). */
  reference: boolean;
}

/** The config a branch trains with: its semantics resolved here, once, for the runner and run.json. */
export function branchConfig(config: ExperimentConfig, method: 'init' | Branch): ExperimentConfig {
  if (method === 'init') return config;
  if (method === 'sft-diverse') return { ...config, sft: { ...config.sft, expert: 'diverse' } };
  if (method === 'rl-single-turn') return { ...config, rl: { ...config.rl, verificationLimit: 1 } };
  const v = branchVerificationLimit(method);
  if (v !== null) return { ...config, rl: { ...config.rl, verificationLimit: v } };
  return config; // rl-no-sft trains exactly as rl; only its starting checkpoint differs
}

/**
 * Attempts per episode the model's context must hold in an experiment: evaluation's, the RL
 * config's and every branch's. The init run trains the model every branch starts from, so its
 * context (a learned position table) and its multi-turn curriculum must cover the largest.
 */
export function experimentAttempts(config: ExperimentConfig): number {
  const branchLimits = config.branches.map((b) => branchConfig(config, b).rl.verificationLimit);
  return Math.max(config.eval.verificationLimit, config.rl.verificationLimit, ...branchLimits);
}

/** Which init checkpoint a branch starts from: `rl-no-sft` the base (when there is an initial SFT to skip). */
export function parentCheckpointOf(config: ExperimentConfig, method: Branch): ParentCheckpoint {
  return method === 'rl-no-sft' && config.initSft.steps > 0 ? BASE_CHECKPOINT : 'final';
}

/** Things a user should know about an experiment before launching it (CLI and New experiment page). */
export function planNotes(config: ExperimentConfig): string[] {
  const notes: string[] = [];
  if (config.branches.includes('rl-no-sft') && config.initSft.steps === 0) {
    notes.push('rl-no-sft starts from the same checkpoint as rl because initSft.steps is 0 (there is no initial SFT to skip): its result is the rl branch\'s. Set initSft.steps above 0 to see RL without the initial SFT.');
  }
  const limits = config.branches.map((b) => branchVerificationLimit(b)).filter((v): v is number => v !== null);
  if (limits.length && config.eval.verificationLimit < Math.max(...limits)) {
    notes.push(`evaluation allows ${config.eval.verificationLimit} attempts, fewer than the largest training limit (rl-v${Math.max(...limits)}); set eval.verificationLimit to ${Math.max(...limits)} to read success within every branch\'s own limit.`);
  }
  return notes;
}

/** Experiment ids become folder names: keep them short, safe and sortable. */
export function experimentId(config: ExperimentConfig, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return `${config.preset}-s${config.seed}-${stamp}`;
}

export function planExperiment(config: ExperimentConfig, id: string): RunPlan[] {
  const initId = `${id}-init`;
  const init: RunPlan = {
    runId: initId,
    method: 'init',
    parent: null,
    parentCheckpoint: 'final',
    phases: [
      { phase: 'base' as const, steps: config.base.steps },
      { phase: 'base-multiturn' as const, steps: config.base.multiTurnSteps },
      { phase: 'init-sft' as const, steps: config.initSft.steps },
    ].filter((p) => p.steps > 0),
    evaluateDuring: false,
    config,
    reference: false,
  };
  const isRl = (b: Branch) => !b.startsWith('sft');
  const branchPhase = (b: Branch): PhasePlan => (isRl(b) ? { phase: 'rl', steps: config.rl.steps } : { phase: 'sft', steps: config.sft.steps });
  return [
    init,
    ...config.branches.map((b) => ({
      runId: `${id}-${b}`, method: b, parent: initId, parentCheckpoint: parentCheckpointOf(config, b), phases: [branchPhase(b)], evaluateDuring: true,
      config: branchConfig(config, b), reference: isRl(b) && config.rl.klBeta > 0,
    })),
  ];
}

/** Total steps of a run plan (for progress bars). */
export function planSteps(plan: RunPlan): number {
  return plan.phases.reduce((s, p) => s + p.steps, 0);
}

/**
 * A run's work in example-rows passes, for ordering the run queue only (never reported): a
 * supervised step trains `batch` rows (multi-turn rows twice as long); an RL step generates and
 * then trains `promptsPerStep × groupSize` episodes of about (1 + V) / 2 attempts, an attempt
 * costing about 1.5 rows (cached decoding, then the update); each evaluation decodes its ID and
 * OOD episodes. Only the order matters: on gp-rule (wasm, one core) a 200-step RL branch took
 * 3.6× its 200-step SFT branch, and this gives 2.7×.
 */
export function estimatedRunWork(plan: RunPlan): number {
  const c = plan.config;
  let work = 0;
  for (const { phase, steps } of plan.phases) {
    if (phase === 'base') work += steps * c.base.batch;
    else if (phase === 'base-multiturn') work += steps * c.base.batch * 2;
    else if (phase === 'init-sft') work += steps * c.initSft.batch;
    else if (phase === 'sft') work += steps * c.sft.batch;
    else work += steps * c.rl.promptsPerStep * c.rl.groupSize * ((1 + c.rl.verificationLimit) / 2) * 1.5;
  }
  const steps = planSteps(plan);
  const evaluations = plan.evaluateDuring ? 1 + Math.floor(steps / c.eval.everySteps) : 1;
  return work + evaluations * (c.eval.idEpisodes + c.eval.oodEpisodes) * ((1 + c.eval.verificationLimit) / 2) * 0.5;
}

/**
 * What a run's `run.json` stores as its config: the experiment config (which resume re-plans
 * from), its place in the graph, and `ran`, the config the run actually trained with.
 */
export function runConfigOf(config: ExperimentConfig, experiment: string, plan: Pick<RunPlan, 'parent' | 'config' | 'reference'> & Partial<Pick<RunPlan, 'parentCheckpoint'>>): Record<string, unknown> {
  const from = plan.parentCheckpoint ?? 'final';
  return { ...config, experiment, parent: plan.parent, ...(from !== 'final' ? { parentCheckpoint: from } : {}), ran: { ...plan.config, reference: plan.reference } };
}

/** The experiment a run belongs to, read back from its `run.json` config; null when it holds none this version can use. */
export function experimentOfRun(runConfig: Record<string, unknown>): { experiment: string; config: ExperimentConfig } | null {
  const { experiment, parent: _parent, parentCheckpoint: _from, ran: _ran, ...rest } = runConfig;
  const parsed = experimentConfigSchema.safeParse(rest);
  return typeof experiment === 'string' && parsed.success ? { experiment, config: parsed.data } : null;
}
