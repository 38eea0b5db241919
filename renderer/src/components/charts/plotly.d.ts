/**
 * The slice of plotly.js the workbench uses (the basic bundle ships no types, and
 * @types/plotly.js describes v3). Kept loose on purpose: traces and layout are plain objects.
 */
declare module 'plotly.js-basic-dist-min' {
  export type PlotData = Record<string, unknown>;
  export type PlotLayout = Record<string, unknown>;
  export interface ImageOptions {
    format: 'svg' | 'png' | 'jpeg' | 'webp';
    width: number;
    height: number;
    scale?: number;
  }
  export function react(el: HTMLElement, data: PlotData[], layout: PlotLayout, config?: Record<string, unknown>): Promise<HTMLElement>;
  export function toImage(el: HTMLElement, opts: ImageOptions): Promise<string>;
  export function purge(el: HTMLElement): void;
  const Plotly: { react: typeof react; toImage: typeof toImage; purge: typeof purge };
  export default Plotly;
}
