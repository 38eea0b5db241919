/**
 * A plotly chart, loaded on first use (dynamic import) so the other pages never pay for it.
 * `plotly.js-basic-dist-min` (scatter, bar and pie with the core: legends, annotations, error
 * bars, subplot grids, image export; no WebGL traces) is all the figures use, contains no eval,
 * which our CSP (`script-src 'self'`) forbids, and is a quarter of the full strict bundle's 5 MB:
 * downloading and evaluating that was most of the dashboard's first render (issue 13). The element
 * gets `data-rendered` with a counter after each draw, so tests and the benchmark can wait for the
 * real paint.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';

type PlotlyModule = typeof import('plotly.js-basic-dist-min');
let loading: Promise<PlotlyModule> | null = null;

export function loadPlotly(): Promise<PlotlyModule> {
  loading ??= import('plotly.js-basic-dist-min').then((m) => ((m as unknown as { default?: PlotlyModule }).default ?? m) as PlotlyModule);
  return loading;
}

export interface ChartHandle {
  /** The drawn chart as an image data URL (plotly's toImage). */
  toImage(opts: { format: 'svg' | 'png'; width: number; height: number; scale?: number }): Promise<string>;
}

export interface PlotlyChartProps {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  /** Called after each draw with the time the draw took (ms). */
  onRendered?(ms: number): void;
}

export const PlotlyChart = forwardRef<ChartHandle, PlotlyChartProps>(function PlotlyChart({ data, layout, onRendered }, ref) {
  const el = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  const draws = useRef(0);

  useImperativeHandle(ref, () => ({
    async toImage(opts) {
      const Plotly = await loadPlotly();
      if (!el.current) throw new Error('chart is not on screen');
      return Plotly.toImage(el.current, opts);
    },
  }));

  useEffect(() => {
    let live = true;
    const t0 = performance.now();
    loadPlotly()
      .then((Plotly) => (live && el.current ? Plotly.react(el.current, data, layout, { displaylogo: false, responsive: false, modeBarButtonsToRemove: ['toImage', 'select2d', 'lasso2d'] }) : null))
      .then(
        () => {
          if (!live || !el.current) return;
          draws.current++;
          el.current.dataset.rendered = String(draws.current);
          onRendered?.(performance.now() - t0);
        },
        (e: Error) => live && setError(e.message),
      );
    return () => {
      live = false;
    };
  }, [data, layout, onRendered]);

  useEffect(() => {
    const node = el.current;
    return () => {
      if (node) void loadPlotly().then((P) => P.purge(node));
    };
  }, []);

  return (
    <>
      {error ? <div className="banner error" role="alert">Chart failed: {error}</div> : null}
      <div ref={el} className="plotly-chart" data-testid="figure-chart" />
    </>
  );
});
