/** CSV of exactly the plotted data: one row per point of every trace (RFC 4180 quoting). */
import type { PlotModel } from './model';

function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export const CSV_HEADER = ['panel', 'series', 'role', 'x', 'y', 'error_minus', 'error_plus'];

export function toCsv(model: PlotModel): string {
  const rows = [CSV_HEADER.join(',')];
  for (const t of model.traces) {
    const panel = model.panels[t.panel];
    const where = panel?.title || panel?.yTitle || '';
    t.x.forEach((x, i) => {
      rows.push([where, t.name, t.role, x, t.y[i], t.errorMinus?.[i], t.errorPlus?.[i]].map(cell).join(','));
    });
  }
  return `${rows.join('\n')}\n`;
}

/** Minimal RFC 4180 parser (for tests and for reading an exported CSV back). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}
