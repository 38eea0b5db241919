/** What the figure shows: preset, x axis, metrics, grouping, statistic, band, smoothing. */
import { useState } from 'react';
import type { PresetMeasure, ViewSpec } from '../../../../shared/figures/spec';
import { axisTitle, metricInfo } from '../../../../shared/figures/metrics';

export function ViewControls({ spec, metricKeys, fieldKeys, onChange, onPreset, presetsReady = true }: {
  spec: ViewSpec;
  /** False while the run catalog loads: a preset picks its runs from it, and would pick none. */
  presetsReady?: boolean;
  metricKeys: string[];
  fieldKeys: string[];
  onChange(patch: Partial<ViewSpec>): void;
  /** measure null: by the runs' task (V-IRL: per-step accuracy; otherwise success). */
  onPreset(p: 'fig5' | 'fig6' | 'fig8' | 'fig10', measure: PresetMeasure | null): void;
}) {
  const [measure, setMeasure] = useState<PresetMeasure | null>(null);
  const s = spec.smoothing;
  const curves = spec.kind === 'curves';
  return (
    <div className="fig-controls card" data-testid="view-controls">
      <div className="fig-row">
        <span className="fig-label">Presets</span>
        <button type="button" onClick={() => onPreset('fig5', measure)} disabled={!presetsReady} data-testid="preset-fig5">ID/OOD vs compute (Fig. 5–7)</button>
        <button type="button" onClick={() => onPreset('fig6', measure)} disabled={!presetsReady} data-testid="preset-fig6">OOD change from init (Fig. 1/6 bars)</button>
        <button type="button" onClick={() => onPreset('fig8', measure)} disabled={!presetsReady} data-testid="preset-fig8"
          title="GP-VL runs: recognition accuracy (all four cards read right) and success, ID and OOD, against training compute">
          Recognition and success vs compute (Fig. 8)
        </button>
        <button type="button" onClick={() => onPreset('fig10', measure)} disabled={!presetsReady} data-testid="preset-fig10"
          title="RL branches' OOD gain from their starting checkpoint against the verification limit they trained with, each read at the compute every branch reached">
          OOD gain vs verification iterations (Fig. 10)
        </button>
        <label title="What the presets plot per split">measure
          <select name="presetMeasure" value={measure ?? ''} onChange={(e) => setMeasure((e.target.value || null) as PresetMeasure | null)}>
            <option value="">by task (V-IRL: per-step accuracy)</option>
            <option value="success">success</option>
            <option value="per_step_accuracy">per-step accuracy</option>
          </select>
        </label>
      </div>
      <div className="fig-row">
        <label>Figure
          <select name="kind" value={spec.kind} onChange={(e) => onChange({ kind: e.target.value as ViewSpec['kind'] })}>
            <option value="curves">Curves</option>
            <option value="ood-change">Change from initial checkpoint (bars)</option>
            <option value="gain-vs">Gain at matched compute vs a config field</option>
          </select>
        </label>
        {spec.kind === 'gain-vs' ? (
          <label title="The numeric config field on the x axis (ran.* is what the run trained with)">x: config field
            <select name="xField" value={spec.xField ?? ''} onChange={(e) => onChange({ xField: e.target.value || null })}>
              {(spec.xField && !fieldKeys.includes(spec.xField) ? [spec.xField, ...fieldKeys] : fieldKeys).map((f) => <option key={f} value={f}>{f}</option>)}
            </select>
          </label>
        ) : null}
        {curves ? (
          <label>x axis
            <select name="x" value={spec.x} onChange={(e) => onChange({ x: e.target.value as ViewSpec['x'] })}>
              {(['compute/flops', 'step', 'seq'] as const).map((x) => <option key={x} value={x}>{axisTitle(x)}</option>)}
            </select>
          </label>
        ) : null}
        <label>Panels by
          <select name="facet" value={spec.facet ?? ''} onChange={(e) => onChange({ facet: e.target.value || null })}>
            <option value="">(one panel)</option>
            {fieldKeys.map((f) => <option key={f} value={f}>{f}</option>)}
          </select>
        </label>
        <label>Group by
          <select name="groupBy" value={spec.groupBy[0] ?? ''} onChange={(e) => onChange({ groupBy: e.target.value ? [e.target.value, ...spec.groupBy.slice(1)] : [] })}>
            <option value="">(each run)</option>
            {fieldKeys.map((f) => <option key={f} value={f}>{f}</option>)}
          </select>
        </label>
        <label>and
          <select name="groupBy2" value={spec.groupBy[1] ?? ''} disabled={spec.groupBy.length === 0} onChange={(e) => onChange({ groupBy: [spec.groupBy[0] as string, ...(e.target.value ? [e.target.value] : [])] })}>
            <option value="">—</option>
            {fieldKeys.map((f) => <option key={f} value={f}>{f}</option>)}
          </select>
        </label>
        <label>Statistic
          <select name="statistic" value={spec.statistic} onChange={(e) => onChange({ statistic: e.target.value as ViewSpec['statistic'] })}>
            <option value="mean">Mean</option>
            <option value="iqm">Interquartile mean</option>
          </select>
        </label>
        <label>Band
          <select name="band" value={spec.band} onChange={(e) => onChange({ band: e.target.value as ViewSpec['band'] })}>
            <option value="ci95">95% bootstrap CI</option>
            <option value="none">None</option>
          </select>
        </label>
      </div>
      {curves ? (
        <div className="fig-row">
          <span className="fig-label">Smoothing</span>
          <select name="smoothing" aria-label="Smoothing" value={s.kind} onChange={(e) => onChange({ smoothing: { ...s, kind: e.target.value as typeof s.kind } })}>
            <option value="none">None</option>
            <option value="ema">EMA (time-weighted)</option>
            <option value="savgol">Savitzky–Golay (order 3)</option>
          </select>
          {s.kind === 'ema' ? (
            <label>weight <input name="emaWeight" type="range" min={0} max={0.99} step={0.01} value={s.weight} onChange={(e) => onChange({ smoothing: { ...s, weight: Number(e.target.value) } })} /> <output>{s.weight.toFixed(2)}</output></label>
          ) : null}
          {s.kind === 'savgol' ? (
            <label>window <input name="sgWindow" type="number" min={5} max={501} step={2} value={s.window} onChange={(e) => { const w = Number(e.target.value); if (w >= 5 && w % 2 === 1) onChange({ smoothing: { ...s, window: w } }); }} /></label>
          ) : null}
          <label className="check"><input type="checkbox" name="showRaw" checked={spec.showRaw} onChange={(e) => onChange({ showRaw: e.target.checked })} /> faded raw curve</label>
          <label className="check"><input type="checkbox" name="showSeeds" checked={spec.showSeeds} onChange={(e) => onChange({ showSeeds: e.target.checked })} /> individual seeds</label>
        </div>
      ) : null}
      <div className="fig-row fig-metrics">
        <span className="fig-label">{curves ? 'Metrics (one row each)' : 'Metric'}</span>
        {metricKeys.map((k) => (
          <label key={k} className="chip" title={`${k}${metricInfo(k).known ? '' : ' (not in the metric registry: label made from the key)'}`}>
            <input
              type="checkbox"
              name="metric"
              value={k}
              checked={spec.metrics.includes(k)}
              onChange={(e) => {
                const next = curves ? (e.target.checked ? [...spec.metrics, k] : spec.metrics.filter((m) => m !== k)) : [k];
                if (next.length > 0 && next.length <= 8) onChange({ metrics: next });
              }}
            />
            {axisTitle(k)}
          </label>
        ))}
      </div>
    </div>
  );
}
