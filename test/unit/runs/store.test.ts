import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { removeStaleTemps } from '../../../electron/runs/atomic';
import { appendMetrics, createRun, ensureRun, getRun, listRuns, readRunManifest, runDir, RunStoreError, unreadableReason, writeFileAtomic } from '../../../electron/runs/store';
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
    expect(runs.find((r) => r.id === 'good')?.status).toBe('interrupted'); // `running` with no live writer
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

  it('writes run.json into a run folder left without one, so the experiment can continue', () => {
    fs.mkdirSync(path.join(tmp.dir, 'half'));
    fs.writeFileSync(path.join(tmp.dir, 'half', 'metrics.jsonl'), '{"seq":0,"step":1}\n');
    expect(listRuns(tmp.dir)[0]).toMatchObject({ id: 'half', status: 'corrupt', problem: 'run.json is missing' });
    const dir = ensureRun(tmp.dir, { ...manifest('half', '2026-01-01T00:00:00Z'), status: 'created' });
    expect(readRunManifest(dir)?.status).toBe('created');
    expect(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')).toBe('{"seq":0,"step":1}\n');
    // With checkpoints but no run.json it refuses rather than guess which config made them.
    fs.mkdirSync(path.join(tmp.dir, 'ckpt', 'checkpoints'), { recursive: true });
    fs.writeFileSync(path.join(tmp.dir, 'ckpt', 'checkpoints', 'step-000002.json'), '{}');
    expect(() => ensureRun(tmp.dir, manifest('ckpt', '2026-01-01T00:00:00Z'))).toThrow(/holds checkpoints but no run.json: restore its run.json, or move the folder aside/);
    fs.mkdirSync(path.join(tmp.dir, 'bad'));
    fs.writeFileSync(path.join(tmp.dir, 'bad', 'run.json'), '{');
    expect(() => ensureRun(tmp.dir, manifest('bad', '2026-01-01T00:00:00Z'))).toThrow(/cannot continue the run in .*bad: run.json is not valid JSON/);
    expect(fs.readFileSync(path.join(tmp.dir, 'bad', 'run.json'), 'utf8')).toBe('{');
  });

  it('names why a folder cannot be read instead of failing with an internal error', () => {
    const a = createRun(tmp.dir, manifest('a', '2026-01-01T00:00:00Z'));
    appendMetrics(a, { step: 1, 'train/loss': 2.5 });
    // episodes/ that is a file: the run still opens, with the reason among its warnings.
    fs.rmSync(path.join(a, 'episodes'), { recursive: true });
    fs.writeFileSync(path.join(a, 'episodes'), 'x');
    const detail = getRun(tmp.dir, 'a');
    expect(detail.warnings).toEqual(['episodes/ is not a folder']);
    expect(detail.lastMetrics).toEqual({ step: 1, 'train/loss': 2.5 });
    // A data directory that is a file.
    const file = path.join(tmp.dir, 'a', 'metrics.jsonl');
    expect(() => listRuns(file)).toThrow(RunStoreError);
    expect(() => listRuns(file)).toThrow(/the data directory .*metrics.jsonl is not a folder/);
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(unreadableReason('the run folder', denied)).toBe('the run folder cannot be read: permission denied');
    expect(unreadableReason('run.json', Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('run.json is missing');
  });

  it.skipIf(process.getuid?.() === 0)('reports a run folder, data directory or episodes folder without permission as such', () => {
    const a = createRun(tmp.dir, manifest('a', '2026-01-01T00:00:00Z'));
    const b = createRun(tmp.dir, manifest('b', '2026-01-02T00:00:00Z'));
    fs.chmodSync(path.join(b, 'episodes'), 0);
    fs.chmodSync(a, 0);
    try {
      expect(listRuns(tmp.dir).find((r) => r.id === 'a')).toMatchObject({ status: 'corrupt', problem: 'the run folder cannot be read: permission denied' });
      expect(getRun(tmp.dir, 'b').warnings).toEqual(['episodes/ cannot be read: permission denied']);
      fs.chmodSync(tmp.dir, 0);
      expect(() => listRuns(tmp.dir)).toThrow(/cannot be read: permission denied/);
    } finally {
      fs.chmodSync(tmp.dir, 0o700);
      fs.chmodSync(a, 0o700);
      fs.chmodSync(path.join(b, 'episodes'), 0o700);
    }
  });

  it('removes temporary files a crashed writer left, and keeps those of a live writer', () => {
    const a = createRun(tmp.dir, manifest('a', '2026-01-01T00:00:00Z'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const stale = [path.join(a, `run.json.tmp-${dead}-1`), path.join(a, 'checkpoints', `step-000002.bin.tmp-${dead}-2`), path.join(a, 'episodes', `eval-id.jsonl.tmp-${dead}-3`)];
    for (const f of stale) fs.writeFileSync(f, 'partial');
    const live = path.join(a, 'checkpoints', `final.bin.tmp-${process.pid}-4`);
    fs.writeFileSync(live, 'in progress');
    writeFileAtomic(path.join(a, 'note.txt'), 'kept');
    expect(removeStaleTemps(tmp.dir).sort()).toEqual(stale.sort());
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.readFileSync(path.join(a, 'note.txt'), 'utf8')).toBe('kept');
    expect(getRun(tmp.dir, 'a').checkpoints).toEqual([]);
  });

  it('flushes a file to disk before renaming it into place, and its folder after', () => {
    const order: string[] = [];
    const fsync = vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => void order.push(`fsync ${fs.readlinkSync(`/proc/self/fd/${fd}`)}`));
    const rename = vi.spyOn(fs, 'renameSync');
    rename.mockImplementation((from, to) => {
      order.push(`rename ${path.basename(String(from)).replace(/tmp-.*/, 'tmp')} ${path.basename(String(to))}`);
      rename.mockRestore();
      fs.renameSync(from, to);
    });
    try {
      writeFileAtomic(path.join(tmp.dir, 'run.json'), '{}');
    } finally {
      fsync.mockRestore();
      rename.mockRestore();
    }
    expect(order.map((o) => o.replace(tmp.dir, 'DIR').replace(/\.tmp-\d+-\d+$/, '.tmp'))).toEqual(['fsync DIR/run.json.tmp', 'rename run.json.tmp run.json', 'fsync DIR']);
  });

  it('reads the runs of a data directory that keeps them in a runs/ folder, as the shipped examples do', () => {
    fs.writeFileSync(path.join(tmp.dir, 'README.md'), '# results');
    fs.mkdirSync(path.join(tmp.dir, 'runs'));
    const a = createRun(tmp.dir, manifest('a', '2026-01-01T00:00:00Z'));
    expect(a).toBe(path.join(tmp.dir, 'runs', 'a'));
    expect(runDir(tmp.dir, 'a')).toBe(a);
    expect(listRuns(tmp.dir).map((r) => r.id)).toEqual(['a']);
    const shipped = listRuns(path.resolve('examples/gp-rule-saturated-base'));
    expect(shipped).toHaveLength(29);
    expect(shipped.filter((r) => r.status !== 'completed')).toEqual([]);
    // A run that happens to be named "runs" stays a run.
    const other = tempDir();
    try {
      createRun(other.dir, manifest('runs', '2026-01-01T00:00:00Z'));
      expect(listRuns(other.dir).map((r) => r.id)).toEqual(['runs']);
    } finally {
      other.cleanup();
    }
  });
});
