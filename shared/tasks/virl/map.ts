/**
 * Map geometry for viewers: everything a top-down SVG map needs, in metres (x east, y north).
 * SVG's y axis points down, so draw a point at (x, −y) — `svgPoint`/`svgPoints` do that.
 */
import { generateCity } from './city';
import type { Vec2 } from './geo';
import type { CityModel, LandmarkKind, Rail, RailPointKind, VirlRoute } from './types';

export interface Bounds { minX: number; minY: number; maxX: number; maxY: number }

export interface MapGeometry {
  /** Extent of everything drawn (the whole city for generated routes), with a margin. */
  bounds: Bounds;
  /** Extent of the route alone, with a margin (a good initial zoom). */
  routeBounds: Bounds;
  streets: Array<{ name: string; points: Vec2[] }>;
  landmarks: Array<{ id: number; name: string; kind: LandmarkKind; position: Vec2; onRoute: boolean }>;
  /** Walking path from the start to the destination along the streets. */
  routePath: Vec2[];
  start: { name: string; position: Vec2; streetPosition: Vec2 };
  destination: { name: string; position: Vec2; streetPosition: Vec2 };
  milestones: Array<{ index: number; position: Vec2; heading: number; compass: string; landmarkText: string; isDestination: boolean }>;
  /** Rail points, when a rail (an episode's) is given. */
  rail: Array<{ index: number; kind: RailPointKind; position: Vec2; heading: number; expertAbsolute: string; expertRelative: string; instructionIndex: number }>;
}

function boundsOf(points: readonly Vec2[], margin: number): Bounds {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x); minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x); maxY = Math.max(maxY, p.y);
  }
  if (!Number.isFinite(minX)) return { minX: -margin, minY: -margin, maxX: margin, maxY: margin };
  return { minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin };
}

/**
 * Geometry of a route, its city (generated routes; pass `city: null` to skip it) and optionally
 * an episode's rail. Imported routes draw their file's street polylines as the streets.
 */
export function mapGeometry(route: VirlRoute, options: { rail?: Rail; city?: CityModel | null; margin?: number } = {}): MapGeometry {
  const margin = options.margin ?? 40;
  const city = options.city !== undefined ? options.city : route.source.kind === 'generated' ? generateCity(route.source.city) : null;
  const routePath: Vec2[] = [route.startPosition];
  for (const m of route.milestones) routePath.push(...(m.streetPath ?? m.path).slice(1), m.position);
  const dedup = routePath.filter((p, i) => i === 0 || p.x !== routePath[i - 1]?.x || p.y !== routePath[i - 1]?.y);
  const onRoute = new Set([route.start.name, route.destination.name, ...route.milestones.map((m) => m.landmark?.name ?? '')]);
  const source = city ? city.landmarks : route.landmarks;
  const streets = city
    ? city.streets.flatMap((s) => s.pieces.map((points) => ({ name: s.name, points })))
    : route.milestones.map((m, k) => ({ name: `segment ${k + 1}`, points: m.streetPath ?? m.path }));
  const last = route.milestones[route.milestones.length - 1];
  const all = [...dedup, ...source.map((l) => l.position), ...streets.flatMap((s) => s.points)];
  return {
    bounds: boundsOf(all, margin),
    routeBounds: boundsOf([...dedup, route.start.position, route.destination.position], margin),
    streets,
    landmarks: source.map((l) => ({ id: l.id, name: l.name, kind: l.kind, position: l.position, onRoute: onRoute.has(l.name) })),
    routePath: dedup,
    start: { name: route.start.name, position: route.start.position, streetPosition: route.startPosition },
    destination: { name: route.destination.name, position: route.destination.position, streetPosition: last?.position ?? route.startPosition },
    milestones: route.milestones.map((m, index) => ({
      index, position: m.position, heading: m.heading, compass: m.compass, landmarkText: m.landmarkText, isDestination: index === route.milestones.length - 1,
    })),
    rail: (options.rail?.points ?? []).map((p) => ({
      index: p.index, kind: p.kind, position: p.position, heading: p.heading, expertAbsolute: p.expertAbsolute,
      expertRelative: p.expertRelative, instructionIndex: p.instructionIndex,
    })),
  };
}

/** A map point in SVG coordinates (north up). */
export function svgPoint(p: Vec2): { x: number; y: number } {
  return { x: p.x, y: -p.y };
}

/** A polyline's `points` attribute in SVG coordinates, rounded to centimetres. */
export function svgPoints(points: readonly Vec2[]): string {
  return points.map((p) => `${Math.round(p.x * 100) / 100},${Math.round(-p.y * 100) / 100}`).join(' ');
}

/** The SVG `viewBox` of bounds (north up). */
export function svgViewBox(b: Bounds): string {
  return `${b.minX} ${-b.maxY} ${b.maxX - b.minX} ${b.maxY - b.minY}`;
}
