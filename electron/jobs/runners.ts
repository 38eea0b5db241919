/** The job kinds a worker can run. Imports are lazy: a worker loads only what its job needs. */
import type { JobContext } from './protocol';

export const JOB_KINDS = ['experiment'] as const;

export async function runJob(ctx: JobContext): Promise<void> {
  switch (ctx.spec.kind) {
    case 'experiment':
      return (await import('./experiment-job')).runExperimentJob(ctx);
    default:
      throw new Error(`unknown job kind "${ctx.spec.kind}" (known: ${JOB_KINDS.join(', ')})`);
  }
}
