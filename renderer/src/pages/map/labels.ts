/**
 * Greedy placement of landmark labels so they do not print over each other: the route's
 * landmarks first (they always get a place), then the others, each trying right, left, below and
 * above its marker; a background label with no free place is left out (its marker stays, and
 * zooming in does not help since sizes are in metres, so the map stays legible instead).
 */
import type { MapGeometry } from '../../../../shared/tasks/virl/index';

export interface PlacedLabel {
  key: string;
  name: string;
  x: number;
  y: number;
  anchor: 'start' | 'end' | 'middle';
  size: number;
  onRoute: boolean;
}

interface Box { x0: number; y0: number; x1: number; y1: number }

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Places labels in SVG coordinates (y down); `mark(onRoute)` is the marker's half size, `size(onRoute)` the font size. */
export function placeLabels(landmarks: MapGeometry['landmarks'], mark: (onRoute: boolean) => number, size: (onRoute: boolean) => number): PlacedLabel[] {
  const placed: Box[] = [];
  const out: PlacedLabel[] = [];
  const order = [...landmarks].sort((a, b) => Number(b.onRoute) - Number(a.onRoute));
  for (const l of order) {
    const s = size(l.onRoute);
    const m = mark(l.onRoute) + 1.2;
    // Average glyph advance of a sans-serif font, bold a little wider.
    const w = l.name.length * s * (l.onRoute ? 0.62 : 0.56);
    const px = l.position.x;
    const py = -l.position.y;
    const candidates: Array<{ x: number; y: number; anchor: PlacedLabel['anchor']; box: Box }> = [
      { x: px + m, y: py, anchor: 'start', box: { x0: px + m, y0: py - s / 2, x1: px + m + w, y1: py + s / 2 } },
      { x: px - m, y: py, anchor: 'end', box: { x0: px - m - w, y0: py - s / 2, x1: px - m, y1: py + s / 2 } },
      { x: px, y: py + m + s / 2, anchor: 'middle', box: { x0: px - w / 2, y0: py + m, x1: px + w / 2, y1: py + m + s } },
      { x: px, y: py - m - s / 2, anchor: 'middle', box: { x0: px - w / 2, y0: py - m - s, x1: px + w / 2, y1: py - m } },
    ];
    const free = candidates.find((c) => !placed.some((b) => overlaps(b, c.box)));
    const pick = free ?? (l.onRoute ? candidates[0] : undefined);
    if (!pick) continue;
    placed.push(pick.box);
    out.push({ key: `${l.id}-${l.name}`, name: l.name, x: pick.x, y: pick.y, anchor: pick.anchor, size: s, onRoute: l.onRoute });
  }
  return out;
}
