/**
 * Links from the Runs page into the viewers: `#/cards?run=<id>&file=<file>` opens a run's episodes
 * file in the card inspector, `#/map?run=…&file=…` in the map viewer (`&vs=<run>` adds that run's
 * file of the same name as the A/B partner, matched route by route). routeFromHash ignores the
 * query, so the viewers read it here, on mount and whenever the hash changes.
 */
import { useEffect, useState } from 'react';
import { routeFromHash } from './routes';

export type EpisodesViewer = 'cards' | 'map';

/** One episodes file of one run, as named in a viewer link. */
export interface RunEpisodesRef {
  id: string;
  file: string;
  /** Another run whose file of the same name is compared with it (map viewer A/B). */
  vs?: string;
}

/** The viewer that shows a run's episodes, from its task; null for tasks no viewer draws. */
export function viewerOfTask(task: string | undefined): EpisodesViewer | null {
  if (task === 'GeneralPoints-v0') return 'cards';
  if (task === 'VirlNav-v0') return 'map';
  return null;
}

export function runEpisodesHref(viewer: EpisodesViewer, ref: RunEpisodesRef): string {
  return `#/${viewer}?${new URLSearchParams({ run: ref.id, file: ref.file, ...(ref.vs ? { vs: ref.vs } : {}) }).toString()}`;
}

/** The run and file named by a viewer link, or null when the hash is another page or names none. */
export function runEpisodesFromHash(hash: string, viewer: EpisodesViewer): RunEpisodesRef | null {
  if (routeFromHash(hash) !== viewer) return null;
  const q = hash.indexOf('?');
  if (q < 0) return null;
  const params = new URLSearchParams(hash.slice(q + 1));
  const id = params.get('run');
  const file = params.get('file');
  const vs = params.get('vs');
  // The server validates the names (runs:episodes); here only "is anything asked for".
  return id && file ? { id, file, ...(vs ? { vs } : {}) } : null;
}

/**
 * The link the viewer was opened with, updated on every hashchange. A fresh object per change, so
 * an effect keyed on it runs again when another file of the same page is asked for.
 */
export function useRunEpisodesLink(viewer: EpisodesViewer): RunEpisodesRef | null {
  const [ref, setRef] = useState(() => runEpisodesFromHash(window.location.hash, viewer));
  useEffect(() => {
    const onHash = () => setRef(runEpisodesFromHash(window.location.hash, viewer));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [viewer]);
  return ref;
}
