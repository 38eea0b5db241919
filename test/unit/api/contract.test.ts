import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/api/dispatch';
import { createRun } from '../../../electron/runs/store';
import { channels } from '../../../shared/api/contract';
import { testContext } from '../../helpers/api';
import { snapshotTree } from '../../helpers/tmp';

import { coreBadPayloads } from './bad-payloads/core';
import { episodesBadPayloads } from './bad-payloads/episodes';
import { experimentsBadPayloads } from './bad-payloads/experiments';
import { figuresBadPayloads } from './bad-payloads/figures';
import { gpBadPayloads } from './bad-payloads/generalpoints';
import { metricsBadPayloads } from './bad-payloads/metrics';
import { sweepsBadPayloads } from './bad-payloads/sweeps';
import { virlBadPayloads } from './bad-payloads/virl';

/** Every channel's bad-payload table, merged from one file per concern. */
const BAD = { ...coreBadPayloads, ...episodesBadPayloads, ...experimentsBadPayloads, ...figuresBadPayloads, ...gpBadPayloads, ...metricsBadPayloads, ...sweepsBadPayloads, ...virlBadPayloads };

describe('API contract validation', () => {
  let t: ReturnType<typeof testContext>;
  beforeEach(() => {
    t = testContext();
    t.ctx.settings.set({ theme: 'dark' }); // something saved that must survive
    fs.mkdirSync(t.exportDir);
    fs.writeFileSync(path.join(t.exportDir, 'fig.svg'), '<svg></svg>'); // an export that must survive
    createRun(t.dataDir, {
      format: 1, id: 'kept', name: 'kept', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
      status: 'completed', task: 'GeneralPoints-v0', method: 'sft', seed: 1, config: {}, versions: {},
    });
  });
  afterEach(() => t.cleanup());

  it('has a bad-payload table for every channel', () => {
    expect(Object.keys(BAD).sort()).toEqual([...channels].sort());
  });

  for (const [channel, cases] of Object.entries(BAD)) {
    for (const [label, payload, message] of cases) {
      it(`${channel} rejects ${label} with a clear error and no side effect`, async () => {
        const before = { config: snapshotTree(t.configDir), data: snapshotTree(t.dataDir), exports: snapshotTree(t.exportDir) };
        const result = await dispatch(t.ctx, channel, payload);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('bad_request');
        expect(result.error.message).toMatch(message);
        expect(result.error.message.startsWith(`${channel}:`)).toBe(true);
        expect(result.error.message.length).toBeLessThan(2000); // never echoes a huge payload
        expect({ config: snapshotTree(t.configDir), data: snapshotTree(t.dataDir), exports: snapshotTree(t.exportDir) }).toEqual(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  }

  it('refuses unknown channels by name', async () => {
    const result = await dispatch(t.ctx, 'fs:readFile', { path: '/etc/passwd' });
    expect(result).toEqual({ ok: false, error: { code: 'unknown_channel', message: 'unknown API channel "fs:readFile"' } });
    expect((await dispatch(t.ctx, 42, {})).ok).toBe(false);
    expect((await dispatch(t.ctx, '__proto__', {})).ok).toBe(false);
    expect((await dispatch(t.ctx, 'toString', {})).ok).toBe(false);
  });

  it('serves valid requests on every channel', async () => {
    const info = await dispatch(t.ctx, 'app:info', {});
    expect(info.ok && (info.data as { backend: { name: string } }).backend.name).toBe('cpu');
    const set = await dispatch(t.ctx, 'settings:set', { backend: 'wasm' });
    expect(set.ok && set.data).toMatchObject({ backend: 'wasm', theme: 'dark', dataDir: t.dataDir });
    const list = await dispatch(t.ctx, 'runs:list', {});
    expect(list.ok && (list.data as { id: string }[]).map((r) => r.id)).toEqual(['kept']);
    const got = await dispatch(t.ctx, 'runs:get', { id: 'kept' });
    expect(got.ok && (got.data as { summary: { method: string } }).summary.method).toBe('sft');
  });

  it('reports a missing run as not_found, naming it', async () => {
    const result = await dispatch(t.ctx, 'runs:get', { id: 'nope' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(!result.ok && result.error.message).toContain('"nope"');
    expect(fs.existsSync(path.join(t.dataDir, 'nope'))).toBe(false);
  });
});
