/**
 * Figure exports. Every export is downloaded together with `<name>.view.json` (the view spec,
 * caption and notes) so the figure can be reopened and regenerated. In browser mode files go to
 * the browser's downloads folder; the PDF route prints a vector SVG page (Chromium keeps SVG
 * text and paths as vectors in "Save as PDF").
 */
import { toCsv } from '../../../../shared/figures/csv';
import type { PlotModel } from '../../../../shared/figures/model';
import type { ViewSpec } from '../../../../shared/figures/spec';
import { PX_PER_IN } from '../../components/charts/plotlyFigure';
import type { ChartHandle } from '../../components/charts/PlotlyChart';

export function fileStem(spec: ViewSpec): string {
  const base = (spec.title || (spec.kind === 'ood-change' ? 'ood-change' : spec.metrics.join('-'))).toLowerCase();
  return base.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'figure';
}

import { downloadBlob as download } from '../../download';


function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Plotly's SVG, sized in inches (so LaTeX/Inkscape place it at the chosen size) and carrying the
 * caption as <title>/<desc>. Text stays text: plotly writes <text> elements, never outlines.
 */
export async function svgText(chart: ChartHandle, spec: ViewSpec, caption: string): Promise<string> {
  const w = Math.round(spec.style.widthIn * PX_PER_IN);
  const h = Math.round(spec.style.heightIn * PX_PER_IN);
  const url = await chart.toImage({ format: 'svg', width: w, height: h });
  const raw = decodeURIComponent(url.replace(/^data:image\/svg\+xml,/, ''));
  // Replace plotly's pixel size on the root element with inches and one viewBox.
  return raw.replace(/<svg([^>]*)>/, (_m, attrs: string) => {
    const rest = attrs.replace(/\s(width|height|viewBox)="[^"]*"/g, '');
    return `<svg${rest} width="${spec.style.widthIn}in" height="${spec.style.heightIn}in" viewBox="0 0 ${w} ${h}"><title>${escapeXml(spec.title || 'figure')}</title><desc>${escapeXml(caption)}</desc>`;
  });
}

export async function pngBlob(chart: ChartHandle, spec: ViewSpec): Promise<Blob> {
  const w = Math.round(spec.style.widthIn * PX_PER_IN);
  const h = Math.round(spec.style.heightIn * PX_PER_IN);
  // scale = dpi / 96 gives widthIn × dpi pixels: the PNG is exactly the requested size at that DPI.
  const url = await chart.toImage({ format: 'png', width: w, height: h, scale: spec.style.dpi / PX_PER_IN });
  // Decoded by hand: fetch() of a data: URL is a connection our CSP (connect-src 'self') refuses.
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: 'image/png' });
}

export function viewFile(spec: ViewSpec, model: PlotModel): string {
  return `${JSON.stringify({ spec, caption: model.caption, notes: model.notes, generatedAt: new Date().toISOString(), generator: 'SFT-vs-RL Generalization Workbench' }, null, 2)}\n`;
}

/** A print document holding the vector SVG at its size in inches, for the browser's "Save as PDF". */
export function printDocument(svg: string, spec: ViewSpec, caption: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeXml(spec.title || 'figure')}</title><style>@page{size:${spec.style.widthIn}in ${spec.style.heightIn + 0.6}in;margin:0}body{margin:0}p{font:9pt ${spec.style.fontFamily};margin:4pt 8pt}</style></head><body>${svg}<p>${escapeXml(caption)}</p></body></html>`;
}

export type ExportFormat = 'svg' | 'png' | 'csv' | 'pdf';

export async function exportFigure(format: ExportFormat, chart: ChartHandle, spec: ViewSpec, model: PlotModel): Promise<string[]> {
  const stem = fileStem(spec);
  const names: string[] = [];
  const save = (ext: string, blob: Blob) => {
    download(`${stem}.${ext}`, blob);
    names.push(`${stem}.${ext}`);
  };
  if (format === 'svg') save('svg', new Blob([await svgText(chart, spec, model.caption)], { type: 'image/svg+xml' }));
  if (format === 'png') save('png', await pngBlob(chart, spec));
  if (format === 'csv') save('csv', new Blob([toCsv(model)], { type: 'text/csv' }));
  if (format === 'pdf') {
    const html = printDocument(await svgText(chart, spec, model.caption), spec, model.caption);
    const frame = document.createElement('iframe');
    frame.style.position = 'fixed';
    frame.style.right = '0';
    frame.style.bottom = '0';
    frame.style.width = '0';
    frame.style.height = '0';
    frame.setAttribute('data-testid', 'pdf-print-frame');
    frame.srcdoc = html;
    document.body.appendChild(frame);
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
    frame.contentWindow?.print();
    setTimeout(() => frame.remove(), 60_000);
    names.push(`${stem}.pdf (print dialog: Save as PDF)`);
  }
  save('view.json', new Blob([viewFile(spec, model)], { type: 'application/json' }));
  return names;
}
