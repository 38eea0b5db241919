/**
 * The run graph of an experiment: one `init` run (base pretraining, then initial SFT) and one run
 * per branch, each branch starting from the init run's final checkpoint. Separate runs per
 * method let the dashboard group and compare them like any other runs.
 */
import { experimentConfigSchema, type Branch, type ExperimentConfig } from './config';

export type Phase = 'base' | 'base-multiturn' | 'init-sft' | 'sft' | 'rl';

export interface PhasePlan {
  phase: Phase;
  /** Steps of this phase. */
  steps: number;
}

export interface RunPlan {
  runId: string;
  /** `init`, or the branch. */
  method: 'init' | Branch;
  /** The run whose final checkpoint this one starts from (null: fresh weights). */
  parent: string | null;
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
  if (method === 'sft-diverse') return { ...config, sft: { ...config.sft, expert: 'diverse' } };
  if (method === 'rl-single-turn') return { ...config, rl: { ...config.rl, verificationLimit: 1 } };
  return config;
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
      runId: `${id}-${b}`, method: b, parent: initId, phases: [branchPhase(b)], evaluateDuring: true, config: branchConfig(config, b), reference: isRl(b) && config.rl.klBeta > 0,
    })),
  ];
}

/** Total steps of a run plan (for progress bars). */
export function planSteps(plan: RunPlan): number {
  return plan.phases.reduce((s, p) => s + p.steps, 0);
}

/**
 * What a run's `run.json` stores as its config: the experiment config (which resume re-plans
 * from), its place in the graph, and `ran`, the config the run actually trained with.
 */
export function runConfigOf(config: ExperimentConfig, experiment: string, plan: Pick<RunPlan, 'parent' | 'config' | 'reference'>): Record<string, unknown> {
  return { ...config, experiment, parent: plan.parent, ran: { ...plan.config, reference: plan.reference } };
}

/** The experiment a run belongs to, read back from its `run.json` config; null when it holds none this version can use. */
export function experimentOfRun(runConfig: Record<string, unknown>): { experiment: string; config: ExperimentConfig } | null {
  const { experiment, parent: _parent, ran: _ran, ...rest } = runConfig;
  const parsed = experimentConfigSchema.safeParse(rest);
  return typeof experiment === 'string' && parsed.success ? { experiment, config: parsed.data } : null;
}
