/** The render scene of a route: its city for generated routes, its own places for imported ones. */
import { findCitySpec, TRAINING_CITY } from './catalog';
import { cityScene, generateCity } from './city';
import type { Vec2 } from './geo';
import type { Scene, VirlRoute } from './types';

/**
 * Scene for drawing a route's street views. An imported route has no city around it: it is drawn
 * with its own landmarks along its own polyline, in the style of `styleCity` (default: the
 * training city, so a real NYC route looks like the in-distribution city).
 */
export function sceneForRoute(route: VirlRoute, styleCity: string = TRAINING_CITY): Scene {
  if (route.source.kind === 'generated') return cityScene(generateCity(route.source.city));
  const spec = findCitySpec(styleCity) ?? findCitySpec(TRAINING_CITY);
  if (!spec) throw new Error(`unknown style city "${styleCity}"`);
  const segments: Array<[Vec2, Vec2]> = [];
  let prev = route.startPosition;
  for (const m of route.milestones) {
    const path = m.path.length >= 2 ? m.path : [prev, m.position];
    for (let i = 1; i < path.length; i++) segments.push([path[i - 1] as Vec2, path[i] as Vec2]);
    prev = m.position;
  }
  return { style: spec.style, landmarks: route.landmarks, segments };
}
