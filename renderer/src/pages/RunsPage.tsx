import { useCallback, useEffect, useState } from 'react';
import type { RunDetail, RunSummary } from '../../../shared/api/runs';
import { getApi } from '../api/client';
import { JobsPanel } from '../components/JobsPanel';
import { SweepsPanel } from '../components/SweepsPanel';
import { useAsync } from '../hooks';
import { runEpisodesHref, viewerOfTask } from '../runEpisodes';
import './runs.css';

function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

const RESUMABLE = new Set(['cancelled', 'failed', 'created', 'running', 'interrupted']);

const VIEWER_NAME = { cards: 'card inspector', map: 'map viewer' } as const;

/** Other runs of the same experiment (same task, id `<experiment>-…`) and their episode files. */
function useSiblingFiles(id: string, task: string | undefined, experiment: unknown, runs: readonly RunSummary[], version: number): Array<{ id: string; method: string; files: string[] }> {
  const ids = typeof experiment === 'string' ? runs.filter((r) => r.id !== id && r.task === task && r.id.startsWith(`${experiment}-`)).map((r) => r.id) : [];
  const { data } = useAsync(
    () => Promise.all(ids.map((sid) => getApi().getRun({ id: sid }).then(
      (d) => (d.manifest?.config.experiment === experiment ? [{ id: sid, method: d.summary.method, files: d.episodeFiles }] : []),
      () => [], // an unreadable sibling is simply not offered
    ))).then((l) => l.flat()),
    [id, ids.join(','), version],
  );
  return data ?? [];
}

/**
 * A run's episode files, each a link into the viewer that draws its task (plain names for other
 * tasks); in the map viewer, also an A/B link per sibling run with a file of the same name (the
 * same evaluation routes, e.g. the SFT branch's beside the RL branch's).
 */
function EpisodeFiles({ id, task, files, siblings }: { id: string; task: string | undefined; files: string[]; siblings: Array<{ id: string; method: string; files: string[] }> }) {
  if (files.length === 0) return <>none</>;
  const viewer = viewerOfTask(task);
  if (!viewer) return <>{files.join(', ')}</>;
  return (
    <ul className="episode-files" data-testid="episode-files">
      {files.map((file) => (
        <li key={file}>
          <code>{file}</code>
          {/* The visible text is the same on every row; the accessible name says which file. */}
          <a href={runEpisodesHref(viewer, { id, file })} data-file={file} aria-label={`Open ${file} in ${VIEWER_NAME[viewer]}`}>Open in {VIEWER_NAME[viewer]}</a>
          {viewer === 'map' ? siblings.filter((s) => s.files.includes(file)).map((s) => (
            <a key={s.id} href={runEpisodesHref(viewer, { id, file, vs: s.id })} data-file={file} aria-label={`Compare ${file} with ${s.id} in map viewer`} title={`A/B: this run and ${s.id} on the same routes`}>
              A/B with {s.method || s.id}
            </a>
          )) : null}
        </li>
      ))}
    </ul>
  );
}

function RunDetails({ id, version, runs }: { id: string; version: number; runs: readonly RunSummary[] }) {
  const { data, error } = useAsync<RunDetail>(() => getApi().getRun({ id }), [id, version]);
  const [resumeError, setResumeError] = useState<string>();
  const task = data?.manifest?.task ?? data?.summary.task;
  const siblings = useSiblingFiles(id, task, data?.manifest?.config.experiment, runs, version);
  if (error) return <div className="banner error" role="alert">{error}</div>;
  if (!data) return <p className="muted">Loading…</p>;
  const metrics = Object.entries(data.lastMetrics);
  return (
    <div className="card run-details" data-testid="run-details">
      <div className="page-header">
        <h2>{data.summary.name}</h2>
        {RESUMABLE.has(data.summary.status) && data.manifest?.config.experiment ? (
          <button type="button" onClick={() => getApi().resumeRun({ id }).then(() => setResumeError(undefined), (e: Error) => setResumeError(e.message))}>Resume</button>
        ) : null}
      </div>
      {resumeError ? <div className="banner error" role="alert">{resumeError}</div> : null}
      {data.manifest?.error ? <div className="banner error">{data.manifest.error}</div> : null}
      {data.summary.problem ? <div className="banner error">{data.summary.problem}</div> : null}
      {data.warnings.map((w) => (
        <div key={w} className="banner warn">{w}</div>
      ))}
      <dl className="kv">
        <dt>Status</dt><dd>{data.summary.status}</dd>
        <dt>Task</dt><dd>{data.summary.task || '—'}</dd>
        <dt>Method</dt><dd>{data.summary.method || '—'}</dd>
        <dt>Seed</dt><dd>{data.summary.seed ?? '—'}</dd>
        <dt>Episode files</dt><dd><EpisodeFiles id={id} task={task} files={data.episodeFiles} siblings={siblings} /></dd>
        <dt>Checkpoints</dt><dd>{data.checkpoints.join(', ') || 'none'}</dd>
      </dl>
      {metrics.length > 0 ? (
        <table className="table compact">
          <thead><tr><th>Latest metric</th><th className="num">Value</th></tr></thead>
          <tbody>
            {metrics.map(([k, v]) => (
              <tr key={k}><td><code>{k}</code></td><td className="num">{Number.isInteger(v) ? v : v.toPrecision(4)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">No metrics logged yet.</p>}
    </div>
  );
}

export function RunsPage({ dataDir }: { dataDir: string | undefined }) {
  const runs = useAsync<RunSummary[]>(() => getApi().listRuns({}), [dataDir]);
  const [selected, setSelected] = useState<string>();

  const [version, setVersion] = useState(0);
  const reload = runs.reload;
  const onJobsChange = useCallback(() => {
    reload();
    setVersion((v) => v + 1);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  // Live: progress events may add runs or metrics; refresh at most every 2 s.
  useEffect(() => {
    let last = 0;
    return getApi().onJobEvent(() => {
      if (Date.now() - last < 2000) return;
      last = Date.now();
      onJobsChange();
    });
  }, [onJobsChange]);

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Runs</h1>
        <button type="button" onClick={runs.reload}>Refresh</button>
      </header>
      <p className="lead">Every run in the data directory{dataDir ? <> (<code>{dataDir}</code>)</> : null}, newest first.</p>
      <JobsPanel onChange={onJobsChange} />
      <SweepsPanel dataDir={dataDir} onChange={onJobsChange} onSelectRun={setSelected} />
      {runs.error ? <div className="banner error" role="alert">{runs.error}</div> : null}
      {runs.data && runs.data.length === 0 ? (
        <div className="card empty" data-testid="runs-empty">
          <h2>No runs yet</h2>
          <p>Runs appear here as soon as an experiment starts writing to the data directory. Training arrives with the training engine; the folder can be changed in Settings.</p>
        </div>
      ) : null}
      {runs.data && runs.data.length > 0 ? (
        <div className="split">
          <table className="table" data-testid="runs-table">
            <thead>
              <tr><th>Name</th><th>Status</th><th>Task</th><th>Method</th><th className="num">Seed</th><th>Sweep</th><th className="num">Metrics</th><th>Created</th></tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id} className={r.id === selected ? 'selected' : undefined} onClick={() => setSelected(r.id)} tabIndex={0}
                  onKeyDown={(e) => e.key === 'Enter' && setSelected(r.id)} data-run-id={r.id}>
                  <td>{r.name}{r.problem ? <span className="badge bad" title={r.problem}>unreadable</span> : null}</td>
                  <td><span className={`status status-${r.status}`}>{r.status}</span></td>
                  <td>{r.task || '—'}</td>
                  <td>{r.method || '—'}</td>
                  <td className="num">{r.seed ?? '—'}</td>
                  <td>{r.sweep ?? '—'}</td>
                  <td className="num">{r.metricsCount}</td>
                  <td>{formatTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {selected ? <RunDetails id={selected} version={version} runs={runs.data} /> : <p className="muted">Select a run to see its details.</p>}
        </div>
      ) : null}
    </section>
  );
}
