import { useEffect, useState } from 'react';
import type { JobInfoView } from '../../../shared/api/channels/experiments';
import { getApi } from '../api/client';

function eta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'estimating…';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s left` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s left`;
}

/** How often the panel re-reads the queue while a job runs (workers report memory every 5 s). */
const MEMORY_POLL_MS = 5_000;

const GROUPS = [
  { key: 'running', title: 'Running', has: (j: JobInfoView) => j.status === 'running' },
  { key: 'queued', title: 'Queued', has: (j: JobInfoView) => j.status === 'queued' },
  { key: 'done', title: 'Done', has: (j: JobInfoView) => j.status !== 'running' && j.status !== 'queued' },
] as const;

/** Why a queued job has not started: the jobs it waits for, or the concurrency limit. */
function waitingFor(job: JobInfoView, all: JobInfoView[]): string {
  const pending = job.dependsOn.map((id) => all.find((j) => j.jobId === id)).filter((d) => d && d.status !== 'completed');
  return pending.length > 0 ? `waits for ${pending.map((d) => d?.runId).join(', ')}` : 'waits for a free slot';
}

function JobRow({ job, all, metrics, onError }: { job: JobInfoView; all: JobInfoView[]; metrics: Record<string, number>; onError(message: string): void }) {
  const pct = job.total ? Math.round(((job.step ?? 0) / job.total) * 100) : 0;
  const active = job.status === 'running' || job.status === 'queued';
  return (
    <div className="job" data-job-status={job.status} data-run-id={job.runId}>
      <div className="job-head">
        <strong>{job.runId}</strong>
        <span className={`status status-${job.status}`}>{job.status}</span>
        {job.status === 'queued' ? <span className="muted">{waitingFor(job, all)}</span> : null}
        {job.rssMb !== undefined ? (
          <span className="muted job-memory" title={`Resident memory of the job's worker process (latest, peak)${job.peakHeapMb !== undefined ? `; JavaScript heap peak ${job.peakHeapMb} MB` : ''}`}>
            {job.rssMb} MB{job.peakRssMb !== undefined && job.peakRssMb > job.rssMb ? ` (peak ${job.peakRssMb} MB)` : ''}
          </span>
        ) : null}
        {active ? (
          <button type="button" aria-label={`Cancel ${job.runId}`} onClick={() => getApi().cancelJob({ jobId: job.jobId }).catch((e: Error) => onError(e.message))}>Cancel</button>
        ) : null}
      </div>
      {job.stage ? (
        <div className="job-progress">
          <span className="job-stage">{job.stage}</span>
          <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={`${job.runId} ${job.stage} progress`}>
            <div style={{ width: `${pct}%` }} />
          </div>
          <span className="muted">{job.step}/{job.total} · {job.status === 'running' ? eta(job.etaSeconds) : job.status}</span>
        </div>
      ) : null}
      {Object.keys(metrics).length > 0 ? (
        <div className="job-metrics">
          {['train/loss', 'rl/reward', 'eval/id/success', 'eval/ood/success', 'perf/tokens_per_s'].filter((k) => metrics[k] !== undefined).map((k) => (
            <span key={k}><code>{k}</code> {(metrics[k] as number).toPrecision(3)}</span>
          ))}
        </div>
      ) : null}
      {job.message ? <div className={`banner ${job.status === 'failed' ? 'error' : 'warn'}`}>{job.message}</div> : null}
    </div>
  );
}

/** The job queue, live: running, queued and done jobs, each with its stage's progress, ETA, memory and latest metrics; cancel. */
export function JobsPanel({ onChange }: { onChange(): void }) {
  const [state, setState] = useState<{ concurrency: number; jobs: JobInfoView[] }>({ concurrency: 1, jobs: [] });
  const [metrics, setMetrics] = useState<Record<string, Record<string, number>>>({});
  const [error, setError] = useState<string>();

  useEffect(() => {
    const api = getApi();
    const refresh = () => api.listJobs({}).then(setState, (e: Error) => setError(e.message));
    refresh();
    return api.onJobEvent((event) => {
      if (event.type === 'progress') {
        setMetrics((m) => ({ ...m, [event.jobId]: event.metrics }));
        setState((s) => ({
          ...s,
          jobs: s.jobs.map((j) => (j.jobId === event.jobId
            ? { ...j, stage: event.stage, step: event.step, total: event.total, etaSeconds: event.etaSeconds, ...(event.rssMb !== undefined ? { rssMb: event.rssMb, peakRssMb: Math.max(j.peakRssMb ?? 0, event.rssMb) } : {}) }
            : j)),
        }));
      } else if (event.type === 'status') {
        refresh();
        onChange();
      }
    });
  }, [onChange]);

  // Memory is reported between progress events too (a long evaluation sends none): poll while a job runs.
  const anyRunning = state.jobs.some((j) => j.status === 'running');
  useEffect(() => {
    if (!anyRunning) return;
    const timer = setInterval(() => getApi().listJobs({}).then(setState, () => {}), MEMORY_POLL_MS);
    return () => clearInterval(timer);
  }, [anyRunning]);

  if (error) return <div className="banner error" role="alert">{error}</div>;
  if (state.jobs.length === 0) return null;
  const counts = GROUPS.map((g) => `${state.jobs.filter(g.has).length} ${g.key}`).join(' · ');
  return (
    <div className="card jobs" data-testid="jobs-panel">
      <div className="page-header">
        <h2>Jobs</h2>
        <span className="muted" data-testid="jobs-counts">{counts} · up to {state.concurrency} at once (Settings)</span>
      </div>
      {GROUPS.map((g) => {
        const jobs = state.jobs.filter(g.has);
        if (jobs.length === 0) return null;
        return (
          <section key={g.key} className="job-group" data-testid={`jobs-${g.key}`} aria-label={`${g.title} jobs`}>
            <h3>{g.title} ({jobs.length})</h3>
            {jobs.map((j) => <JobRow key={j.jobId} job={j} all={state.jobs} metrics={metrics[j.jobId] ?? {}} onError={setError} />)}
          </section>
        );
      })}
    </div>
  );
}
