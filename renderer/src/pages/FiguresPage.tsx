/**
 * Results dashboard and figure studio (issue 6): pick runs in the table, group and smooth them,
 * start from the paper's figure presets, style the figure and export it with its view spec.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo } from '../../../shared/api/info';
import { DEFAULT_DASHBOARD, type DashboardSettings, type Settings } from '../../../shared/api/settings';
import { buildFigure } from '../../../shared/figures/build';
import {
  defaultViewSpec, isRecognitionBranch, isVerificationSweepMethod, paperCurvesPreset, paperOodChangePreset, presetMeasureFor, recognitionPreset, verificationGainPreset, viewSpecSchema, type FigureStyle, type PresetMeasure, type ViewSpec,
} from '../../../shared/figures/spec';
import { getApi } from '../api/client';
import type { ChartHandle } from '../components/charts/PlotlyChart';
import { PlotlyChart } from '../components/charts/PlotlyChart';
import { toPlotly } from '../components/charts/plotlyFigure';
import { exportFigure, saveToExportFolder, type ExportFormat, type FigureFormat } from './figures/exporters';
import { LiveProgress } from './figures/LiveProgress';
import { RunTable } from './figures/RunTable';
import { SweepPicker } from './figures/SweepPicker';
import { Studio } from './figures/Studio';
import { useDashboardData } from './figures/useDashboardData';
import { ViewControls } from './figures/ViewControls';
import './figures/figures.css';

const VIEW_KEY = 'sftrl.figures.view';
const X_KEYS = new Set(['step', 'seq', 'compute/flops', 'lr']);
const PREFERRED_FIELDS = ['method', 'preset', 'variant', 'modality', 'task', 'seed', 'experiment', 'sweep', 'status'];

function initialSpec(dash: DashboardSettings): ViewSpec {
  try {
    const saved = viewSpecSchema.safeParse(JSON.parse(localStorage.getItem(VIEW_KEY) ?? 'null'));
    if (saved.success) return saved.data;
  } catch {
    // a damaged saved view is ignored: the defaults below are used
  }
  const base = defaultViewSpec();
  return { ...base, smoothing: dash.smoothing, style: { ...base.style, palette: dash.palette } };
}

/** `mode` (from getInfo) picks the PDF route: Electron's printToPDF in the app, the print dialog in a browser. */
export function FiguresPage({ settings, mode, onSettingsSaved }: { settings?: Settings; mode?: AppInfo['mode']; onSettingsSaved?(s: Settings): void }) {
  const dash = settings?.dashboard ?? DEFAULT_DASHBOARD;
  const [spec, setSpec] = useState<ViewSpec>(() => initialSpec(dash));
  const [columns, setColumns] = useState<string[]>(dash.columns);
  useEffect(() => setColumns(dash.columns), [dash.columns]);
  useEffect(() => localStorage.setItem(VIEW_KEY, JSON.stringify(spec)), [spec]);
  // The x columns the view needs: its x axis, or the logged order for the bars' first and last.
  const xKeys = useMemo(() => (spec.kind === 'ood-change' ? ['seq'] : spec.kind === 'gain-vs' ? ['compute/flops'] : [spec.x]), [spec.kind, spec.x]);
  const { catalog, runs, error, loading, progress, refresh, reloadCatalog } = useDashboardData(spec.runs, spec.metrics, xKeys);
  const chart = useRef<ChartHandle>(null);
  const [drawMs, setDrawMs] = useState<number>();

  const patch = useCallback((p: Partial<ViewSpec>) => setSpec((s) => ({ ...s, ...p })), []);
  const selected = useMemo(() => new Set(spec.runs), [spec.runs]);
  const rows = catalog ?? [];
  const metricKeys = useMemo(() => [...new Set(rows.flatMap((r) => r.keys))].filter((k) => !X_KEYS.has(k)).sort(), [rows]);
  const fieldKeys = useMemo(() => {
    const all = new Set(rows.flatMap((r) => Object.keys(r.fields)));
    return [...PREFERRED_FIELDS.filter((f) => all.has(f) || f === 'status'), ...[...all].filter((f) => !PREFERRED_FIELDS.includes(f)).sort()];
  }, [rows]);

  const built = useMemo(() => {
    const t0 = performance.now();
    const model = buildFigure(runs, spec);
    return { model, ms: performance.now() - t0 };
  }, [runs, spec]);
  const plot = useMemo(() => toPlotly(built.model, spec.style, spec.title), [built, spec.style, spec.title]);

  const saveColumns = (cols: string[]) => {
    setColumns(cols);
    if (settings) getApi().setSettings({ dashboard: { ...dash, columns: cols } }).then((s) => onSettingsSaved?.(s), () => {});
  };
  const select = (ids: string[], on: boolean) => patch({ runs: on ? [...new Set([...spec.runs, ...ids])] : spec.runs.filter((id) => !ids.includes(id)) });
  const preset = (p: 'fig5' | 'fig6' | 'fig8' | 'fig10', chosen: PresetMeasure | null) => {
    const pool = spec.runs.length ? spec.runs : rows.map((r) => r.id);
    const byId = new Map(rows.map((r) => [r.id, r]));
    // V-IRL's figures plot per-step accuracy, GeneralPoints' success, unless a measure is chosen.
    const measure = chosen ?? presetMeasureFor(pool.map((id) => byId.get(id)?.fields.task as string | undefined));
    if (p === 'fig5') setSpec(paperCurvesPreset(pool.filter((id) => byId.get(id)?.method !== 'init'), spec, measure));
    // Fig. 8 is GP-VL's: the branches that logged recognition accuracy (its measure is fixed).
    else if (p === 'fig8') setSpec(recognitionPreset(pool.filter((id) => isRecognitionBranch(byId.get(id)?.method, byId.get(id)?.keys ?? [])), spec));
    else if (p === 'fig10') setSpec(verificationGainPreset(pool.filter((id) => isVerificationSweepMethod(byId.get(id)?.method)), spec, measure));
    else {
      // The bars need each experiment's init run for "initial": add it when present.
      const exps = new Set(pool.map((id) => byId.get(id)?.fields.experiment).filter(Boolean));
      const inits = rows.filter((r) => r.method === 'init' && exps.has(r.fields.experiment)).map((r) => r.id);
      setSpec(paperOodChangePreset([...new Set([...pool, ...inits])], spec, measure));
    }
  };
  const onExport = (f: ExportFormat) => (chart.current ? exportFigure(f, chart.current, spec, built.model, mode) : Promise.reject(new Error('no chart yet')));
  const onSave = (f: FigureFormat) => (chart.current ? saveToExportFolder(f, chart.current, spec, built.model, mode) : Promise.reject(new Error('no chart yet')));
  const openView = async (file: File) => {
    const parsed = viewSpecSchema.safeParse((JSON.parse(await file.text()) as { spec?: unknown }).spec);
    if (parsed.success) setSpec(parsed.data);
    else alert(`Not a view spec: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  };

  return (
    <section className="page figures-page" aria-labelledby="page-title">
      <h1 id="page-title">Figures</h1>
      <p className="muted">Compare runs, group seeds with honest uncertainty, and export paper-ready figures with the data and view spec behind them.</p>
      {error ? <div className="banner error" role="alert">{error}</div> : null}
      <LiveProgress items={progress} />
      <div className="fig-layout">
        <div className="fig-left">
          <SweepPicker dataDir={settings?.dataDir} existing={new Set(rows.map((r) => r.id))} onSelect={(ids) => select(ids, true)} onChange={() => { reloadCatalog(); refresh(); }} />
          <RunTable rows={rows} columns={columns} selected={selected} onSelect={select} onColumns={saveColumns} />
          <div className="fig-row">
            <button type="button" onClick={refresh}>Reload data</button>
            <label className="fig-open">Open view spec… <input type="file" accept=".json,application/json" onChange={(e) => { const f = e.target.files?.[0]; if (f) void openView(f); }} /></label>
          </div>
        </div>
        <div className="fig-main">
          <ViewControls spec={spec} metricKeys={metricKeys} fieldKeys={fieldKeys} onChange={patch} onPreset={preset} presetsReady={catalog !== undefined} />
          <div className="fig-canvas card" data-testid="figure-canvas" data-build-ms={built.ms.toFixed(1)} data-draw-ms={drawMs?.toFixed(1)} data-traces={built.model.traces.length}>
            {spec.runs.length === 0 ? <p className="muted">Select runs in the table, or pick a preset to use every run.</p> : null}
            {loading ? <p className="muted" role="status">Loading metrics… {loading.done}/{loading.total} runs</p> : null}
            <div className="fig-scroll"><PlotlyChart ref={chart} data={plot.data} layout={plot.layout} onRendered={setDrawMs} /></div>
            {built.model.notes.length ? <ul className="fig-notes" data-testid="figure-notes">{built.model.notes.map((n) => <li key={n}>{n}</li>)}</ul> : null}
          </div>
          <Studio spec={spec} caption={built.model.caption} onStyle={(s: Partial<FigureStyle>) => patch({ style: { ...spec.style, ...s } })} onTitle={(title) => patch({ title })} onExport={onExport} onSave={onSave} desktop={mode === 'electron'} exportDir={dash.exportDir} />
        </div>
      </div>
    </section>
  );
}
