/** The tasks the engine can train, by the experiment config's task id. Loaded lazily: a worker loads only its task. */
import type { ExperimentConfig } from '../../../shared/experiments/config';
import type { TrainingTask } from '../engine/task';

export async function loadTask(task: ExperimentConfig['task']): Promise<TrainingTask> {
  switch (task) {
    case 'generalpoints':
      return (await import('./generalpoints/task')).createGpTask() as TrainingTask;
    case 'virl':
      return (await import('./virl/task')).createVirlTask() as TrainingTask;
    default:
      throw new Error(`no training code for the task "${String(task)}"`);
  }
}
