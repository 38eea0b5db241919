import { useEffect, useState } from 'react';
import type { JobInfoView } from '../../../shared/api/channels/experiments';
import { getApi } from '../api/client';

function eta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'estimating…';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s left` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s left`;
}

/** Live progress of every job: a bar per job's current stage with ETA, latest metrics, cancel. */
export function JobsPanel({ onChange }: { onChange(): void }) {
  const [jobs, setJobs] = useState<JobInfoView[]>([]);
  const [metrics, setMetrics] = useState<Record<string, Record<string, number>>>({});
  const [error, setError] = useState<string>();

  useEffect(() => {
    const api = getApi();
    const refresh = () => api.listJobs({}).then(setJobs, (e: Error) => setError(e.message));
    refresh();
    return api.onJobEvent((event) => {
      if (event.type === 'progress') {
        setMetrics((m) => ({ ...m, [event.jobId]: event.metrics }));
        setJobs((js) => js.map((j) => (j.jobId === event.jobId ? { ...j, stage: event.stage, step: event.step, total: event.total, etaSeconds: event.etaSeconds } : j)));
      } else if (event.type === 'status') {
        refresh();
        onChange();
      }
    });
  }, [onChange]);

  if (error) return <div className="banner error" role="alert">{error}</div>;
  if (jobs.length === 0) return null;
  return (
    <div className="card jobs" data-testid="jobs-panel">
      <h2>Jobs</h2>
      {jobs.map((j) => {
        const pct = j.total ? Math.round(((j.step ?? 0) / j.total) * 100) : 0;
        const m = metrics[j.jobId] ?? {};
        return (
          <div key={j.jobId} className="job" data-job-status={j.status}>
            <div className="job-head">
              <strong>{j.runId}</strong>
              <span className={`status status-${j.status}`}>{j.status}</span>
              {j.status === 'running' ? (
                <button type="button" onClick={() => getApi().cancelJob({ jobId: j.jobId }).catch((e: Error) => setError(e.message))}>Cancel</button>
              ) : null}
            </div>
            {j.stage ? (
              <div className="job-progress">
                <span className="job-stage">{j.stage}</span>
                <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={`${j.stage} progress`}>
                  <div style={{ width: `${pct}%` }} />
                </div>
                <span className="muted">{j.step}/{j.total} · {j.status === 'running' ? eta(j.etaSeconds) : j.status}</span>
              </div>
            ) : null}
            {Object.keys(m).length > 0 ? (
              <div className="job-metrics">
                {['train/loss', 'rl/reward', 'eval/id/success', 'eval/ood/success', 'perf/tokens_per_s'].filter((k) => m[k] !== undefined).map((k) => (
                  <span key={k}><code>{k}</code> {(m[k] as number).toPrecision(3)}</span>
                ))}
              </div>
            ) : null}
            {j.message ? <div className="banner error">{j.message}</div> : null}
          </div>
        );
      })}
    </div>
  );
}
