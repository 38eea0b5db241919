/** The one settings schema shared by the app (electron-store), browser mode and the CLI (conf). */
import { z } from 'zod';
import { DEFAULT_SMOOTHING, fieldKeySchema, PALETTE_NAMES, smoothingSchema, type PaletteName } from '../figures/spec';

export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
/** The most threads the WebAssembly backend can use (its worker pool has 8). */
export const MAX_WASM_THREADS = 8;
export const THEMES = ['system', 'light', 'dark'] as const;
/** Upper bound of the concurrency setting: far above any laptop's cores, low enough to stop a typo (a recipe-scale worker takes 1.2–1.7 GB). */
export const MAX_CONCURRENT_JOBS = 256;

/** Absolute filesystem path without `..` segments or control characters. */
export const absolutePathSchema = z
  .string()
  .min(1, 'path is empty')
  .max(1024, 'path is longer than 1024 characters')
  .refine((p) => !/[\u0000-\u001f]/.test(p), 'path contains control characters')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'path must be absolute')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'path must not contain ".." segments');

/** Results dashboard (issue 6): remembered across sessions so a view does not reset (MLflow #20129). */
export const dashboardSettingsSchema = z
  .object({
    smoothing: smoothingSchema,
    palette: z.enum(PALETTE_NAMES as [PaletteName, ...PaletteName[]]),
    /** Where the desktop app writes exports; null: the browser's or OS's downloads folder. */
    exportDir: absolutePathSchema.nullable(),
    /** Run-table columns, in order (summary fields or config fields such as `preset`). */
    columns: z.array(fieldKeySchema).max(30),
  })
  .strict();
export type DashboardSettings = z.infer<typeof dashboardSettingsSchema>;

export const DEFAULT_DASHBOARD: DashboardSettings = {
  smoothing: DEFAULT_SMOOTHING,
  palette: 'okabe-ito',
  exportDir: null,
  columns: ['name', 'preset', 'method', 'seed', 'status', 'points'],
};

export const settingsSchema = z
  .object({
    /** Folder holding the run store (one sub-folder per run). */
    dataDir: absolutePathSchema,
    /**
     * Which TensorFlow.js backend training should use; `auto` tries tensorflow, then wasm, then
     * cpu. `webgpu` (off unless chosen) tries WebGPU first, then the same chain.
     */
    backend: z.enum(BACKEND_PREFERENCES),
    /**
     * Threads of the WebAssembly backend per training run. 1 (the default) suits the run queue,
     * which already runs one run per core; more helps a single run on an otherwise idle machine.
     */
    wasmThreads: z.number().int('wasmThreads must be a whole number').min(1, 'wasmThreads must be at least 1').max(MAX_WASM_THREADS, `wasmThreads must be at most ${MAX_WASM_THREADS}`),
    /** Colour theme of the UI; `system` follows the operating system. */
    theme: z.enum(THEMES),
    /** Training jobs that run at once; more wait in the queue. null: one per core of the machine. */
    concurrentJobs: z.number().int().min(1, 'at least one job must be able to run').max(MAX_CONCURRENT_JOBS).nullable(),
    dashboard: dashboardSettingsSchema,
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

/** A partial update: at least one known field, no unknown ones. */
export const settingsPatchSchema = settingsSchema
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'settings update names no field');
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
