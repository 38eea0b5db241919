/**
 * Data of the dashboard: the run catalog, and metric series fetched lazily for the selected runs
 * only (in batches, with just the keys the view needs), refreshed live from job events.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunCatalogRow, RunSeries } from '../../../../shared/api/channels/metrics';
import type { JobEvent } from '../../../../shared/api/events';
import type { RunInput } from '../../../../shared/figures/model';
import { getApi } from '../../api/client';

const BATCH = 10;

export interface StageProgress {
  runId: string;
  stage: string;
  step: number;
  total: number;
  etaSeconds: number | null;
  status?: string;
}

export function toRunInput(row: RunCatalogRow, series: RunSeries): RunInput {
  return { id: row.id, label: row.name, fields: { ...row.fields, name: row.name, status: row.status, id: row.id }, series };
}

export function useDashboardData(selected: readonly string[], keys: readonly string[]) {
  const [catalog, setCatalog] = useState<RunCatalogRow[]>();
  const [error, setError] = useState<string>();
  const [series, setSeries] = useState<Map<string, { keys: Set<string>; data: RunSeries }>>(new Map());
  const [progress, setProgress] = useState<Map<string, StageProgress>>(new Map());
  const [loading, setLoading] = useState(false);
  const stale = useRef(new Set<string>());
  const [tick, setTick] = useState(0);

  const reloadCatalog = useCallback(() => {
    getApi().runCatalog({}).then(setCatalog, (e: Error) => setError(e.message));
  }, []);
  useEffect(reloadCatalog, [reloadCatalog]);

  // Fetch what the selection and keys need and the cache lacks (or what live events made stale).
  useEffect(() => {
    const need = selected.filter((id) => {
      const have = series.get(id);
      return !have || stale.current.has(id) || keys.some((k) => !have.keys.has(k));
    });
    if (need.length === 0) return;
    let live = true;
    setLoading(true);
    (async () => {
      const next = new Map(series);
      for (let i = 0; i < need.length; i += BATCH) {
        const ids = need.slice(i, i + BATCH);
        const res = await getApi().runMetrics({ ids, keys: [...keys] });
        for (const run of res.runs) {
          next.set(run.id, { keys: new Set(keys), data: run });
          stale.current.delete(run.id);
        }
      }
      if (live) setSeries(next);
    })().then(
      () => live && setLoading(false),
      (e: Error) => live && (setError(e.message), setLoading(false)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, keys, tick]);

  // Live: progress bars from events, and a throttled refetch of the selected runs they touch.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const touched = (experiment: string) => selected.filter((id) => id === experiment || id.startsWith(`${experiment}-`));
    const off = getApi().onJobEvent((e: JobEvent) => {
      if (e.type === 'log') return;
      if (e.type === 'progress') {
        setProgress((p) => new Map(p).set(`${e.runId}/${e.stage}`, { runId: e.runId, stage: e.stage, step: e.step, total: e.total, etaSeconds: e.etaSeconds }));
      } else {
        setProgress((p) => {
          const n = new Map(p);
          for (const [k, v] of n) if (v.runId === e.runId) n.set(k, { ...v, status: e.status });
          return n;
        });
        reloadCatalog();
      }
      const ids = touched(e.runId);
      if (ids.length === 0) return;
      for (const id of ids) stale.current.add(id);
      timer ??= setTimeout(() => {
        timer = null;
        setTick((t) => t + 1);
      }, 1000);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [selected, reloadCatalog]);

  // Stable while nothing changed, so the figure is not rebuilt on unrelated renders.
  const runs = useMemo(() => {
    const out: RunInput[] = [];
    const byId = new Map((catalog ?? []).map((r) => [r.id, r]));
    for (const id of selected) {
      const row = byId.get(id);
      const s = series.get(id);
      if (row && s) out.push(toRunInput(row, s.data));
    }
    return out;
  }, [catalog, series, selected]);
  return { catalog, runs, error, loading, progress: [...progress.values()], reloadCatalog, refresh: () => { for (const id of selected) stale.current.add(id); setTick((t) => t + 1); } };
}
