/**
 * The sweeps of the data directory (`sftrl sweep`), each with its runs grouped: status, progress
 * and, for Slurm sweeps, the array task's state — read again every few seconds, since Slurm tasks
 * write into the shared run store from other machines and send this app no events.
 */
import { useEffect, useRef, useState } from 'react';
import type { SweepView } from '../../../shared/api/channels/sweeps';
import { getApi } from '../api/client';

/** How often sweeps are re-read while one is still running, and otherwise (a new one may be submitted from a shell). */
export const SWEEP_POLL_MS = 3_000;
export const SWEEP_IDLE_POLL_MS = 10_000;

function pointText(point: Record<string, unknown>): string {
  return Object.entries(point).map(([k, v]) => `${k}=${String(v)}`).join(' ');
}

function summary(view: SweepView): string {
  const counts = new Map<string, number>();
  for (const r of view.runs) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

function SweepCard({ view, onSelectRun }: { view: SweepView; onSelectRun?(id: string): void }) {
  const slurm = view.executor === 'slurm';
  const points = Object.keys(view.grid).length > 0;
  // Open while it runs when first shown; after that the user decides (it never closes on its own).
  const [open, setOpen] = useState(!view.done);
  return (
    <details className="card sweep" data-sweep-id={view.id} open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <strong>{view.id}</strong> <span className="muted">{view.preset}{view.quick ? ' (quick)' : ''} · {view.executor}{view.jobIds.length ? ` · arrays ${view.jobIds.join(', ')}` : ''} · {summary(view)}</span>
        {view.cancelledAt ? <span className="status status-cancelled">cancelled</span> : <span className={`status status-${view.done ? 'completed' : 'running'}`}>{view.done ? 'done' : 'in progress'}</span>}
      </summary>
      {slurm && !view.slurmVisible ? <p className="muted">Slurm cannot be asked from here (no squeue on this machine): states are the run store&apos;s.</p> : null}
      <table className="table compact" data-testid="sweep-runs">
        <thead>
          <tr><th>Run</th><th>Method</th><th className="num">Seed</th>{points ? <th>Grid point</th> : null}<th>Status</th><th>Progress</th>{slurm ? <th>Slurm</th> : null}</tr>
        </thead>
        <tbody>
          {view.runs.map((r) => {
            const pct = r.total ? Math.round((r.step / r.total) * 100) : 0;
            return (
              <tr key={r.runId} data-run-id={r.runId} data-status={r.status} data-slurm-state={r.slurmState ?? ''}>
                <td>{r.status !== 'not started' && onSelectRun ? <button type="button" className="linkish" onClick={() => onSelectRun(r.runId)}>{r.runId}</button> : r.runId}</td>
                <td>{r.method}</td>
                <td className="num">{r.seed}</td>
                {points ? <td><code>{pointText(r.point)}</code></td> : null}
                <td>
                  <span className={`status status-${r.status.replace(/\s+/g, '-')}`}>{r.status}</span>
                  {r.logTail?.length ? <pre className="sweep-log" aria-label={`Last lines of ${r.runId}'s log`}>{r.logTail.join('\n')}</pre> : null}
                </td>
                <td>
                  <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={`${r.runId} progress`}><div style={{ width: `${pct}%` }} /></div>
                  <span className="muted">{r.step}{r.total !== null ? `/${r.total}` : ''}</span>
                </td>
                {slurm ? <td>{r.task ? <><code>{r.task}</code> {r.slurmState ?? '—'}{r.slurmReason ? <span className="muted"> ({r.slurmReason})</span> : null}</> : '—'}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

/**
 * The sweeps, polled (often while one runs: Slurm tasks send no events); `onChange` is
 * called when a sweep's runs moved on, so a page can re-read its runs.
 */
export function useSweeps(dataDir: string | undefined, onChange?: () => void): { sweeps: SweepView[]; problems: string[]; error: string | undefined } {
  const [state, setState] = useState<{ sweeps: SweepView[]; problems: string[]; error?: string }>({ sweeps: [], problems: [] });
  const last = useRef('');
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      getApi().listSweeps({}).then(
        (res) => {
          if (!live) return;
          setState({ sweeps: res.sweeps, problems: res.problems });
          const fingerprint = JSON.stringify(res.sweeps.map((s) => s.runs.map((r) => [r.status, r.step, r.slurmState])));
          if (last.current && fingerprint !== last.current) changed.current?.();
          last.current = fingerprint;
          timer = setTimeout(load, res.sweeps.some((s) => !s.done) ? SWEEP_POLL_MS : SWEEP_IDLE_POLL_MS);
        },
        (e: Error) => {
          if (!live) return;
          setState((s) => ({ ...s, error: e.message }));
          timer = setTimeout(load, SWEEP_POLL_MS * 3);
        },
      );
    };
    load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [dataDir]);
  return { sweeps: state.sweeps, problems: state.problems, error: state.error };
}

/** Counts of a sweep's Slurm states (or run statuses where Slurm cannot be asked), e.g. "2 RUNNING, 4 PENDING". */
export function sweepStates(view: SweepView): string {
  const counts = new Map<string, number>();
  for (const r of view.runs) {
    const s = r.slurmState ?? r.status;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

/** The Runs page's panel: every sweep with its runs grouped. */
export function SweepsPanel({ dataDir, onChange, onSelectRun }: { dataDir: string | undefined; onChange?(): void; onSelectRun?(id: string): void }) {
  const { sweeps, problems, error } = useSweeps(dataDir, onChange);
  if (sweeps.length === 0 && !error && problems.length === 0) return null;
  return (
    <section className="sweeps" aria-label="Sweeps" data-testid="sweeps-panel">
      <h2>Sweeps</h2>
      {error ? <div className="banner error" role="alert">{error}</div> : null}
      {problems.map((p) => <div key={p} className="banner warn">{p}</div>)}
      {sweeps.map((s) => <SweepCard key={s.id} view={s} {...(onSelectRun ? { onSelectRun } : {})} />)}
    </section>
  );
}
