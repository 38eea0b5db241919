import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestCheckpoint, listCheckpoints, readCheckpoint, writeCheckpoint } from '../../../electron/runs/checkpoints';
import { truncateMetricsAfter } from '../../../electron/runs/metrics-resume';
import { appendMetrics, readMetrics } from '../../../electron/runs/store';
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
    expect(truncateMetricsAfter(tmp.dir, 2)).toEqual({ kept: 3, discarded: 2 });
    expect(readMetrics(tmp.dir).records.map((r) => r.seq)).toEqual([0, 1, 2]);
    const discarded = fs.readFileSync(path.join(tmp.dir, 'metrics.discarded.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).seq);
    expect(discarded).toEqual([3, 4]);
  });
});
