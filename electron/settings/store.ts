/**
 * Settings persistence. One schema (shared/api/settings.ts) for every process: the desktop app
 * passes electron-store's class, browser mode and the CLI use its base package `conf`; both share
 * the same API. Every value is validated with zod on read and on write.
 *
 * A settings file that cannot be parsed is never overwritten: it is moved aside to
 * `config.json.corrupt-<time>` (so nothing saved is lost) and defaults are used, with a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { describeIssues } from '../../shared/api/contract';
import { DEFAULT_DASHBOARD, settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../../shared/api/settings';
import { defaultConfigDir, defaultDataDir } from '../paths';

export interface SettingsStore {
  get(): Settings;
  /** Validates and applies a partial update; throws SettingsError naming the bad field. */
  set(patch: unknown): Settings;
  /** Problems met while loading (e.g. a corrupt file that was moved aside). */
  readonly warnings: readonly string[];
  readonly filePath: string;
}

export class SettingsError extends Error {}

/** The constructor shape shared by `conf` and `electron-store`. */
type ConfLike = new (options: { cwd?: string; configName?: string; projectName?: string; defaults?: Settings }) => {
  store: Record<string, unknown>;
  set(values: Record<string, unknown>): void;
  readonly path: string;
};

export interface SettingsStoreOptions {
  /** Folder of the settings file. Defaults to SFTRL_CONFIG_DIR or the user's config folder. */
  cwd?: string;
  /** Default data directory. Defaults to SFTRL_DATA_DIR or the user's data folder. */
  dataDir?: string;
  /** electron-store in the app; conf elsewhere. */
  StoreClass?: ConfLike;
}

export function defaultSettings(dataDir = defaultDataDir()): Settings {
  return { dataDir, backend: 'auto', wasmThreads: 1, theme: 'system', concurrentJobs: null, dashboard: DEFAULT_DASHBOARD };
}

export function openSettingsStore(options: SettingsStoreOptions = {}): SettingsStore {
  const cwd = options.cwd ?? defaultConfigDir();
  const defaults = defaultSettings(options.dataDir ?? defaultDataDir());
  const StoreClass = options.StoreClass ?? (Conf as unknown as ConfLike);
  const warnings: string[] = [];
  const make = () => new StoreClass({ cwd, configName: 'config', projectName: 'sftrl-workbench', defaults });

  let conf: InstanceType<ConfLike>;
  try {
    conf = make();
  } catch (error) {
    const file = path.join(cwd, 'config.json');
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(file, aside);
    warnings.push(`settings file ${file} could not be read (${(error as Error).message}); it was moved to ${aside} and defaults are in use`);
    conf = make();
  }

  const read = (): Settings => {
    // Unknown keys from older versions are ignored; invalid known ones fall back to their default.
    const merged: Record<string, unknown> = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof Settings)[]) {
      const candidate = { ...defaults, [key]: conf.store[key] };
      if (conf.store[key] !== undefined && settingsSchema.safeParse(candidate).success) merged[key] = conf.store[key];
      else if (conf.store[key] !== undefined) warnings.push(`settings field "${key}" held an invalid value and was reset to its default`);
    }
    return settingsSchema.parse(merged);
  };

  return {
    get: read,
    set(patch: unknown): Settings {
      const parsed = settingsPatchSchema.safeParse(patch);
      if (!parsed.success) throw new SettingsError(`invalid settings: ${describeIssues(parsed.error)}`);
      const next = { ...read(), ...(parsed.data as SettingsPatch) };
      conf.set(next);
      return read();
    },
    warnings,
    get filePath() {
      return conf.path;
    },
  };
}
