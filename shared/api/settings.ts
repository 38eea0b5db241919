/** The one settings schema shared by the app (electron-store), browser mode and the CLI (conf). */
import { z } from 'zod';

export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;

/** Absolute filesystem path without `..` segments or control characters. */
export const absolutePathSchema = z
  .string()
  .min(1, 'path is empty')
  .max(1024, 'path is longer than 1024 characters')
  .refine((p) => !/[\u0000-\u001f]/.test(p), 'path contains control characters')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'path must be absolute')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'path must not contain ".." segments');

export const settingsSchema = z
  .object({
    /** Folder holding the run store (one sub-folder per run). */
    dataDir: absolutePathSchema,
    /** Which TensorFlow.js backend training should use; `auto` tries tensorflow, then wasm, then cpu. */
    backend: z.enum(BACKEND_PREFERENCES),
    /** Colour theme of the UI; `system` follows the operating system. */
    theme: z.enum(THEMES),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

/** A partial update: at least one known field, no unknown ones. */
export const settingsPatchSchema = settingsSchema
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'settings update names no field');
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
