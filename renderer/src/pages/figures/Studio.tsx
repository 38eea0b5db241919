/** The figure studio: size, fonts, lines, legend, palette, theme, DPI, caption, and the exports. */
import { useState, type ReactNode } from 'react';
import type { Response } from '../../../../shared/api/contract';
import { PALETTE_NAMES, type FigureStyle, type ViewSpec } from '../../../../shared/figures/spec';
import type { ExportFormat, FigureFormat } from './exporters';

const FONTS = ['DejaVu Sans, Arial, sans-serif', 'Times New Roman, DejaVu Serif, serif', 'Helvetica, Arial, sans-serif', 'CMU Serif, Latin Modern Roman, serif'];

export function Studio({ spec, caption, desktop, exportDir, onStyle, onTitle, onExport, onSave }: {
  spec: ViewSpec;
  caption: string;
  /** In the desktop app PDF is rendered by the main process (and can be saved to the export folder). */
  desktop: boolean;
  /** The export-folder setting, shown beside the save action (null: the server's default folder). */
  exportDir: string | null;
  onStyle(patch: Partial<FigureStyle>): void;
  onTitle(title: string): void;
  onExport(format: ExportFormat): Promise<string[]>;
  onSave(format: FigureFormat): Promise<Response<'figures:save'>>;
}) {
  const st = spec.style;
  const [message, setMessage] = useState<ReactNode>();
  const [saveFormat, setSaveFormat] = useState<FigureFormat>('svg');
  const [saving, setSaving] = useState(false);
  const num = (key: keyof FigureStyle, min: number, max: number, step: number, label: string) => (
    <label>{label}
      <input type="number" name={key} min={min} max={max} step={step} value={st[key] as number} onChange={(e) => { const v = Number(e.target.value); if (v >= min && v <= max) onStyle({ [key]: v }); }} />
    </label>
  );
  const run = (f: ExportFormat) => onExport(f).then((names) => setMessage(`Exported ${names.join(', ')}`), (e: Error) => setMessage(`Export failed: ${e.message}`));
  const format = saveFormat === 'pdf' && !desktop ? 'svg' : saveFormat; // a remembered PDF choice outside the app
  const save = () => {
    setSaving(true);
    onSave(format)
      .then(
        (r) => setMessage(<>Saved {r.files.join(', ')} in <code data-testid="export-dir">{r.dir}</code>{r.suffix ? ` (numbered -${r.suffix}: a file of that name was already there)` : ''}</>),
        (e: Error) => setMessage(`Save failed: ${e.message}`),
      )
      .finally(() => setSaving(false));
  };
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
        <span className="fig-label">Download</span>
        {(['svg', 'png', 'pdf', 'csv'] as const).map((f) => (
          <button key={f} type="button" data-export={f} onClick={() => void run(f)}>{f.toUpperCase()}</button>
        ))}
      </div>
      <div className="fig-row" data-testid="export-folder-row">
        <span className="fig-label">Export folder</span>
        <select name="saveFormat" aria-label="Format of the figure saved to the export folder" value={format} onChange={(e) => setSaveFormat(e.target.value as FigureFormat)}>
          <option value="svg">SVG</option>
          <option value="png">PNG</option>
          <option value="pdf" disabled={!desktop}>{desktop ? 'PDF' : 'PDF (desktop app)'}</option>
        </select>
        <button type="button" data-testid="save-export" disabled={saving} onClick={save}>{saving ? 'Saving…' : 'Save to export folder'}</button>
        <small className="muted fig-folder" title={exportDir ?? undefined}>Saves the figure with its CSV and view spec into {exportDir ? <code>{exportDir}</code> : 'the default folder (Downloads/sftrl-workbench; set one in Settings)'}</small>
      </div>
      <small className="muted">
        Each export also saves <code>.view.json</code> (runs, grouping, smoothing, style) to regenerate the figure.{' '}
        {desktop ? 'PDF is a vector page rendered by the app.' : 'PDF opens the print dialog on a vector page: choose "Save as PDF".'}{' '}
        A name already in the export folder is never overwritten: the saved set gets a number (-2, -3, …).
      </small>
      {message ? <p role="status" data-testid="export-message">{message}</p> : null}
    </div>
  );
}
