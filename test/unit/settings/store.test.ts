import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSettingsStore, SettingsError } from '../../../electron/settings/store';
import { DEFAULT_DASHBOARD } from '../../../shared/api/settings';
import { tempDir } from '../../helpers/tmp';

describe('settings store', () => {
  const tmp = tempDir();
  afterEach(() => fs.rmSync(tmp.dir, { recursive: true, force: true }));

  it('starts from defaults and round-trips through a new process-like instance', () => {
    const cwd = path.join(tmp.dir, 'a');
    const first = openSettingsStore({ cwd, dataDir: '/data/runs' });
    // concurrentJobs null: one job per core of whatever machine the settings are read on.
    expect(first.get()).toEqual({ dataDir: '/data/runs', backend: 'auto', wasmThreads: 1, theme: 'system', concurrentJobs: null, dashboard: DEFAULT_DASHBOARD });
    first.set({ theme: 'dark', backend: 'wasm', dataDir: '/elsewhere/runs', concurrentJobs: 3, wasmThreads: 4 });
    const second = openSettingsStore({ cwd, dataDir: '/data/runs' });
    expect(second.get()).toEqual({ dataDir: '/elsewhere/runs', backend: 'wasm', wasmThreads: 4, theme: 'dark', concurrentJobs: 3, dashboard: DEFAULT_DASHBOARD });
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'config.json'), 'utf8'))).toMatchObject({ theme: 'dark' });
  });

  it('rejects an invalid update with the field named, keeping what was saved', () => {
    const cwd = path.join(tmp.dir, 'b');
    const store = openSettingsStore({ cwd, dataDir: '/data/runs' });
    store.set({ theme: 'light' });
    const before = fs.readFileSync(path.join(cwd, 'config.json'), 'utf8');
    expect(() => store.set({ theme: 'light', backend: 'gpu' })).toThrow(SettingsError);
    expect(() => store.set({ dataDir: 'relative' })).toThrow(/dataDir: path must be absolute/);
    expect(() => store.set({ wasmThreads: 0 })).toThrow(/wasmThreads: wasmThreads must be at least 1/);
    expect(() => store.set({ wasmThreads: 9 })).toThrow(/wasmThreads: wasmThreads must be at most 8/);
    expect(() => store.set({ wasmThreads: 1.5 })).toThrow(/wasmThreads must be a whole number/);
    expect(fs.readFileSync(path.join(cwd, 'config.json'), 'utf8')).toBe(before);
    expect(store.get().theme).toBe('light');
  });

  it('moves a corrupt settings file aside instead of overwriting it', () => {
    const cwd = path.join(tmp.dir, 'c');
    fs.mkdirSync(cwd, { recursive: true });
    fs.writeFileSync(path.join(cwd, 'config.json'), '{"theme": "dark", ');
    const store = openSettingsStore({ cwd, dataDir: '/data/runs' });
    expect(store.get().theme).toBe('system');
    expect(store.warnings[0]).toMatch(/could not be read.*moved to/);
    const aside = fs.readdirSync(cwd).find((f) => f.startsWith('config.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(fs.readFileSync(path.join(cwd, aside as string), 'utf8')).toBe('{"theme": "dark", ');
  });

  it('resets a hand-edited invalid field to its default and says so', () => {
    const cwd = path.join(tmp.dir, 'd');
    fs.mkdirSync(cwd, { recursive: true });
    fs.writeFileSync(path.join(cwd, 'config.json'), JSON.stringify({ theme: 'neon', backend: 'cpu', dataDir: '/x/runs' }));
    const store = openSettingsStore({ cwd, dataDir: '/data/runs' });
    expect(store.get()).toEqual({ theme: 'system', backend: 'cpu', wasmThreads: 1, dataDir: '/x/runs', concurrentJobs: null, dashboard: DEFAULT_DASHBOARD });
    expect(store.warnings.join()).toMatch(/"theme" held an invalid value/);
  });
});
