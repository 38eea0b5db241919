import { z } from 'zod';

/** The TensorFlow.js backend that was chosen, why, and why each better option was skipped. */
export const backendInfoSchema = z.object({
  name: z.enum(['webgpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
  reason: z.string(),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type BackendInfo = z.infer<typeof backendInfoSchema>;

export const appInfoSchema = z.object({
  appVersion: z.string(),
  /** How the workbench is running: the desktop app, browser mode, or the CLI. */
  mode: z.enum(['electron', 'browser', 'cli']),
  versions: z.record(z.string(), z.string()),
  platform: z.string(),
  /** Cores the workbench may use (os.availableParallelism()): the default number of concurrent jobs. */
  cores: z.number().int().positive(),
  backend: backendInfoSchema,
});
export type AppInfo = z.infer<typeof appInfoSchema>;
