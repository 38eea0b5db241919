/**
 * Figure exports. Every export is downloaded together with `<name>.view.json` (the view spec,
 * caption and notes) so the figure can be reopened and regenerated. Downloads go to the browser's
 * downloads folder; "Save to export folder" sends the same files to the server, which writes them
 * into the export folder of the settings (figures:save). PDF: in the desktop app the main process
 * renders the SVG with Electron's printToPDF (figures:pdf); in browser mode the page prints a
 * vector SVG page (Chromium keeps SVG text and paths as vectors in "Save as PDF").
 */
import type { Response } from '../../../../shared/api/contract';
import type { AppInfo } from '../../../../shared/api/info';
import { toCsv } from '../../../../shared/figures/csv';
import type { PlotModel } from '../../../../shared/figures/model';
import type { ViewSpec } from '../../../../shared/figures/spec';
import { getApi } from '../../api/client';
import { PX_PER_IN } from '../../components/charts/plotlyFigure';
import type { ChartHandle } from '../../components/charts/PlotlyChart';
import { downloadBlob as download } from '../../download';

export function fileStem(spec: ViewSpec): string {
  const base = (spec.title || (spec.kind !== 'curves' ? spec.kind : spec.metrics.join('-'))).toLowerCase();
  return base.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'figure';
}

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

/** The PNG's bytes, base64-encoded (as plotly gives them, and as figures:save takes them). */
export async function pngBase64(chart: ChartHandle, spec: ViewSpec): Promise<string> {
  const w = Math.round(spec.style.widthIn * PX_PER_IN);
  const h = Math.round(spec.style.heightIn * PX_PER_IN);
  // scale = dpi / 96 gives widthIn × dpi pixels: the PNG is exactly the requested size at that DPI.
  const url = await chart.toImage({ format: 'png', width: w, height: h, scale: spec.style.dpi / PX_PER_IN });
  return url.slice(url.indexOf(',') + 1);
}

/** Decoded by hand: fetch() of a data: URL is a connection our CSP (connect-src 'self') refuses. */
function base64Blob(base64: string, type: string): Blob {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

export async function pngBlob(chart: ChartHandle, spec: ViewSpec): Promise<Blob> {
  return base64Blob(await pngBase64(chart, spec), 'image/png');
}

/** Desktop app only: a vector PDF rendered by the main process (Electron's printToPDF), base64. */
export async function pdfBase64(chart: ChartHandle, spec: ViewSpec, caption: string): Promise<string> {
  const svg = await svgText(chart, spec, caption);
  return (await getApi().printFigurePdf({ svg, widthIn: spec.style.widthIn, heightIn: spec.style.heightIn })).base64;
}

export function viewFile(spec: ViewSpec, model: PlotModel): string {
  return `${JSON.stringify({ spec, caption: model.caption, notes: model.notes, generatedAt: new Date().toISOString(), generator: 'SFT-vs-RL Generalization Workbench' }, null, 2)}\n`;
}

/** A print document holding the vector SVG at its size in inches, for the browser's "Save as PDF". */
export function printDocument(svg: string, spec: ViewSpec, caption: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeXml(spec.title || 'figure')}</title><style>@page{size:${spec.style.widthIn}in ${spec.style.heightIn + 0.6}in;margin:0}body{margin:0}p{font:9pt ${spec.style.fontFamily};margin:4pt 8pt}</style></head><body>${svg}<p>${escapeXml(caption)}</p></body></html>`;
}

export type ExportFormat = 'svg' | 'png' | 'csv' | 'pdf';
/** The formats a figure itself is saved in (its CSV and view spec always go beside it). */
export type FigureFormat = Exclude<ExportFormat, 'csv'>;
/** The app's run mode, as getInfo reports it: which PDF route to take. */
export type AppMode = AppInfo['mode'] | undefined;

/** The browser route: a hidden frame holding the print document, and the print dialog. */
async function printInPage(html: string): Promise<void> {
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
}

export async function exportFigure(format: ExportFormat, chart: ChartHandle, spec: ViewSpec, model: PlotModel, mode?: AppMode): Promise<string[]> {
  const stem = fileStem(spec);
  const names: string[] = [];
  const save = (ext: string, blob: Blob) => {
    download(`${stem}.${ext}`, blob);
    names.push(`${stem}.${ext}`);
  };
  if (format === 'svg') save('svg', new Blob([await svgText(chart, spec, model.caption)], { type: 'image/svg+xml' }));
  if (format === 'png') save('png', await pngBlob(chart, spec));
  if (format === 'csv') save('csv', new Blob([toCsv(model)], { type: 'text/csv' }));
  if (format === 'pdf' && mode === 'electron') save('pdf', base64Blob(await pdfBase64(chart, spec, model.caption), 'application/pdf'));
  else if (format === 'pdf') {
    await printInPage(printDocument(await svgText(chart, spec, model.caption), spec, model.caption));
    names.push(`${stem}.pdf (print dialog: Save as PDF)`);
  }
  save('view.json', new Blob([viewFile(spec, model)], { type: 'application/json' }));
  return names;
}

/**
 * "Save to export folder": the figure in `format`, its view spec and its CSV, written by the
 * server into the export folder of the settings under one stem (numbered when a name is taken).
 * PDF needs the desktop app: browser mode cannot render PDF bytes without the print dialog.
 */
export async function saveToExportFolder(format: FigureFormat, chart: ChartHandle, spec: ViewSpec, model: PlotModel, mode?: AppMode): Promise<Response<'figures:save'>> {
  const stem = fileStem(spec);
  let figure: { name: string; encoding: 'utf8' | 'base64'; content: string };
  if (format === 'svg') figure = { name: `${stem}.svg`, encoding: 'utf8', content: await svgText(chart, spec, model.caption) };
  else if (format === 'png') figure = { name: `${stem}.png`, encoding: 'base64', content: await pngBase64(chart, spec) };
  else if (mode === 'electron') figure = { name: `${stem}.pdf`, encoding: 'base64', content: await pdfBase64(chart, spec, model.caption) };
  else throw new Error('saving a PDF needs the desktop app; in browser mode save SVG or PNG, or print the PDF with the PDF button');
  return getApi().saveFigureFiles({
    files: [
      figure,
      { name: `${stem}.view.json`, encoding: 'utf8', content: viewFile(spec, model) },
      { name: `${stem}.csv`, encoding: 'utf8', content: toCsv(model) },
    ],
  });
}
