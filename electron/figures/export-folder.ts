/**
 * Writes figure exports into the export folder (the `dashboard.exportDir` setting). Names arrive
 * validated by the contract (plain names, fixed extensions: shared/api/channels/figures.ts); this
 * module still checks every target stays inside the folder, because it is the one that writes.
 *
 * Collisions: nothing existing is ever replaced. A save is a set (the figure, its CSV, its view
 * spec) that must keep one stem, so when any name of the set is taken the whole set gets the first
 * numeric suffix under which every name is free: `fig.svg` → `fig-2.svg`, `fig.view.json` →
 * `fig-2.view.json` (the suffix goes before the first dot). Each file is written atomically and
 * exclusively (electron/runs/store.ts); if another writer takes a name meanwhile, what this save
 * already wrote is removed and the next suffix is tried.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../runs/store';

/** A failure the caller can act on (dispatch turns it into an error value with this code). */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly code: 'bad_request' | 'not_found' = 'bad_request',
  ) {
    super(message);
  }
}

/** Suffixes tried before giving up: a folder holding fig … fig-999 needs a human, not a loop. */
export const MAX_SUFFIX = 999;

export interface ExportFileData {
  name: string;
  data: string | Uint8Array;
}

export interface SavedExport {
  dir: string;
  files: string[];
  suffix: number | null;
}

/** `name` with `-n` before its first dot; n = 1 is the name itself. */
export function numberedName(name: string, n: number): string {
  if (n === 1) return name;
  const dot = name.indexOf('.');
  return dot < 0 ? `${name}-${n}` : `${name.slice(0, dot)}-${n}${name.slice(dot)}`;
}

/** Whether anything, even a dangling symbolic link, has this path. */
function taken(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function target(dir: string, name: string): string {
  const file = path.resolve(dir, name);
  if (path.dirname(file) !== dir || path.basename(file) !== name) throw new ExportError(`"${name}" would be written outside the export folder ${dir}`);
  return file;
}

/** Creates the export folder when missing; refuses a path that is there but not a folder. */
export function ensureExportFolder(dir: string): string {
  const resolved = path.resolve(dir);
  const notAFolder = `the export folder ${resolved} is not a folder (a file has that path); choose another in Settings`;
  try {
    fs.mkdirSync(resolved, { recursive: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EEXIST' || e.code === 'ENOTDIR') throw new ExportError(notAFolder);
    throw new ExportError(`cannot create the export folder ${resolved}: ${e.message}`);
  }
  if (!fs.statSync(resolved).isDirectory()) throw new ExportError(notAFolder);
  return resolved;
}

/** Saves a set of files under one free suffix (see the module comment). */
export function saveExportFiles(dir: string, files: readonly ExportFileData[]): SavedExport {
  const folder = ensureExportFolder(dir);
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const names = files.map((f) => numberedName(f.name, n));
    const paths = names.map((name) => target(folder, name));
    if (paths.some(taken)) continue;
    const written: string[] = [];
    try {
      files.forEach((f, i) => {
        writeFileAtomic(paths[i] as string, f.data, { exclusive: true });
        written.push(paths[i] as string);
      });
      return { dir: folder, files: names, suffix: n === 1 ? null : n };
    } catch (error) {
      // Only what this save created is removed: those names were free a moment ago.
      for (const p of written) fs.rmSync(p, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // another writer won the name
      throw new ExportError(`could not write ${names[written.length]} in ${folder}: ${(error as Error).message}`);
    }
  }
  throw new ExportError(`the export folder ${folder} already holds ${files[0]?.name} and its numbered copies up to -${MAX_SUFFIX}; change the figure's title or tidy the folder`);
}
