/** Records in the run store that a job's process died, so the Runs page shows it and offers resume. */
import fs from 'node:fs';
import { readRunManifest, runDir, updateManifest } from '../runs/store';

/**
 * Marks the job's run as failed if it is still `running`. Exact id, not a prefix: `…-sft` is a
 * prefix of `…-sft-diverse`, whose own job may be running fine beside it.
 */
export function markRunFailed(dataDir: string, runId: string, message: string): void {
  const dir = runDir(dataDir, runId);
  if (!fs.existsSync(dir) || readRunManifest(dir)?.status !== 'running') return;
  updateManifest(dir, { status: 'failed', error: message });
}
