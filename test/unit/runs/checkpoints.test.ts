import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestCheckpoint, listCheckpoints, newestVerifiedCheckpoint, readCheckpoint, writeCheckpoint } from '../../../electron/runs/checkpoints';
import { beginRunWrites, truncateMetricsAfter } from '../../../electron/runs/metrics-resume';
import { appendMetrics, createRun, readMetrics, readRunManifest } from '../../../electron/runs/store';
import { tempDir } from '../../helpers/tmp';

describe('run checkpoints', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('round-trips data and manifest and tracks the latest', () => {
    expect(latestCheckpoint(tmp.dir)).toBeNull();
    writeCheckpoint(tmp.dir, 'sft-000050', { json: '{"step":50}', data: new Uint8Array([1, 2, 3]) });
    writeCheckpoint(tmp.dir, 'sft-000100', { json: '{"step":100}', data: new Uint8Array([4, 5]) });
    expect(latestCheckpoint(tmp.dir)).toBe('sft-000100');
    expect(listCheckpoints(tmp.dir)).toEqual(['sft-000050', 'sft-000100']);
    const back = readCheckpoint(tmp.dir, 'sft-000050');
    expect(JSON.parse(back.json)).toEqual({ step: 50 });
    expect([...back.data]).toEqual([1, 2, 3]);
  });

  it('detects truncated or corrupted data with a message naming the checkpoint', () => {
    writeCheckpoint(tmp.dir, 'a', { json: '{}', data: new Uint8Array([1, 2, 3, 4]) });
    const bin = path.join(tmp.dir, 'checkpoints', 'a.bin');
    fs.writeFileSync(bin, new Uint8Array([1, 2]));
    expect(() => readCheckpoint(tmp.dir, 'a')).toThrow('checkpoint "a": data is 2 bytes, expected 4 (truncated?)');
    fs.writeFileSync(bin, new Uint8Array([9, 9, 9, 9]));
    expect(() => readCheckpoint(tmp.dir, 'a')).toThrow(/checksum does not match/);
    expect(() => readCheckpoint(tmp.dir, '../x')).toThrow(/invalid checkpoint name/);
  });

  it('keeps the previous checkpoint as latest when a save dies before its pointer is written', () => {
    writeCheckpoint(tmp.dir, 'one', { json: '{}', data: new Uint8Array([1]) });
    writeCheckpoint(tmp.dir, 'two', { json: '{}', data: new Uint8Array([2]) }, { latest: false }); // as if killed before the pointer
    expect(latestCheckpoint(tmp.dir)).toBe('one');
  });

  it('moves metrics written after the checkpoint aside on resume, losing nothing', () => {
    for (let seq = 0; seq < 5; seq++) appendMetrics(tmp.dir, { seq, step: seq * 10, 'train/loss': 5 - seq });
    fs.appendFileSync(path.join(tmp.dir, 'metrics.jsonl'), '{"seq": 5, "st');
    expect(truncateMetricsAfter(tmp.dir, 2)).toEqual({ kept: 3, discarded: 3 });
    expect(readMetrics(tmp.dir).records.map((r) => r.seq)).toEqual([0, 1, 2]);
    const discarded = fs.readFileSync(path.join(tmp.dir, 'metrics.discarded.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq?: number; unreadable?: string });
    expect(discarded.map((d) => d.seq ?? d.unreadable)).toEqual([3, 4, '{"seq": 5, "st']);
  });

  it('keeps every metrics line before the cut byte for byte, stage and phase labels included', () => {
    const file = path.join(tmp.dir, 'metrics.jsonl');
    const lines = [
      '{"seq":0,"stage":"init","phase":"base","step":1,"lr":0.001,"train/loss":5.25}',
      '{"seq": 1, "stage": "init", "phase": "base", "step": 2, "note": "spaced as written"}',
      '{"seq":2,"stage":"init","phase":"sft","step":3,"train/loss":1e-7}',
      '{"seq":3,"stage":"init","phase":"sft","step":4}',
    ];
    fs.writeFileSync(file, `${lines.join('\n')}\n{"seq":4,"st`);
    expect(truncateMetricsAfter(tmp.dir, 2)).toEqual({ kept: 3, discarded: 2 });
    expect(fs.readFileSync(file, 'utf8')).toBe(`${lines.slice(0, 3).join('\n')}\n`);
    const aside = fs.readFileSync(path.join(tmp.dir, 'metrics.discarded.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(aside[0]).toMatchObject({ seq: 3, stage: 'init', phase: 'sft', step: 4 });
    expect(aside[1]).toMatchObject({ unreadable: '{"seq":4,"st' });
    // Nothing after the cut: the file is not rewritten at all.
    const before = fs.statSync(file).mtimeMs;
    fs.utimesSync(file, new Date(0), new Date(0));
    expect(truncateMetricsAfter(tmp.dir, 2)).toEqual({ kept: 3, discarded: 0 });
    expect(fs.statSync(file).mtimeMs).toBe(0);
    expect(before).toBeGreaterThan(0);
  });

  it('changes no file when the run cannot start because run.json is corrupt', () => {
    const now = new Date().toISOString();
    const dir = createRun(tmp.dir, { format: 1, id: 'r', name: 'r', createdAt: now, updatedAt: now, status: 'cancelled', task: 't', method: 'sft', seed: 0, config: {}, versions: {} });
    const metrics = '{"seq":0,"stage":"sft","phase":"sft","step":1}\n{"seq":1,"stage":"sft","phase":"sft","step":2}\n';
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), metrics);
    fs.writeFileSync(path.join(dir, 'run.json'), '{"format": 1, "id": "r", "na');
    expect(() => beginRunWrites(dir, 0)).toThrow(/run\.json is not valid JSON/);
    expect(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')).toBe(metrics);
    expect(fs.existsSync(path.join(dir, 'metrics.discarded.jsonl'))).toBe(false);
    // With a readable manifest the run is marked running, then the later lines move aside.
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ format: 1, id: 'r', name: 'r', createdAt: now, updatedAt: now, status: 'cancelled', task: 't', method: 'sft', seed: 0, config: {}, versions: {} }));
    expect(beginRunWrites(dir, 0)).toEqual({ kept: 1, discarded: 1 });
    expect(readRunManifest(dir)?.status).toBe('running');
    expect(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')).toBe('{"seq":0,"stage":"sft","phase":"sft","step":1}\n');
  });

  it('resumes from the newest checkpoint that verifies when the latest is damaged or its pointer lost', () => {
    expect(newestVerifiedCheckpoint(tmp.dir)).toBeNull(); // no checkpoint at all: a fresh start
    writeCheckpoint(tmp.dir, 'step-000002', { json: '{"step":2}', data: new Uint8Array([2, 2]) });
    writeCheckpoint(tmp.dir, 'step-000010', { json: '{"step":10}', data: new Uint8Array([10, 10]) });
    writeCheckpoint(tmp.dir, 'step-000004', { json: '{"step":4}', data: new Uint8Array([4, 4]) });
    // The pointer names the newest even where names sort otherwise.
    expect(newestVerifiedCheckpoint(tmp.dir)?.name).toBe('step-000004');
    // Truncated newest: the next newest that verifies, with the reason it was skipped.
    fs.writeFileSync(path.join(tmp.dir, 'checkpoints', 'step-000004.bin'), new Uint8Array([4]));
    const found = newestVerifiedCheckpoint(tmp.dir);
    expect(found?.name).toBe('step-000010');
    expect(JSON.parse(found!.stored.json)).toEqual({ step: 10 });
    expect(found?.skipped).toEqual(['checkpoint "step-000004": data is 1 bytes, expected 2 (truncated?)']);
    // latest.json lost: `final` first, then by step.
    fs.rmSync(path.join(tmp.dir, 'checkpoints', 'latest.json'));
    expect(newestVerifiedCheckpoint(tmp.dir)?.name).toBe('step-000010');
    writeCheckpoint(tmp.dir, 'final', { json: '{"step":12}', data: new Uint8Array([12]) }, { latest: false });
    expect(newestVerifiedCheckpoint(tmp.dir)?.name).toBe('final');
  });

  it('refuses to restart a run whose checkpoints all fail to verify, naming each problem', () => {
    writeCheckpoint(tmp.dir, 'step-000002', { json: '{}', data: new Uint8Array([1, 2]) });
    writeCheckpoint(tmp.dir, 'final', { json: '{}', data: new Uint8Array([3, 4]) });
    fs.writeFileSync(path.join(tmp.dir, 'checkpoints', 'final.bin'), new Uint8Array([9, 9]));
    fs.rmSync(path.join(tmp.dir, 'checkpoints', 'step-000002.bin'));
    expect(() => newestVerifiedCheckpoint(tmp.dir)).toThrow(/no checkpoint in .* verifies \(checkpoint "final": data checksum does not match .*; checkpoint "step-000002": step-000002.bin is missing\); nothing was changed/);
  });
});
