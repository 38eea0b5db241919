/** Learning-rate schedule of each phase of an experiment, from its stage config (RECIPE.md). */
import type { ExperimentConfig, OptimizerConfig } from '../../../shared/experiments/config';
import type { Phase } from '../../../shared/experiments/plan';
import type { LrSchedule } from '../model';

/** The schedule an optimizer config describes over `steps` updates: cosine to minLr, or constant when minLr equals lr. */
export function optimizerSchedule(o: OptimizerConfig, steps: number, peakScale = 1): LrSchedule {
  const constant = o.minLr === o.lr;
  return { kind: constant ? 'constant' : 'cosine', peak: o.lr * peakScale, warmupSteps: Math.min(o.warmupSteps, Math.max(0, steps - 1)), totalSteps: steps, minLr: o.minLr * peakScale };
}

export function phaseSchedule(config: ExperimentConfig, phase: Phase, steps: number): LrSchedule {
  switch (phase) {
    case 'base':
      return optimizerSchedule(config.base.optimizer, steps);
    case 'base-multiturn':
      // RECIPE part 2: the continuation runs at half the pretraining peak (5e-4 after 1e-3), warm-up 50.
      return { ...optimizerSchedule(config.base.optimizer, steps, 0.5), warmupSteps: Math.min(50, Math.max(0, steps - 1)) };
    case 'init-sft':
      return optimizerSchedule(config.initSft.optimizer, steps);
    case 'sft':
      return optimizerSchedule(config.sft.optimizer, steps);
    case 'rl':
      return optimizerSchedule(config.rl.optimizer, steps);
  }
}

/** The optimizer settings (weight decay, clipping) of a phase. */
export function phaseOptimizer(config: ExperimentConfig, phase: Phase): OptimizerConfig {
  if (phase === 'base' || phase === 'base-multiturn') return config.base.optimizer;
  if (phase === 'init-sft') return config.initSft.optimizer;
  return phase === 'sft' ? config.sft.optimizer : config.rl.optimizer;
}
