/**
 * Data of the dashboard: the run catalog, and metric series fetched lazily for the selected runs
 * only (in batches, with just the keys the view needs), refreshed live from job events.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunCatalogRow } from '../../../../shared/api/channels/metrics';
import type { JobEvent } from '../../../../shared/api/events';
import { extractXY } from '../../../../shared/figures/extract';
import type { RunInput, SeriesInput } from '../../../../shared/figures/model';
import { getApi } from '../../api/client';
import { unpackSeries } from './unpack';

const BATCH = 10;

export interface StageProgress {
  runId: string;
  stage: string;
  step: number;
  total: number;
  etaSeconds: number | null;
  status?: string;
}

export function toRunInput(row: RunCatalogRow, series: SeriesInput): RunInput {
  return { id: row.id, label: row.name, fields: { ...row.fields, name: row.name, status: row.status, id: row.id }, series };
}

/**
 * `keys`: the metrics the view plots; `xKeys`: its x columns. Only the lines that have one of
 * `keys` come over the wire (a 10k-line run has ~20 evaluation lines), in batches requested at
 * once; the page shows how many runs have arrived.
 */
export function useDashboardData(selected: readonly string[], keys: readonly string[], xKeys: readonly string[]) {
  const [catalog, setCatalog] = useState<RunCatalogRow[]>();
  const [error, setError] = useState<string>();
  const [series, setSeries] = useState<Map<string, { keys: Set<string>; data: SeriesInput }>>(new Map());
  const [progress, setProgress] = useState<Map<string, StageProgress>>(new Map());
  const [loading, setLoading] = useState<{ done: number; total: number } | null>(null);
  const stale = useRef(new Set<string>());
  const [tick, setTick] = useState(0);

  const reloadCatalog = useCallback(() => {
    getApi().runCatalog({}).then(setCatalog, (e: Error) => setError(e.message));
  }, []);
  useEffect(reloadCatalog, [reloadCatalog]);

  // Fetch what the selection and keys need and the cache lacks (or what live events made stale).
  useEffect(() => {
    const wanted = [...keys, ...xKeys];
    const need = selected.filter((id) => {
      const have = series.get(id);
      return !have || stale.current.has(id) || wanted.some((k) => !have.keys.has(k));
    });
    if (need.length === 0) return;
    let live = true;
    setLoading({ done: 0, total: need.length });
    const got = new Set(wanted);
    const fetched: SeriesInput[] = [];
    // One redraw when everything is in: drawing a partial first batch was measured to delay the
    // complete figure by 0.5–2 s (its build and draw hold up the remaining replies), and a group
    // mean over some of its seeds is a misleading picture.
    const commit = () => {
      setSeries((prev) => {
        const next = new Map(prev);
        for (const run of fetched) next.set(run.id, { keys: got, data: run });
        return next;
      });
    };
    const batches: string[][] = [];
    for (let i = 0; i < need.length; i += BATCH) batches.push(need.slice(i, i + BATCH));
    // All batches are requested at once (the server answers them in turn from its parsed cache).
    Promise.all(
      batches.map((ids) =>
        getApi().runMetrics({ ids, keys: [...keys], x: [...xKeys], encoding: 'f64' }).then((res) => {
          if (!live) return;
          for (const run of res.runs) {
            const series = unpackSeries(run);
            // Pull out each (x, y) curve now, while later batches are still on their way: the
            // figure's build, once all are in, finds them memoised with this series object.
            for (const x of xKeys) for (const k of keys) extractXY({ id: run.id, label: run.id, fields: {}, series }, x, k);
            fetched.push(series);
            stale.current.delete(run.id);
          }
          setLoading({ done: fetched.length, total: need.length });
        }),
      ),
    ).then(
      () => {
        if (!live) return;
        commit();
        setLoading(null);
      },
      (e: Error) => live && (setError(e.message), setLoading(null)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, keys, xKeys, tick]);

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
