/** The figure studio: size, fonts, lines, legend, palette, theme, DPI, caption, and the exports. */
import { useState } from 'react';
import { PALETTE_NAMES, type FigureStyle, type ViewSpec } from '../../../../shared/figures/spec';
import type { ExportFormat } from './exporters';

const FONTS = ['DejaVu Sans, Arial, sans-serif', 'Times New Roman, DejaVu Serif, serif', 'Helvetica, Arial, sans-serif', 'CMU Serif, Latin Modern Roman, serif'];

export function Studio({ spec, caption, onStyle, onTitle, onExport }: {
  spec: ViewSpec;
  caption: string;
  onStyle(patch: Partial<FigureStyle>): void;
  onTitle(title: string): void;
  onExport(format: ExportFormat): Promise<string[]>;
}) {
  const st = spec.style;
  const [message, setMessage] = useState<string>();
  const num = (key: keyof FigureStyle, min: number, max: number, step: number, label: string) => (
    <label>{label}
      <input type="number" name={key} min={min} max={max} step={step} value={st[key] as number} onChange={(e) => { const v = Number(e.target.value); if (v >= min && v <= max) onStyle({ [key]: v }); }} />
    </label>
  );
  const run = (f: ExportFormat) => onExport(f).then((names) => setMessage(`Exported ${names.join(', ')}`), (e: Error) => setMessage(`Export failed: ${e.message}`));
  return (
    <div className="fig-studio card" data-testid="figure-studio">
      <strong>Figure studio</strong>
      <label className="wide">Title <input name="title" value={spec.title} maxLength={200} onChange={(e) => onTitle(e.target.value)} /></label>
      <div className="fig-grid">
        {num('widthIn', 1, 20, 0.25, 'Width (in)')}
        {num('heightIn', 1, 20, 0.25, 'Height (in)')}
        {num('fontSize', 4, 40, 0.5, 'Font (pt)')}
        {num('lineWidth', 0.25, 8, 0.25, 'Line width')}
        {num('dpi', 72, 1200, 1, 'PNG DPI')}
        <label>Font
          <select name="fontFamily" value={st.fontFamily} onChange={(e) => onStyle({ fontFamily: e.target.value })}>
            {[...new Set([st.fontFamily, ...FONTS])].map((f) => <option key={f} value={f}>{f.split(',')[0]}</option>)}
          </select>
        </label>
        <label>Legend
          <select name="legend" value={st.legend} onChange={(e) => onStyle({ legend: e.target.value as FigureStyle['legend'] })}>
            <option value="bottom">Bottom</option><option value="right">Right</option><option value="top-left">Inside, top left</option><option value="none">None</option>
          </select>
        </label>
        <label>Palette
          <select name="palette" value={st.palette} onChange={(e) => onStyle({ palette: e.target.value as FigureStyle['palette'] })}>
            {PALETTE_NAMES.map((p) => <option key={p} value={p}>{p} (colour-blind safe)</option>)}
          </select>
        </label>
        <label>Theme
          <select name="figTheme" value={st.theme} onChange={(e) => onStyle({ theme: e.target.value as FigureStyle['theme'] })}>
            <option value="print">Print</option><option value="light">Light</option>
          </select>
        </label>
      </div>
      <p className="fig-caption" data-testid="figure-caption"><span className="muted">Caption: </span>{caption}</p>
      <div className="fig-row">
        <span className="fig-label">Export</span>
        {(['svg', 'png', 'pdf', 'csv'] as const).map((f) => (
          <button key={f} type="button" data-export={f} onClick={() => void run(f)}>{f.toUpperCase()}</button>
        ))}
      </div>
      <small className="muted">Each export also saves <code>.view.json</code> (runs, grouping, smoothing, style) to regenerate the figure. PDF opens the print dialog on a vector page: choose "Save as PDF".</small>
      {message ? <p role="status" data-testid="export-message">{message}</p> : null}
    </div>
  );
}
