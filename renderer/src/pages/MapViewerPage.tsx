/**
 * The V-IRL map viewer: a top-down map of the city or real route with the agent's trajectory,
 * and a step-through replay of one episode — or of two on the same route, scrubbed together
 * (A/B: expert vs random, another episode of the file, or the same route in another run's
 * evaluation file, e.g. the SFT checkpoint's beside the RL checkpoint's).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getApi } from '../api/client';
import { ReplayControls } from '../components/replay/ReplayControls';
import { useReplay, useReplayKeys } from '../components/replay/useReplay';
import { useAsync } from '../hooks';
import { EpisodePane } from './map/EpisodePane';
import { useRunEpisodesLink } from '../runEpisodes';
import { loadFileEpisode, loadGenerated, loadPartner, loadRunFile, type EpisodesFile } from './map/load';
import { matchOnRoute, type Replayable } from './map/model';
import { RunPartnerPicker } from './map/RunPartner';
import { SourcePanel } from './map/SourcePanel';
import './map/map.css';

/** Where B comes from: a policy run on A's route, another episode of the opened file, or A's route in a run's file. */
type Partner = { kind: 'expert' } | { kind: 'random'; seed: number } | { kind: 'file'; index: number } | { kind: 'run'; id: string; file: string };

function partnerValue(p: Partner): string {
  return p.kind === 'file' ? `file:${p.index}` : p.kind;
}

/** B's episode on A's route in a run's file (files are read once per page visit). */
async function loadRunPartner(cache: Map<string, Promise<EpisodesFile>>, id: string, file: string, a: Replayable): Promise<Replayable> {
  const key = `${id}/${file}`;
  let read = cache.get(key);
  if (!read) {
    read = loadRunFile(id, file);
    cache.set(key, read);
    read.catch(() => cache.delete(key));
  }
  const f = await read;
  const fe = matchOnRoute(f.episodes, a);
  if (!fe) throw new Error(`${f.fileName} has no episode on this route`);
  return loadFileEpisode(fe, f.fileName);
}

export function MapViewerPage() {
  const cities = useAsync(() => getApi().virlCities({}), []);
  const [a, setA] = useState<Replayable>();
  const [b, setB] = useState<Replayable | null>(null);
  const [file, setFile] = useState<EpisodesFile | null>(null);
  const [compare, setCompare] = useState(false);
  const [partner, setPartner] = useState<Partner>({ kind: 'random', seed: 1 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const runFiles = useRef(new Map<string, Promise<EpisodesFile>>());
  const link = useRunEpisodesLink('map');

  // A Runs page link with `vs` opens the A/B view with that run's file of the same name as B.
  useEffect(() => {
    if (!link?.vs) return;
    setCompare(true);
    setPartner({ kind: 'run', id: link.vs, file: link.file });
  }, [link]);

  // Open on something to look at: the first route of the training city.
  useEffect(() => {
    loadGenerated('nyc', 'New York', 0, 'absolute', 'text').then((r) => setA((cur) => cur ?? r), (e: Error) => setError(e.message));
  }, []);

  const sameRoute = useMemo(() => (file && a ? file.episodes.filter((fe) => fe.routeKey === a.routeKey && fe.record !== a.episode) : []), [file, a]);

  // B follows A: reload it whenever A or the choice of partner changes.
  useEffect(() => {
    if (!compare || !a) {
      setB(null);
      return;
    }
    let live = true;
    setError(undefined);
    if (partner.kind === 'run' && !(partner.id && partner.file)) {
      setB(null); // the picker is still choosing
      return;
    }
    const fe = partner.kind === 'file' ? sameRoute.find((x) => x.index === partner.index) : undefined;
    const load = partner.kind === 'file'
      ? fe ? loadFileEpisode(fe, file?.fileName ?? 'file') : Promise.reject(new Error('that episode is not on this route'))
      : partner.kind === 'run' ? loadRunPartner(runFiles.current, partner.id, partner.file, a)
        : loadPartner(a, partner.kind, partner.kind === 'random' ? partner.seed : 0);
    load.then((r) => live && setB(r), (e: Error) => {
      if (!live) return;
      setB(null); // never a stale B beside the error
      setError(`B: ${e.message}`);
    });
    return () => {
      live = false;
    };
  }, [compare, a, partner, sameRoute, file]);

  const panes = compare && b && a ? [a, b] : a ? [a] : [];
  const count = Math.max(0, ...panes.map((p) => p.steps.length));
  const errors = useMemo(() => [...new Set(panes.flatMap((p) => p.errors))].sort((x, y) => x - y), [a, b, compare]); // eslint-disable-line react-hooks/exhaustive-deps
  const replay = useReplay(count, errors);
  useReplayKeys(replay, panes.length > 0);
  // A new episode A starts at its first step (B arriving later must not rewind the replay).
  const goRef = useRef(replay.go);
  goRef.current = replay.go;
  useEffect(() => goRef.current(0), [a?.key]);

  const onLoad = useCallback((r: Replayable) => {
    setA(r);
    // A model's episode is best compared with the expert; the expert with a random floor. (A file
    // partner is dropped: it was chosen for the previous route. Another run's file is kept for a
    // checkpoint's episode: B follows A to its route there.)
    setPartner((p) => (p.kind === 'run' && r.episode.actor.kind === 'checkpoint' ? p
      : r.episode.actor.kind === 'expert' ? { kind: 'random', seed: p.kind === 'random' ? p.seed : 1 } : { kind: 'expert' }));
  }, []);

  return (
    <section className="page map-page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Map viewer</h1>
        {busy ? <span className="muted" role="status">Loading…</span> : null}
      </header>
      <p className="lead">V-IRL navigation: follow route instructions through a city by its landmarks. Step through an episode on the map, or compare two on the same route.</p>
      {cities.error ? <div className="banner error" role="alert">{cities.error}</div> : null}
      {cities.data ? <SourcePanel cities={cities.data} onLoad={onLoad} onFile={setFile} busy={busy} setBusy={setBusy} /> : null}

      {a ? (
        <div className="card replay-bar">
          <ReplayControls replay={replay} errorCount={errors.length} />
          <div className="compare" role="group" aria-label="A/B comparison">
            <label className="check">
              <input type="checkbox" name="compare" checked={compare} onChange={(e) => setCompare(e.target.checked)} />
              Compare A/B
            </label>
            {compare ? (
              <>
                <label>B
                  <select name="partner" value={partnerValue(partner)} onChange={(e) => {
                    const v = e.target.value;
                    setPartner(v === 'expert' ? { kind: 'expert' } : v === 'random' ? { kind: 'random', seed: 1 }
                      : v === 'run' ? { kind: 'run', id: '', file: '' } : { kind: 'file', index: Number(v.slice(5)) });
                  }}>
                    <option value="expert">expert on this route</option>
                    <option value="random">random policy on this route</option>
                    <option value="run">this route in another run's file</option>
                    {sameRoute.map((fe) => <option key={fe.index} value={`file:${fe.index}`}>{fe.label}</option>)}
                  </select>
                </label>
                {partner.kind === 'run' ? (
                  <RunPartnerPicker value={partner} aRun={a && file?.episodes.some((fe) => fe.record === a.episode) ? file.run : undefined} onChange={(v) => setPartner({ kind: 'run', ...v })} />
                ) : null}
                {partner.kind === 'random' ? (
                  <label>policy seed
                    <input name="policySeed" type="number" min={0} value={partner.seed} onChange={(e) => setPartner({ kind: 'random', seed: Math.max(0, Math.trunc(Number(e.target.value) || 0)) })} />
                  </label>
                ) : null}
              </>
            ) : null}
          </div>
        </div>
      ) : null}
      {error ? <div className="banner error" role="alert">{error}</div> : null}

      <div className={panes.length > 1 ? 'panes ab' : 'panes'}>
        {panes.map((p, i) => (
          <EpisodePane key={i} r={p} index={replay.index} side={panes.length > 1 ? (i === 0 ? 'A' : 'B') : undefined} compact={panes.length > 1} />
        ))}
      </div>
      {!a && !error ? <p className="muted">Loading a route…</p> : null}
    </section>
  );
}
