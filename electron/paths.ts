/**
 * Default locations on disk. Environment variables override them, so tests, CI and scripted
 * runs never touch a user's real settings or runs:
 * - SFTRL_CONFIG_DIR: folder of the settings file (config.json)
 * - SFTRL_DATA_DIR: default data directory (run store) when settings name none
 * - SFTRL_EXPORT_DIR: default export folder (figure studio) when settings name none
 */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_DIR_NAME = 'sftrl-workbench';

export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SFTRL_CONFIG_DIR) return path.resolve(env.SFTRL_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, PRODUCT_DIR_NAME);
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SFTRL_DATA_DIR) return path.resolve(env.SFTRL_DATA_DIR);
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, PRODUCT_DIR_NAME, 'runs');
}

/**
 * Where "Save to export folder" writes when the export-folder setting is empty: a folder of its
 * own inside the user's Downloads folder (where the browser's downloads of the same files go).
 */
export function defaultExportDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SFTRL_EXPORT_DIR) return path.resolve(env.SFTRL_EXPORT_DIR);
  return path.join(os.homedir(), 'Downloads', PRODUCT_DIR_NAME);
}
