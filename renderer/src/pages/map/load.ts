/** Loading episodes for the viewer through the API: generated routes, real route files, file records, A/B partners. */
import { MAX_ROUTE_FILE_CHARS, type VirlRouteSummary } from '../../../../shared/api/channels/virl';
import { getApi } from '../../api/client';
import { readEpisodesFile, toReplayable, type FileEpisode, type Replayable } from './model';

export type ActionSpace = 'absolute' | 'relative';
export type Observation = 'text' | 'vision';

export async function loadGenerated(city: string, cityName: string, seed: number, actionSpace: ActionSpace, observation: Observation): Promise<Replayable> {
  const view = await getApi().virlRoute({ city, seed, actionSpace, observation });
  return toReplayable(view, `${cityName} · route ${seed}`);
}

/** Reads a browser File as text, refusing files the import channel would refuse anyway before sending them. */
export async function readText(file: File, maxChars: number): Promise<string> {
  if (file.size > maxChars * 4) throw new Error(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the limit is ${(maxChars / 1e6).toFixed(1)} M characters`);
  const text = await file.text();
  if (text.length > maxChars) throw new Error(`${file.name} has ${text.length} characters; the limit is ${maxChars}. Split it into smaller files.`);
  return text;
}

export interface ImportedFile {
  fileName: string;
  text: string;
  routes: VirlRouteSummary[];
}

export async function loadImported(
  file: { fileName: string; text: string }, index: number, actionSpace: ActionSpace, observation: Observation, styleCity: string,
): Promise<{ imported: ImportedFile; replay: Replayable }> {
  const res = await getApi().virlImport({ fileName: file.fileName, text: file.text, index, actionSpace, observation, styleCity });
  const s = res.routes[res.index];
  const origin = `${res.fileName}${res.routes.length > 1 ? ` #${res.index + 1}` : ''} · ${s?.start ?? ''} → ${s?.destination ?? ''}`;
  return { imported: { ...file, routes: res.routes }, replay: toReplayable(res.view, origin) };
}

export { MAX_ROUTE_FILE_CHARS };

/** Largest episodes file the viewer reads (parsed in the page, never sent whole). */
export const MAX_EPISODES_FILE_CHARS = 64_000_000;

export async function loadFileEpisode(fe: FileEpisode, fileName: string): Promise<Replayable> {
  const map = await getApi().virlMap({ route: fe.route, rail: fe.rail });
  return toReplayable({ episode: fe.record, map }, `${fileName} ${fe.label.split(' · ')[0] ?? ''} · ${fe.record.actor.name}`);
}

/** The expert or a seeded random policy on A's route and rail (same episode seed, same variant). */
export async function loadPartner(a: Replayable, policy: 'expert' | 'random', policySeed: number): Promise<Replayable> {
  const styleCity = a.scene.kind === 'route' ? a.scene.styleCity : undefined;
  // Records written before the two envs shared an option name call it `verifyLimit`.
  const { verificationLimit: limit, verifyLimit: legacy } = a.episode.initial;
  const verificationLimit = typeof limit === 'number' ? limit : typeof legacy === 'number' ? legacy : undefined;
  const view = await getApi().virlEpisode({
    route: a.route, seed: a.episode.seed, actionSpace: a.variant.actionSpace, observation: a.variant.observation, policy, policySeed,
    ...(styleCity ? { styleCity } : {}), ...(verificationLimit ? { verificationLimit } : {}),
  });
  return toReplayable(view, policy === 'expert' ? 'expert on the same route' : `random policy (seed ${policySeed}) on the same route`);
}

/** An opened episodes file: its replayable episodes, the lines left out, and the run it belongs to (when opened from one). */
export interface EpisodesFile {
  fileName: string;
  episodes: FileEpisode[];
  problems: string[];
  run?: { id: string; file: string };
}

/** One episodes file of a run (runs:episodes), parsed; the error names the run and file. */
export async function loadRunFile(id: string, file: string): Promise<EpisodesFile> {
  const res = await getApi().readRunEpisodes({ id, file }).catch((e: Error) => {
    throw new Error(`cannot open ${file} of run ${id}: ${e.message}`);
  });
  const fileName = `${id} / ${res.fileName}`;
  return { fileName, ...readEpisodesFile(res.text, fileName), run: { id, file } };
}
