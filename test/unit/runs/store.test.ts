import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendMetrics, createRun, getRun, listRuns, runDir, RunStoreError } from '../../../electron/runs/store';
import type { RunManifest } from '../../../shared/api/runs';
import { tempDir } from '../../helpers/tmp';

function manifest(id: string, createdAt: string): RunManifest {
  return { format: 1, id, name: `run ${id}`, createdAt, updatedAt: createdAt, status: 'running', task: 'GeneralPoints-v0', method: 'rl', seed: 3, config: { lr: 1e-4 }, versions: { node: '20' } };
}

describe('run store', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('lists an absent or empty data directory as no runs', () => {
    expect(listRuns(path.join(tmp.dir, 'missing'))).toEqual([]);
    expect(listRuns(tmp.dir)).toEqual([]);
  });

  it('lists runs newest first and reads the latest metrics', () => {
    const a = createRun(tmp.dir, manifest('a', '2026-01-01T00:00:00Z'));
    createRun(tmp.dir, manifest('b', '2026-02-01T00:00:00Z'));
    appendMetrics(a, { step: 1, 'train/loss': 2.5 });
    appendMetrics(a, { step: 2, 'train/loss': 2.0, 'eval/ood/success': 0.1 });
    expect(listRuns(tmp.dir).map((r) => r.id)).toEqual(['b', 'a']);
    const detail = getRun(tmp.dir, 'a');
    expect(detail.summary.metricsCount).toBe(2);
    expect(detail.lastMetrics).toEqual({ step: 2, 'train/loss': 2.0, 'eval/ood/success': 0.1 });
    expect(detail.warnings).toEqual([]);
  });

  it('tolerates a truncated last metrics line and reports it', () => {
    const a = createRun(tmp.dir, manifest('a', '2026-01-01T00:00:00Z'));
    appendMetrics(a, { step: 1, 'train/loss': 2.5 });
    fs.appendFileSync(path.join(a, 'metrics.jsonl'), '{"step": 2, "train/lo');
    const detail = getRun(tmp.dir, 'a');
    expect(detail.lastMetrics).toEqual({ step: 1, 'train/loss': 2.5 });
    expect(detail.warnings).toEqual(['metrics.jsonl line 2: truncated last line skipped']);
  });

  it('lists a folder with a broken run.json as corrupt with the problem named', () => {
    createRun(tmp.dir, manifest('good', '2026-01-01T00:00:00Z'));
    fs.mkdirSync(path.join(tmp.dir, 'broken'));
    fs.writeFileSync(path.join(tmp.dir, 'broken', 'run.json'), '{not json');
    fs.mkdirSync(path.join(tmp.dir, 'wrong'));
    fs.writeFileSync(path.join(tmp.dir, 'wrong', 'run.json'), JSON.stringify({ format: 1, id: 'wrong' }));
    const runs = listRuns(tmp.dir);
    expect(runs.find((r) => r.id === 'broken')).toMatchObject({ status: 'corrupt', problem: 'run.json is not valid JSON' });
    expect(runs.find((r) => r.id === 'wrong')?.problem).toMatch(/does not match the run schema: name/);
    expect(runs.find((r) => r.id === 'good')?.status).toBe('running');
    expect(getRun(tmp.dir, 'broken').manifest).toBeNull();
  });

  it('never resolves a run id outside the data directory', () => {
    for (const id of ['..', '../x', 'a/../../b', '/etc', '.git', 'a\\b']) {
      expect(() => runDir(tmp.dir, id)).toThrow(RunStoreError);
    }
  });

  it('refuses to overwrite an existing run', () => {
    createRun(tmp.dir, manifest('a', '2026-01-01T00:00:00Z'));
    expect(() => createRun(tmp.dir, { ...manifest('a', '2026-03-01T00:00:00Z'), name: 'other' })).toThrow();
    expect(getRun(tmp.dir, 'a').summary.name).toBe('run a');
  });
});
