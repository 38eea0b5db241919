/**
 * Importer of real V-IRL route files (PAPER.md §2.2; examples in shared/data/virl/). Accepts one
 * route object, an array of routes, or the collection pipeline's `[routes, dest_idx]` pair, and
 * projects lat/lng to metres around the start so real routes share the generated routes' model.
 */
import { bearing, compassName, distance, normHeading, projectLatLng, RELATIONS, type Relation, type Vec2 } from './geo';
import { parseMilestoneInfo } from './milestoneInfo';
import { decodePolyline } from './polyline';
import type { Landmark, LandmarkKind, Milestone, RouteLandmark, VirlRoute } from './types';

/** A malformed route file; the message names the route and the field at fault. */
export class VirlImportError extends Error {
  override name = 'VirlImportError';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function latLng(v: unknown, where: string): [number, number] {
  if (!Array.isArray(v) || v.length < 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number' || !Number.isFinite(v[0]) || !Number.isFinite(v[1])) {
    throw new Error(`${where} must be [lat, lng] (two numbers), got ${JSON.stringify(v)?.slice(0, 60)}`);
  }
  if (Math.abs(v[0]) > 90 || Math.abs(v[1]) > 180) throw new Error(`${where} is out of range: [${v[0]}, ${v[1]}]`);
  return [v[0], v[1]];
}

function place(v: unknown, where: string): { name: string; geocode: [number, number]; street: [number, number]; types: string[] } {
  if (!isObj(v)) throw new Error(`${where} is missing or not an object`);
  if (typeof v.name !== 'string' || v.name.trim() === '') throw new Error(`${where}.name must be a non-empty string`);
  const geocode = latLng(v.geocode, `${where}.geocode`);
  const street = v.relocated_geocode === undefined ? geocode : latLng(v.relocated_geocode, `${where}.relocated_geocode`);
  const types = Array.isArray(v.place_types) ? v.place_types.filter((t): t is string => typeof t === 'string') : [];
  return { name: v.name, geocode, street, types };
}

/** Maps Google place types to our landmark kinds (for the facade look). */
function kindOf(types: readonly string[]): LandmarkKind {
  const has = (t: string) => types.some((x) => x === t || x.endsWith(t));
  if (has('station')) return 'station';
  if (has('museum')) return 'museum';
  if (has('art_gallery')) return 'gallery';
  if (has('movie_theater')) return 'cinema';
  if (has('library')) return 'library';
  if (has('church') || has('place_of_worship')) return 'church';
  if (has('lodging')) return 'hotel';
  if (has('bank')) return 'bank';
  if (has('pharmacy')) return 'pharmacy';
  if (has('bakery')) return 'bakery';
  if (has('book_store')) return 'bookstore';
  if (has('cafe')) return 'cafe';
  if (has('restaurant')) return 'restaurant';
  return 'shop';
}

function relationLandmark(text: string, position: Vec2 | null): RouteLandmark | null {
  const m = /^(?:The destination )?(.+?) is on your (.+)$/.exec(text.trim());
  if (!m || !RELATIONS.includes(m[2] as Relation)) return null;
  return { name: m[1] as string, position, relation: m[2] as Relation };
}

function importOne(raw: unknown, fileName: string | null): VirlRoute {
  if (!isObj(raw)) throw new Error('is not an object');
  const start = place(raw.start_place, 'start_place');
  const dest = place(raw.dest_place, 'dest_place');
  const rr = raw.route_results;
  if (!isObj(rr)) throw new Error('route_results is missing or not an object');
  if (!Array.isArray(rr.geocode_list) || rr.geocode_list.length === 0) throw new Error('route_results.geocode_list must be a non-empty array of [lat, lng]');
  const geocodes = rr.geocode_list.map((g, k) => latLng(g, `route_results.geocode_list[${k}]`));
  if (typeof raw.milestone_info !== 'string') throw new Error('milestone_info is missing or not a string');
  const blocks = parseMilestoneInfo(raw.milestone_info);
  if (blocks.length !== geocodes.length) {
    throw new Error(`milestone_info has ${blocks.length} blocks but route_results.geocode_list has ${geocodes.length} milestones; they must match`);
  }
  const landmarkList = Array.isArray(rr.landmark_list) ? rr.landmark_list : [];
  const polylines = Array.isArray(rr.polyline) && rr.polyline.length === geocodes.length ? rr.polyline : null;
  const origin = { lat: start.street[0], lng: start.street[1] };
  const proj = (g: [number, number]) => projectLatLng(origin, g[0], g[1]);
  const startPosition = proj(start.street);
  const landmarks: Landmark[] = [];
  const addLandmark = (name: string, geocode: [number, number], street: Vec2, types: string[]) =>
    landmarks.push({ id: landmarks.length, name, kind: kindOf(types), position: proj(geocode), streetPoint: street, edge: -1 });
  addLandmark(start.name, start.geocode, startPosition, start.types);
  let prev = startPosition;
  const milestones: Milestone[] = geocodes.map((g, k) => {
    const b = blocks[k] as (typeof blocks)[number];
    const position = proj(g);
    const entry = landmarkList[k];
    let lmPos: Vec2 | null = null;
    if (isObj(entry) && typeof entry.name === 'string') {
      const lg = latLng(entry.geocode, `route_results.landmark_list[${k}].geocode`);
      lmPos = proj(lg);
      const types = Array.isArray(entry.place_types) ? entry.place_types.filter((t): t is string => typeof t === 'string') : [];
      if (!landmarks.some((l) => l.name === entry.name)) addLandmark(entry.name, lg, position, types);
    }
    const last = k === geocodes.length - 1;
    if (last) lmPos = proj(dest.geocode);
    let streetPath: Vec2[] | undefined;
    const enc = polylines?.[k];
    if (typeof enc === 'string') {
      try {
        streetPath = decodePolyline(enc).map(proj);
      } catch (e) {
        throw new Error(`route_results.polyline[${k}]: ${(e as Error).message}`);
      }
    }
    const m: Milestone = {
      position,
      heading: normHeading(b.heading),
      compass: b.compass,
      distance: b.distance ?? Math.round(distance(prev, position)),
      landmark: relationLandmark(b.landmarks, lmPos),
      landmarkText: b.landmarks,
      // The reference lays the rail on the straight line between points, so we do too.
      path: [prev, position],
      ...(streetPath ? { streetPath } : {}),
    };
    prev = position;
    return m;
  });
  addLandmark(dest.name, dest.geocode, milestones[milestones.length - 1]?.position ?? startPosition, dest.types);
  const initHeading = typeof raw.init_heading === 'number' && Number.isFinite(raw.init_heading) ? normHeading(raw.init_heading) : 0;
  const region = isObj(raw.start_place) && typeof raw.start_place.region === 'string' ? raw.start_place.region : null;
  return {
    source: { kind: 'imported', region, origin, fileName },
    start: { name: start.name, position: proj(start.geocode), kind: kindOf(start.types) },
    destination: { name: dest.name, position: proj(dest.geocode), kind: kindOf(dest.types) },
    startPosition,
    milestones,
    // 0 is the pipeline default and means "random at each reset", as in the reference.
    initHeading: initHeading === 0 ? null : initHeading,
    landmarks,
  };
}

/** Splits a parsed file into its route objects. */
function routeObjects(data: unknown): unknown[] {
  if (isObj(data)) return [data];
  if (Array.isArray(data)) {
    // The collection pipeline writes [list_of_routes, dest_idx].
    if (data.length === 2 && Array.isArray(data[0]) && typeof data[1] === 'number') return data[0];
    return data;
  }
  throw new VirlImportError('a V-IRL route file must hold a route object, an array of routes, or [routes, dest_idx]');
}

/**
 * Imports every route of a V-IRL route file, given as JSON text or already parsed. Throws a
 * VirlImportError whose message names the file, the route and the field at fault.
 */
export function importVirlRoutes(input: unknown, fileName: string | null = null): VirlRoute[] {
  const label = fileName ?? 'route file';
  let data = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      throw new VirlImportError(`${label}: not valid JSON (${(e as Error).message}); the file may be truncated`);
    }
  }
  let objects: unknown[];
  try {
    objects = routeObjects(data);
  } catch (e) {
    throw new VirlImportError(`${label}: ${(e as Error).message}`);
  }
  if (objects.length === 0) throw new VirlImportError(`${label}: holds no routes`);
  return objects.map((o, i) => {
    try {
      return importOne(o, fileName);
    } catch (e) {
      const where = objects.length > 1 ? `route ${i}: ` : '';
      throw new VirlImportError(`${label}: ${where}${(e as Error).message}`);
    }
  });
}

/** Imports the single route (or the `index`-th route) of a V-IRL route file. */
export function importVirlRoute(input: unknown, fileName: string | null = null, index = 0): VirlRoute {
  const routes = importVirlRoutes(input, fileName);
  const r = routes[index];
  if (!r) throw new VirlImportError(`${fileName ?? 'route file'}: has ${routes.length} routes, no route ${index}`);
  return r;
}

/** Heading and compass of the straight line into each milestone, to cross-check a file's headings. */
export function geometricHeadings(route: VirlRoute): Array<{ heading: number; compass: string }> {
  let prev = route.startPosition;
  return route.milestones.map((m) => {
    const h = bearing(prev, m.position);
    prev = m.position;
    return { heading: h, compass: compassName(h) };
  });
}
