/** The tasks the engine can train, by the experiment config's task id. Loaded lazily: a worker loads only its task. */
import type { ExperimentConfig } from '../../../shared/experiments/config';
import type { TrainingTask } from '../engine/task';

/** The task an experiment trains: its simulator, in the experiment's modality (text, or images at the image block's size) and variant. */
export async function loadTask(config: Pick<ExperimentConfig, 'task' | 'modality' | 'variant' | 'image'>): Promise<TrainingTask> {
  switch (config.task) {
    case 'generalpoints':
      return (await import('./generalpoints/task')).gpTaskFor(config) as TrainingTask;
    case 'virl':
      return (await import('./virl/task')).virlTaskFor(config) as TrainingTask;
    default:
      throw new Error(`no training code for the task "${String(config.task)}"`);
  }
}

/**
 * Why the experiment's model cannot hold its longest episode, or null: checked at launch, so a
 * branch like rl-v10 on an 80-token context is refused before any run folder is written.
 */
export async function contextProblem(config: ExperimentConfig): Promise<string | null> {
  let task: TrainingTask;
  try {
    task = await loadTask(config);
  } catch (e) {
    // A config the task cannot build (an image block it cannot render) is refused at launch too.
    return e instanceof Error ? e.message : String(e);
  }
  const attempts = task.attemptsNeeded(config);
  const need = task.codec.contextFor(attempts);
  return config.model.context < need ? `context ${config.model.context} is too short for ${attempts} attempts (needs ${need} tokens): raise model.context to ${need} or more, or drop the branches that need them` : null;
}
