/**
 * The plot model → plotly layout mapping for what the figure studio cannot check by eye in CI:
 * percent axes that stay inside 0–100 and y titles that fit their panel (the 4-row Fig. 8).
 */
import { describe, expect, it } from 'vitest';
import { fitAxisTitle, flatPercentRange, toPlotly } from '../../../renderer/src/components/charts/plotlyFigure';
import type { Panel, PlotModel, Trace } from '../../../shared/figures/model';
import { DEFAULT_STYLE } from '../../../shared/figures/spec';

function model(rows: number, ys: number[][], yTitle = 'Recognition accuracy (%)'): PlotModel {
  const panels: Panel[] = ys.map((_, i) => ({ row: i, col: 0, title: `panel ${i}`, xTitle: 'Training compute (GFLOPs)', yTitle }));
  const traces: Trace[] = ys.map((y, i) => ({ panel: i, name: 'rl', group: 'rl', color: '#d95f02', role: 'mean', x: y.map((_, j) => 1000 * j), y, showLegend: i === 0 }));
  return { kind: 'curves', rows, cols: 1, panels, traces, notes: [], caption: '' };
}

const yaxis = (layout: Record<string, unknown>, i: number) => layout[`yaxis${i === 0 ? '' : i + 1}`] as { range?: number[]; rangemode?: string; title: { text: string } };

describe('plotly layout of curve figures', () => {
  it('gives a flat percent curve a window inside 0–100, never plotly\'s 99–101 around 100%', () => {
    const { layout } = toPlotly(model(3, [[100, 100, 100], [0, 0, 0], [20, 35, 50]], 'Success (%)'), DEFAULT_STYLE);
    expect(yaxis(layout, 0).range).toEqual([95, 100.5]);
    expect(yaxis(layout, 1).range).toEqual([-0.5, 5]);
    // A curve that moves keeps plotly's autorange, floored at 0.
    expect(yaxis(layout, 2).range).toBeUndefined();
    expect(yaxis(layout, 2).rangemode).toBe('nonnegative');
    expect(flatPercentRange([NaN, 42.2, 42.4])).toEqual([37.2, 47.4]);
    expect(flatPercentRange([NaN])).toBeUndefined();
  });

  it('breaks a y title that is taller than its panel onto two lines, and leaves one that fits alone', () => {
    const four = toPlotly(model(4, [[100, 100], [100, 100], [20, 30], [25, 35]]), DEFAULT_STYLE).layout;
    expect(yaxis(four, 0).title.text).toBe('Recognition<br>accuracy (%)');
    const one = toPlotly(model(1, [[20, 30]]), DEFAULT_STYLE).layout;
    expect(yaxis(one, 0).title.text).toBe('Recognition accuracy (%)');
    // The break is at the space nearest the middle; a title without one is left as it is.
    expect(fitAxisTitle('Mean episode return per step', 60, 12)).toBe('Mean episode<br>return per step');
    expect(fitAxisTitle('Supercalifragilistic', 10, 12)).toBe('Supercalifragilistic');
  });
});
