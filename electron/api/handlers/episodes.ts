/** Handler of `runs:episodes`: one episodes file of a run, as text, for the card inspector and map viewer. */
import fs from 'node:fs';
import path from 'node:path';
import { MAX_RUN_EPISODES_BYTES, type episodesChannels } from '../../../shared/api/channels/episodes';
import { runDir, RunStoreError } from '../../runs/store';
import type { HandlerTable } from '../types';

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Resolves `<dataDir>/<id>/episodes/<file>`. The schema already refuses separators and `..`; the
 * resolved path is checked again so a future schema change cannot open a path outside the folder.
 */
export function runEpisodesPath(dataDir: string, id: string, file: string): string {
  const folder = path.join(runDir(dataDir, id), 'episodes');
  const resolved = path.resolve(folder, file);
  if (path.dirname(resolved) !== folder || path.basename(resolved) !== file) throw new RunStoreError(`invalid episodes file name "${file}"`);
  return resolved;
}

export const episodesHandlers: HandlerTable<typeof episodesChannels> = {
  'runs:episodes': async (req, ctx) => {
    const dataDir = ctx.settings.get().dataDir;
    const dir = runDir(dataDir, req.id);
    if (!fs.existsSync(path.join(dir, 'run.json'))) throw new RunStoreError(`no run "${req.id}" in ${dataDir}`, 'not_found');
    const file = runEpisodesPath(dataDir, req.id, req.file);
    let stat: fs.Stats;
    try {
      // lstat: a symlink planted in episodes/ is not followed out of the run folder.
      stat = fs.lstatSync(file);
    } catch {
      throw new RunStoreError(`run "${req.id}" has no episodes file "${req.file}"`, 'not_found');
    }
    if (!stat.isFile()) throw new RunStoreError(`episodes/${req.file} of run "${req.id}" is not a regular file`, 'not_found');
    if (stat.size > MAX_RUN_EPISODES_BYTES) {
      throw new RunStoreError(
        `episodes/${req.file} of run "${req.id}" is ${megabytes(stat.size)}; the viewers open run files up to ${megabytes(MAX_RUN_EPISODES_BYTES)}. Open a smaller evaluation file, or copy it out and split it.`,
      );
    }
    return { fileName: req.file, text: fs.readFileSync(file, 'utf8') };
  },
};
