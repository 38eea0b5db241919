/** The types every handler table shares: the context handlers run in, and a table's shape. */
import type { z } from 'zod';
import type { AppInfo, BackendInfo } from '../../shared/api/info';
import type { PdfPrinter } from '../figures/pdf';
import type { JobManager } from '../jobs/manager';
import type { SettingsStore } from '../settings/store';

export interface ApiContext {
  mode: AppInfo['mode'];
  settings: SettingsStore;
  /** Resolves the tfjs backend for the current preference (cached by the caller). */
  backend(preference: string): Promise<BackendInfo>;
  versions: Record<string, string>;
  appVersion: string;
  /** Runs training jobs in worker processes; absent where jobs cannot run (e.g. `sftrl info`). */
  jobs?: JobManager;
  /** Where figure exports go when the export-folder setting is empty (default: paths.defaultExportDir()). */
  defaultExportDir?: string;
  /** Renders a figure's SVG to PDF with Electron's printToPDF; only the desktop app sets it. */
  printPdf?: PdfPrinter;
}

interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
}

/** Handlers for one channel table: each gets the parsed request and returns the response type. */
export type HandlerTable<T extends Record<string, ChannelSpec>> = {
  [C in keyof T]: (request: z.output<T[C]['request']>, ctx: ApiContext) => Promise<z.output<T[C]['response']>>;
};
