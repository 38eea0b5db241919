/**
 * Issue 14, defect 9: a metrics.jsonl whose last line was cut by a crash was counted as 23 lines by
 * runs:list and 22 records by runs:catalog, and `sftrl runs` said nothing about it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreHandlers } from '../../../electron/api/handlers/core';
import { metricsHandlers } from '../../../electron/api/handlers/metrics';
import { main } from '../../../electron/cli';
import { clearMetricsCache } from '../../../electron/runs/metrics-cache';
import { appendMetrics, createRun } from '../../../electron/runs/store';
import { testContext } from '../../helpers/api';

describe('a truncated metrics.jsonl is counted one way everywhere', () => {
  let t: ReturnType<typeof testContext>;
  beforeEach(() => {
    clearMetricsCache();
    t = testContext();
    const dir = createRun(t.dataDir, { format: 1, id: 'cut', name: 'cut', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', status: 'failed', task: 'GeneralPoints-v0', method: 'rl', seed: 0, config: {}, versions: {} });
    for (let step = 1; step <= 22; step++) appendMetrics(dir, { seq: step - 1, stage: 'rl', step, 'train/loss': 1 / step });
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), '{"seq": 22, "stage": "rl", "step": 23, "train/lo'); // killed mid-write
  });
  afterEach(() => t.cleanup());

  const WARNING = 'metrics.jsonl line 23: truncated last line skipped';

  it('runs:list, runs:catalog and runs:get agree on 22 records and name the cut line', async () => {
    const [listed] = await coreHandlers['runs:list']({}, t.ctx);
    const [row] = await metricsHandlers['runs:catalog']({}, t.ctx);
    const detail = await coreHandlers['runs:get']({ id: 'cut' }, t.ctx);
    expect(listed?.metricsCount).toBe(22);
    expect(row?.points).toBe(22);
    expect(detail.summary.metricsCount).toBe(22);
    expect(listed?.metricsWarnings).toEqual([WARNING]);
    expect(detail.warnings).toEqual([WARNING]);
    // The same after a cold start, when the counts come from the disk cache.
    clearMetricsCache();
    expect((await coreHandlers['runs:list']({}, t.ctx))[0]?.metricsCount).toBe(22);
    expect((await metricsHandlers['runs:catalog']({}, t.ctx))[0]?.points).toBe(22);
  });

  it('`sftrl runs` counts 22 metric lines and warns about the truncated last line', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await main(['runs', '--dir', t.dataDir], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(0);
    expect(out.join('\n')).toMatch(/cut .* 22 metric lines/);
    expect(err).toEqual([`warning: cut: ${WARNING}`]);
  });
});
