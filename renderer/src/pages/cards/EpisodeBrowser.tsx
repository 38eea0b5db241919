/**
 * The episode browser: opens an episodes file (JSON lines, read here in the page: nothing is
 * uploaded) or a run's episodes file named by a Runs page link (fetched through runs:episodes),
 * reports unreadable lines, and lists GeneralPoints episodes with filters.
 */
import { useEffect, useMemo, useState, type ChangeEvent } from 'react';
import { parseEpisodesJsonl } from '../../../../shared/api/episode';
import { getApi } from '../../api/client';
import type { RunEpisodesRef } from '../../runEpisodes';
import { EpisodeCard } from './EpisodeCard';
import { EpisodeFilters } from './EpisodeFilters';
import { NO_FILTER, matches, toEpisodeView, type EpisodeFilter, type GpEpisodeView } from './episodes';

const PAGE = 40;
/** Files beyond this are refused with a message instead of freezing the page. */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

interface Loaded {
  name: string;
  episodes: GpEpisodeView[];
  errors: string[];
  otherEnvs: number;
}

/** `link`: a run's episodes file to open (from `#/cards?run=…&file=…`); a new object opens it again. */
export function EpisodeBrowser({ link }: { link?: RunEpisodesRef | null }) {
  const [loaded, setLoaded] = useState<Loaded>();
  const [problem, setProblem] = useState<string>();
  const [filter, setFilter] = useState<EpisodeFilter>(NO_FILTER);
  const [shown, setShown] = useState(PAGE);
  const [opening, setOpening] = useState<string>();

  // One path for picked files and run files: parse, keep the GeneralPoints episodes, reset filters.
  const show = (name: string, text: string) => {
    const { episodes, errors } = parseEpisodesJsonl(text);
    const gp = episodes.filter((e) => e.envId.startsWith('GeneralPoints'));
    setLoaded({ name, episodes: gp.map((e, i) => toEpisodeView(e, i + 1)), errors, otherEnvs: episodes.length - gp.length });
    setFilter(NO_FILTER);
    setShown(PAGE);
  };

  const open = async (ev: ChangeEvent<HTMLInputElement>) => {
    const file = ev.target.files?.[0];
    if (!file) return;
    setProblem(undefined);
    if (file.size > MAX_FILE_BYTES) {
      setProblem(`${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the browser opens files up to ${MAX_FILE_BYTES / 1e6} MB.`);
      return;
    }
    try {
      show(file.name, await file.text());
    } catch (e) {
      setProblem(`cannot read ${file.name}: ${(e as Error).message}`);
    }
  };

  useEffect(() => {
    if (!link) return;
    let live = true; // a newer link (or leaving the page) wins over a slow read
    setProblem(undefined);
    setOpening(`${link.id} / ${link.file}`);
    getApi().readRunEpisodes(link).then(
      (res) => live && show(`${link.id} / ${res.fileName}`, res.text),
      (e: Error) => live && setProblem(`cannot open ${link.file} of run ${link.id}: ${e.message}`),
    ).finally(() => live && setOpening(undefined));
    return () => {
      live = false;
    };
  }, [link]); // eslint-disable-line react-hooks/exhaustive-deps -- runs once per link; show closes over setters only

  const visible = useMemo(() => (loaded ? loaded.episodes.filter((e) => matches(e, filter)) : []), [loaded, filter]);
  const solved = loaded ? loaded.episodes.filter((e) => e.success).length : 0;

  return (
    <div className="gp-episodes" data-testid="episode-browser">
      <div className="card gp-open">
        <label className="gp-file">
          <span className="gp-file-button">Open episodes file…</span>
          <input type="file" name="episodes" accept=".jsonl,.json,.ndjson,.txt,application/json" onChange={open} />
        </label>
        <div className="gp-open-text">
          {opening ? <span className="muted" role="status">Opening {opening}…</span> : loaded ? (
            <span data-testid="episodes-summary">
              <strong>{loaded.name}</strong>: {loaded.episodes.length} GeneralPoints episodes, {solved} solved ({loaded.episodes.length ? Math.round((100 * solved) / loaded.episodes.length) : 0}%)
              {loaded.otherEnvs > 0 ? `; ${loaded.otherEnvs} of other environments not shown` : ''}
            </span>
          ) : (
            <span className="muted">
              A JSON-lines file of episode records, as runs write them or as <code>sftrl gp episodes --policy expert|random --n 100 --out FILE</code> makes one. It is read in this page only.
            </span>
          )}
        </div>
      </div>
      {problem ? <div className="banner error" role="alert">{problem}</div> : null}
      {loaded && loaded.errors.length > 0 ? (
        <div className="banner warn" data-testid="episode-errors">
          <strong>{loaded.errors.length} {loaded.errors.length === 1 ? 'line' : 'lines'} could not be read:</strong>
          <ul>
            {loaded.errors.slice(0, 8).map((e) => <li key={e}>{e}</li>)}
            {loaded.errors.length > 8 ? <li>… and {loaded.errors.length - 8} more</li> : null}
          </ul>
        </div>
      ) : null}
      {loaded && loaded.episodes.length > 0 ? (
        <>
          <EpisodeFilters episodes={loaded.episodes} filter={filter} onChange={(f) => { setFilter(f); setShown(PAGE); }} />
          <p className="muted gp-small" data-testid="episode-count">
            Showing {Math.min(shown, visible.length)} of {visible.length} matching ({loaded.episodes.length} in the file).
          </p>
          <div className="gp-episode-list">
            {visible.slice(0, shown).map((e) => <EpisodeCard key={e.key} e={e} />)}
          </div>
          {visible.length > shown ? (
            <button type="button" onClick={() => setShown(shown + PAGE)}>Show {Math.min(PAGE, visible.length - shown)} more</button>
          ) : null}
          {visible.length === 0 ? <div className="card empty"><p>No episode matches these filters.</p></div> : null}
        </>
      ) : null}
    </div>
  );
}
