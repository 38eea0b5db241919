/**
 * Where the replayed episode comes from: a generated route (city, seed, action space,
 * observation), a real V-IRL route file, or an episodes file written by the CLI or a run — picked
 * here, or named by a Runs page link (`#/map?run=…&file=…`, fetched through runs:episodes).
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Response } from '../../../../shared/api/contract';
import { useRunEpisodesLink } from '../../runEpisodes';
import { readEpisodesFile, type Replayable } from './model';
import {
  loadFileEpisode, loadGenerated, loadImported, loadRunFile, MAX_EPISODES_FILE_CHARS, MAX_ROUTE_FILE_CHARS, readText,
  type ActionSpace, type EpisodesFile, type ImportedFile, type Observation,
} from './load';

type Tab = 'generated' | 'imported' | 'file';
type Cities = Response<'virl:cities'>;

const TABS: Array<[Tab, string]> = [['generated', 'Generated route'], ['imported', 'Real V-IRL route'], ['file', 'Episodes file']];

function VariantSelects({ actionSpace, observation, onChange }: { actionSpace: ActionSpace; observation: Observation; onChange(a: ActionSpace, o: Observation): void }) {
  return (
    <>
      <label>Action space
        <select name="actionSpace" value={actionSpace} onChange={(e) => onChange(e.target.value as ActionSpace, observation)}>
          <option value="absolute">absolute (north, east…)</option>
          <option value="relative">relative (left, right…)</option>
        </select>
      </label>
      <label>Observation
        <select name="observation" value={observation} onChange={(e) => onChange(actionSpace, e.target.value as Observation)}>
          <option value="text">text (V-IRL-L)</option>
          <option value="vision">vision (V-IRL-VL)</option>
        </select>
      </label>
    </>
  );
}

export function SourcePanel({ cities, onLoad, onFile, busy, setBusy }: {
  cities: Cities; onLoad(r: Replayable): void; onFile(f: EpisodesFile | null): void; busy: boolean; setBusy(b: boolean): void;
}) {
  const [tab, setTab] = useState<Tab>('generated');
  const [city, setCity] = useState('nyc');
  const [seed, setSeed] = useState(0);
  const [actionSpace, setActionSpace] = useState<ActionSpace>('absolute');
  const [observation, setObservation] = useState<Observation>('text');
  const [styleCity, setStyleCity] = useState('nyc');
  const [imported, setImported] = useState<ImportedFile>();
  const [routeIndex, setRouteIndex] = useState(0);
  const [file, setFile] = useState<EpisodesFile>();
  const [error, setError] = useState<string>();
  const link = useRunEpisodesLink('map');

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const cityName = (id: string) => cities.find((c) => c.id === id)?.name ?? id;
  const generate = (e?: FormEvent) => {
    e?.preventDefault();
    void run(async () => onLoad(await loadGenerated(city, cityName(city), seed, actionSpace, observation)));
  };
  const importRoute = (f: { fileName: string; text: string }, index: number, a = actionSpace, o = observation, s = styleCity) =>
    run(async () => {
      const res = await loadImported(f, index, a, o, s);
      setImported(res.imported);
      setRouteIndex(index);
      onLoad(res.replay);
    });
  const openRouteFile = (f: File | undefined) => f && void run(async () => {
    const text = await readText(f, MAX_ROUTE_FILE_CHARS);
    await importRoute({ fileName: f.name, text }, 0);
  });
  // One path for picked files and run files: offer every episode, replay the first.
  const showEpisodes = async (read: EpisodesFile) => {
    setFile(read);
    onFile(read);
    const first = read.episodes[0];
    if (!first) throw new Error(`${read.fileName} holds no replayable VirlNav-v0 episode`);
    onLoad(await loadFileEpisode(first, read.fileName));
  };
  const openEpisodesFile = (f: File | undefined) => f && void run(async () => {
    const text = await readText(f, MAX_EPISODES_FILE_CHARS);
    await showEpisodes({ fileName: f.name, ...readEpisodesFile(text, f.name) });
  });

  useEffect(() => {
    if (!link) return;
    let live = true; // a newer link (or leaving the page) wins over a slow read
    setTab('file');
    void run(async () => {
      const read = await loadRunFile(link.id, link.file);
      if (live) await showEpisodes(read);
    });
    return () => {
      live = false;
    };
  }, [link]); // eslint-disable-line react-hooks/exhaustive-deps -- runs once per link; the helpers close over setters only

  return (
    <div className="card source-panel">
      <div className="tabs" role="tablist" aria-label="Episode source">
        {TABS.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)}>{label}</button>
        ))}
      </div>

      {tab === 'generated' ? (
        <form className="source-form" onSubmit={generate} aria-label="Generated route">
          <label>City
            <select name="city" value={city} onChange={(e) => setCity(e.target.value)}>
              {cities.map((c) => <option key={c.id} value={c.id}>{c.name}{c.split === 'id' ? ' (training)' : ' (OOD)'}</option>)}
            </select>
          </label>
          <label>Route seed
            <input name="seed" type="number" min={0} max={2147483647} step={1} value={seed} onChange={(e) => setSeed(Math.max(0, Math.trunc(Number(e.target.value) || 0)))} />
          </label>
          <VariantSelects actionSpace={actionSpace} observation={observation} onChange={(a, o) => { setActionSpace(a); setObservation(o); }} />
          <button type="submit" className="primary" disabled={busy}>Generate</button>
        </form>
      ) : null}

      {tab === 'imported' ? (
        <div className="source-form" aria-label="Real V-IRL route">
          <label>Route file (.json)
            <input type="file" name="routeFile" accept=".json,application/json" onChange={(e) => openRouteFile(e.target.files?.[0])} />
          </label>
          {imported && imported.routes.length > 1 ? (
            <label>Route
              <select name="routeIndex" value={routeIndex} onChange={(e) => void importRoute(imported, Number(e.target.value))}>
                {imported.routes.map((r) => <option key={r.index} value={r.index}>#{r.index + 1} {r.start} → {r.destination} ({r.metres} m)</option>)}
              </select>
            </label>
          ) : null}
          <VariantSelects actionSpace={actionSpace} observation={observation} onChange={(a, o) => {
            setActionSpace(a);
            setObservation(o);
            if (imported) void importRoute(imported, routeIndex, a, o);
          }} />
          <label title="City whose street-view style draws the real route's views">Style
            <select name="styleCity" value={styleCity} onChange={(e) => {
              setStyleCity(e.target.value);
              if (imported) void importRoute(imported, routeIndex, actionSpace, observation, e.target.value);
            }}>
              {cities.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </label>
        </div>
      ) : null}

      {tab === 'file' ? (
        <div className="source-form" aria-label="Episodes file">
          <label>Episodes file (.jsonl)
            <input type="file" name="episodesFile" accept=".jsonl,.json,.txt,application/x-ndjson" onChange={(e) => openEpisodesFile(e.target.files?.[0])} />
          </label>
          {file ? <span className="muted" data-testid="episodes-file">{file.fileName}: {file.episodes.length} replayable</span> : null}
          {file && file.episodes.length > 0 ? (
            <label className="grow">Episode
              <select name="episode" key={`${file.fileName}-${file.episodes.length}`} onChange={(e) => {
                const fe = file.episodes[Number(e.target.value)];
                if (fe) void run(async () => onLoad(await loadFileEpisode(fe, file.fileName)));
              }}>
                {file.episodes.map((fe) => <option key={fe.index} value={fe.index}>{fe.label}</option>)}
              </select>
            </label>
          ) : null}
        </div>
      ) : null}

      {tab === 'file' && file && file.problems.length > 0 ? (
        <details className="banner warn" data-testid="file-problems">
          <summary>{file.problems.length} line(s) of {file.fileName} left out</summary>
          <ul>{file.problems.slice(0, 50).map((p) => <li key={p}>{p}</li>)}</ul>
        </details>
      ) : null}
      {error ? <div className="banner error" role="alert" data-testid="source-error">{error}</div> : null}
    </div>
  );
}
