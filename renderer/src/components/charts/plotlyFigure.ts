/**
 * PlotModel + figure style → plotly data and layout. One model trace becomes exactly one plotly
 * trace (so the CSV export, written from the model, is what plotly draws). Sizes follow the
 * studio's inches at 96 px per inch; font sizes are points (1/72 in).
 */
import type { PlotModel, Trace } from '../../../../shared/figures/model';
import type { FigureStyle } from '../../../../shared/figures/spec';

export const PX_PER_IN = 96;

export function hexToRgba(hex: string, alpha: number): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1] as string, 16)}, ${parseInt(m[2] as string, 16)}, ${parseInt(m[3] as string, 16)}, ${alpha})`;
}

/** NaN (no seed has data there) becomes null: a gap, not a zero. */
const gaps = (ys: readonly number[]) => ys.map((v) => (Number.isFinite(v) ? v : null));

function axisSuffix(panel: number): string {
  return panel === 0 ? '' : String(panel + 1);
}

function toTrace(t: Trace, style: FigureStyle): Record<string, unknown> {
  const ax = axisSuffix(t.panel);
  const common = { name: t.name, legendgroup: t.group, showlegend: t.showLegend, xaxis: `x${ax}`, yaxis: `y${ax}`, meta: { role: t.role } };
  if (t.role === 'bar') {
    return { ...common, type: 'bar', x: t.x, y: gaps(t.y), marker: { color: t.color }, error_y: { type: 'data', symmetric: false, array: t.errorPlus ?? [], arrayminus: t.errorMinus ?? [], color: '#222', thickness: style.lineWidth, width: 4 } };
  }
  if (t.role === 'points') {
    return { ...common, type: 'scatter', mode: 'lines+markers', x: t.x, y: gaps(t.y), line: { color: t.color, width: style.lineWidth }, marker: { color: t.color, size: 4 + style.lineWidth * 2 }, error_y: { type: 'data', symmetric: false, array: t.errorPlus ?? [], arrayminus: t.errorMinus ?? [], color: t.color, thickness: style.lineWidth, width: 4 } };
  }
  if (t.role === 'seed-points') {
    return { ...common, type: 'scatter', mode: 'markers', x: t.x, y: gaps(t.y), marker: { color: hexToRgba(t.color, 0.45), size: 3 + style.lineWidth } };
  }
  const base = { ...common, type: 'scatter', mode: 'lines', x: t.x, y: gaps(t.y) };
  switch (t.role) {
    case 'mean':
      return { ...base, line: { color: t.color, width: style.lineWidth } };
    case 'raw':
      return { ...base, line: { color: hexToRgba(t.color, 0.3), width: Math.max(0.5, style.lineWidth * 0.6) }, hoverinfo: 'skip' };
    case 'seed':
      return { ...base, line: { color: hexToRgba(t.color, 0.55), width: Math.max(0.5, style.lineWidth * 0.5) } };
    case 'band-low':
    case 'envelope-low':
      return { ...base, line: { color: 'rgba(0,0,0,0)', width: 0 }, hoverinfo: 'skip' };
    case 'band-high':
    case 'envelope-high':
      // Fills down to the trace just before it (its -low partner, always drawn right before).
      return { ...base, line: { color: 'rgba(0,0,0,0)', width: 0 }, fill: 'tonexty', fillcolor: hexToRgba(t.color, t.role === 'band-high' ? 0.2 : 0.12), hoverinfo: 'skip' };
  }
}

/**
 * A y title longer than the distance between two rows (a 4-row figure's "Recognition accuracy
 * (%)") runs into the next row's: break it at the space nearest its middle. The width per
 * character is an estimate (0.55 em, a sans-serif average); plotly does not wrap titles itself.
 */
export function fitAxisTitle(text: string, maxPx: number, fontPx: number): string {
  if (text.length * fontPx * 0.55 <= maxPx) return text;
  const mid = text.length / 2;
  let cut = -1;
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) if (cut < 0 || Math.abs(i - mid) < Math.abs(cut - mid)) cut = i;
  return cut < 0 ? text : `${text.slice(0, cut)}<br>${text.slice(cut + 1)}`;
}

/**
 * A flat percent curve (recognition at 100% throughout) gets plotly's ±1 autorange, which shows
 * an impossible 101%: give it a 5-point window kept inside 0–100 (half a point of room so the line
 * is not clipped at the edge). Curves that move keep the autorange.
 */
export function flatPercentRange(ys: readonly number[]): [number, number] | undefined {
  const finite = ys.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (hi - lo >= 0.5) return undefined;
  return [Math.max(-0.5, lo - 5), Math.min(100.5, hi + 5)];
}

/** Legend placement; `below` is the offset (paper fraction) that clears the x tick labels and title. */
function legendLayout(style: FigureStyle, below: number): Record<string, unknown> {
  switch (style.legend) {
    case 'none':
      return { showlegend: false };
    case 'bottom':
      return { showlegend: true, legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -below, yanchor: 'top' } };
    case 'top-left':
      return { showlegend: true, legend: { x: 0.01, y: 0.99, xanchor: 'left', yanchor: 'top', bgcolor: 'rgba(255,255,255,0.8)' } };
    default:
      return { showlegend: true, legend: { x: 1.02, y: 1, xanchor: 'left', yanchor: 'top' } };
  }
}

export function toPlotly(model: PlotModel, style: FigureStyle, title = ''): { data: Record<string, unknown>[]; layout: Record<string, unknown> } {
  const fontPx = (style.fontSize * PX_PER_IN) / 72;
  const print = style.theme === 'print';
  const axisStyle = { showline: true, linecolor: print ? '#000' : '#888', ticks: 'outside', tickcolor: print ? '#000' : '#888', gridcolor: print ? '#e6e6e6' : '#dde1e6', zeroline: false };
  // Margins and gaps in pixels from the font size, so small paper figures do not overlap:
  // room above each panel for its title, below the bottom row for ticks, x title and legend.
  const width = Math.round(style.widthIn * PX_PER_IN);
  const height = Math.round(style.heightIn * PX_PER_IN);
  const panelTitles = model.panels.some((p) => p.title);
  const xBlock = fontPx * 3.6; // ticks, tick labels, standoff and axis title (the legend goes below it)
  const top = (title ? fontPx * 2.4 : 4) + (panelTitles ? fontPx * 1.6 : fontPx * 0.6);
  const bottom = 6 + xBlock + (style.legend === 'bottom' ? fontPx * 1.8 : 0);
  const plotH = Math.max(40, height - top - bottom);
  const rowH = plotH / model.rows;
  const layout: Record<string, unknown> = {
    width,
    height,
    font: { family: style.fontFamily, size: fontPx, color: '#111' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: print ? '#ffffff' : '#f7f8fa',
    margin: { l: 8 + fontPx * 4, r: style.legend === 'right' ? fontPx * 8 : 12, t: top, b: bottom, autoexpand: true },
    title: title ? { text: title, font: { size: fontPx * 1.15 }, y: 1 - (fontPx * 0.9) / height, yanchor: 'top' } : undefined,
    barmode: 'group',
    hovermode: 'closest',
    grid: { rows: model.rows, columns: model.cols, pattern: 'independent', xgap: Math.min(0.5, (fontPx * 4.5) / (width / model.cols)), ygap: Math.min(0.6, (xBlock * 0.7 + (panelTitles ? fontPx * 1.6 : 0)) / rowH) },
    annotations: [] as Record<string, unknown>[],
    ...legendLayout(style, (xBlock + 2) / plotH),
  };
  model.panels.forEach((p, i) => {
    const ax = axisSuffix(i);
    const traces = model.traces.filter((t) => t.panel === i);
    // Up to a million, plain digits with separators (36,000 GFLOPs) read better than 3.6×10⁴.
    const xMax = Math.max(0, ...traces.flatMap((t) => t.x.map((v) => (typeof v === 'number' && Number.isFinite(v) ? Math.abs(v) : 0))));
    const ticks = xMax < 1e6 ? { exponentformat: 'none', separatethousands: true } : { exponentformat: 'power' };
    layout[`xaxis${ax}`] = {
      ...axisStyle, automargin: false, title: { text: p.row === model.rows - 1 ? p.xTitle : '', standoff: 2 }, type: model.kind === 'ood-change' ? 'category' : 'linear', ...ticks,
      ...(p.xTicks?.length ? { tickmode: 'array', tickvals: p.xTicks } : {}),
    };
    // Success and accuracy stay in 0–100: a curve that moves never gets an axis below 0, a flat
    // one (0% or 100% throughout) a window inside the range instead of plotly's ±1.
    const percent = model.kind === 'curves' && /\(%\)$/.test(p.yTitle);
    const flat = percent ? flatPercentRange(traces.flatMap((t) => t.y)) : undefined;
    // A gain is read against zero: draw the zero line.
    const zero = model.kind === 'gain-vs' ? { zeroline: true, zerolinecolor: print ? '#777' : '#999', zerolinewidth: 1, rangemode: 'tozero' } : {};
    // Titles are centred on their panels, one row pitch apart: longer than that, they meet.
    const yTitle = p.col === 0 ? fitAxisTitle(p.yTitle, model.rows > 1 ? rowH - fontPx : Infinity, fontPx) : '';
    layout[`yaxis${ax}`] = {
      ...axisStyle, ...zero, automargin: true, title: { text: yTitle, standoff: 4 },
      ...(flat ? { range: flat } : percent ? { rangemode: 'nonnegative' } : {}),
    };
    if (p.title) {
      (layout.annotations as Record<string, unknown>[]).push({ text: p.title, xref: `x${ax} domain`, yref: `y${ax} domain`, x: 0.5, y: 1.02, xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: fontPx } });
    }
  });
  return { data: model.traces.map((t) => toTrace(t, style)), layout };
}
