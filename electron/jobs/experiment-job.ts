/** The `experiment` job: validates its config, then runs (or resumes) every run of its plan in order. */
import { z } from 'zod';
import { describeIssues } from '../../shared/api/contract';
import { experimentConfigSchema } from '../../shared/experiments/config';
import { planExperiment } from '../../shared/experiments/plan';
import { ensureBackend } from '../ml/backend';
import { runOne } from '../ml/engine/runner';
import { loadTask } from '../ml/tasks';
import { collectVersions } from '../versions';
import type { JobContext } from './protocol';

export const experimentPayloadSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/, 'experiment id must be a safe folder-name prefix'),
  config: experimentConfigSchema,
  /** Only these runs of the plan (`init` alone is `sftrl pretrain`); all when absent. */
  only: z.array(z.string().max(40)).max(8).optional(),
  /** The sweep this experiment belongs to, recorded in each run's run.json. */
  sweep: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/).optional(),
});
export type ExperimentPayload = z.infer<typeof experimentPayloadSchema>;

export async function runExperimentJob(ctx: JobContext): Promise<void> {
  const parsed = experimentPayloadSchema.safeParse(ctx.spec.payload);
  if (!parsed.success) throw new Error(`invalid experiment: ${describeIssues(parsed.error)}`);
  const { id, config, only, sweep } = parsed.data;
  const backend = await ensureBackend(ctx.spec.backend ?? 'auto', undefined, { wasmThreads: ctx.spec.wasmThreads });
  ctx.log('info', `tfjs backend: ${backend.name} — ${backend.reason}`);
  const task = await loadTask(config);
  const versions = { ...collectVersions(), backend: backend.name };
  for (const plan of planExperiment(config, id).filter((p) => !only || only.includes(p.method))) {
    const outcome = await runOne(ctx.spec.dataDir, id, plan, config, task, {
      progress: (stage, step, total, metrics) => ctx.progress(stage, step, total, metrics),
      log: (level, message) => ctx.log(level, message),
      cancelled: () => ctx.cancelled,
      versions,
      ...(sweep ? { sweep } : {}),
    });
    if (outcome === 'cancelled') return;
  }
}
