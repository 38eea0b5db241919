/**
 * The vision observation: four street views around the agent in one 2×2 image (PAPER.md §2.4).
 * The default layout follows what the paper's prompt tells the model — [front, right / back,
 * left]; `reference` reproduces the reference code's crops at heading −135/−45/+45/+135
 * (PAPER.md §6.9).
 */
import type { Vec2 } from '../geo';
import type { Scene } from '../types';
import { blit, createImage, type RgbImage } from './image';
import { renderView } from './streetview';

export type ViewLayout = 'prompt' | 'reference';

export interface StreetViewOptions {
  /** Side of each of the four views, pixels (the paper's are 1200; ours are small for tiny models). */
  viewSize: number;
  /** Black gap between views, pixels (the paper's is 5 at 1200). */
  gap: number;
  /** Which headings fill the grid; see ViewLayout. */
  layout: ViewLayout;
}

export const DEFAULT_VIEW_OPTIONS: StreetViewOptions = { viewSize: 96, gap: 2, layout: 'prompt' };

/** Headings of the four views in row-major grid order (top-left, top-right, bottom-left, bottom-right). */
export function viewHeadings(heading: number, layout: ViewLayout): [number, number, number, number] {
  const offsets = layout === 'prompt' ? [0, 90, 180, 270] : [-135, -45, 45, 135];
  return offsets.map((o) => (((heading + o) % 360) + 360) % 360) as [number, number, number, number];
}

/** Renders the 2×2 grid; deterministic in (scene, position, heading, options). */
export function renderStreetViews(scene: Scene, position: Vec2, heading: number, options: Partial<StreetViewOptions> = {}): RgbImage {
  const o = { ...DEFAULT_VIEW_OPTIONS, ...options };
  const s = o.viewSize;
  const out = createImage(2 * s + o.gap, 2 * s + o.gap);
  viewHeadings(heading, o.layout).forEach((h, i) => {
    blit(out, renderView(scene, position, h, s), (i % 2) * (s + o.gap), Math.floor(i / 2) * (s + o.gap));
  });
  return out;
}
