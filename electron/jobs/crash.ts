/** Records in the run store that a job's process died, so the Runs page shows it and offers resume. */
import fs from 'node:fs';
import { listRuns, runDir, updateManifest } from '../runs/store';

/** Marks every still-running run of the experiment (`prefix` = experiment id) as failed. */
export function markRunFailed(dataDir: string, prefix: string, message: string): void {
  for (const run of listRuns(dataDir)) {
    // `interrupted` is how a reader sees a `running` run whose process is gone: this one.
    if (!run.id.startsWith(prefix) || (run.status !== 'running' && run.status !== 'interrupted')) continue;
    const dir = runDir(dataDir, run.id);
    if (fs.existsSync(dir)) updateManifest(dir, { status: 'failed', error: message });
  }
}
