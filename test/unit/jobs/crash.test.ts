import { describe, expect, it } from 'vitest';
import { markRunFailed } from '../../../electron/jobs/crash';
import { createRun, readRunManifest, runDir } from '../../../electron/runs/store';
import { tempDir } from '../../helpers/tmp';

describe('a crashed job marks its run failed', () => {
  it('marks exactly its own run: "-sft" crashing leaves a running "-sft-diverse" alone', () => {
    const tmp = tempDir();
    try {
      const now = new Date().toISOString();
      for (const [id, status] of [['x-sft', 'running'], ['x-sft-diverse', 'running'], ['x-rl', 'completed']] as const) {
        createRun(tmp.dir, { format: 1, id, name: id, createdAt: now, updatedAt: now, status, task: 'GeneralPoints-v0', method: id.slice(2), seed: 0, config: {}, versions: {} });
      }
      markRunFailed(tmp.dir, 'x-sft', 'the job process exited unexpectedly');
      markRunFailed(tmp.dir, 'x-rl', 'too late');
      markRunFailed(tmp.dir, 'x-never-created', 'no folder');
      expect(readRunManifest(runDir(tmp.dir, 'x-sft'))).toMatchObject({ status: 'failed', error: 'the job process exited unexpectedly' });
      expect(readRunManifest(runDir(tmp.dir, 'x-sft-diverse'))?.status).toBe('running');
      expect(readRunManifest(runDir(tmp.dir, 'x-rl'))?.status).toBe('completed');
    } finally {
      tmp.cleanup();
    }
  });
});
