/**
 * The data model of V-IRL navigation: cities, landmarks, routes and the rail. Every type here is
 * plain JSON (no classes, no typed arrays), so a route can be written into an episode record and
 * a viewer can redraw it without re-running anything.
 */
import type { Compass, Relation, Vec2 } from './geo';
import type { CityStyle } from './style';

/** Landmark categories; each has its own facade look and name templates. */
export const LANDMARK_KINDS = [
  'shop', 'cafe', 'restaurant', 'bakery', 'bookstore', 'pharmacy', 'bank', 'hotel',
  'station', 'museum', 'gallery', 'theatre', 'cinema', 'library', 'market', 'church',
] as const;
export type LandmarkKind = (typeof LANDMARK_KINDS)[number];

export interface Landmark {
  id: number;
  name: string;
  kind: LandmarkKind;
  /** Centre of the building front, set back from the street. */
  position: Vec2;
  /** Nearest point on the street, where a walker stands to stop at it. */
  streetPoint: Vec2;
  /** Id of the street edge it stands on (-1 for imported places). */
  edge: number;
}

export interface StreetNode {
  id: number;
  position: Vec2;
  /** Ids of edges touching this node. */
  edges: number[];
}

export interface StreetEdge {
  id: number;
  a: number;
  b: number;
  /** Index into `CityModel.streets`. */
  street: number;
}

export interface Street {
  name: string;
  /** Continuous pieces of the street as polylines in metres (a street may be interrupted). */
  pieces: Vec2[][];
}

export interface CityModel {
  /** Catalog id, e.g. `nyc`, or `seed-123` for an uncatalogued city. */
  id: string;
  name: string;
  seed: number;
  /** `id` for the training city, `ood` for visual out-of-distribution cities. */
  split: 'id' | 'ood';
  style: CityStyle;
  nodes: StreetNode[];
  edges: StreetEdge[];
  streets: Street[];
  /** Node ids with degree ≥ 3. */
  intersections: number[];
  landmarks: Landmark[];
}

/** What the renderer needs to draw street views: landmarks to show and the street layout. */
export interface Scene {
  style: CityStyle;
  landmarks: Landmark[];
  /** Street centre-line segments, used to decide whether a view looks down a road. */
  segments: Array<[Vec2, Vec2]>;
}

/** A landmark as mentioned in the route: name, where it is, and how it looks from the milestone. */
export interface RouteLandmark {
  name: string;
  position: Vec2 | null;
  relation: Relation;
}

export interface Milestone {
  /** Where the milestone (turning intersection, or the destination for the last one) is. */
  position: Vec2;
  /** Heading of the segment from the previous point to this milestone (h_k). */
  heading: number;
  compass: Compass;
  /** Walking distance of the segment into this milestone, metres. */
  distance: number;
  /** Landmark at the milestone, or null ("No landmark nearby"). */
  landmark: RouteLandmark | null;
  /** The milestone's landmark text exactly as the route file states it. */
  landmarkText: string;
  /** Polyline of the segment from the previous point to this milestone (the rail is laid on it). */
  path: Vec2[];
  /** For imported routes: the street geometry of the segment from the file's Google polyline (display only). */
  streetPath?: Vec2[];
}

export type RouteSource =
  | { kind: 'generated'; city: string; citySeed: number; routeSeed: number }
  | { kind: 'imported'; region: string | null; origin: { lat: number; lng: number }; fileName: string | null };

export interface Place {
  name: string;
  position: Vec2;
  kind: LandmarkKind | null;
}

export interface VirlRoute {
  source: RouteSource;
  start: Place;
  destination: Place;
  /** Where the walker starts (on the street in front of the start place). */
  startPosition: Vec2;
  /** Milestones in order; the last one is the destination. */
  milestones: Milestone[];
  /** Fixed initial heading, or null to draw a random one at each reset (the data stores 0). */
  initHeading: number | null;
  /** Places shown around the route (for imported routes: the file's landmarks and places). */
  landmarks: Landmark[];
}

export type RailPointKind = 'start' | 'forward' | 'milestone' | 'destination';

/** One movable point of the rail with its expert action and oracle observation. */
export interface RailPoint {
  index: number;
  kind: RailPointKind;
  position: Vec2;
  /** Heading the agent faces at this point. */
  heading: number;
  /** Segment index (milestone it walks towards). */
  segment: number;
  /** Expert action in the absolute action space, e.g. `turn_direction(north)`. */
  expertAbsolute: string;
  /** Expert action in the relative action space, e.g. `turn_direction(slightly left)`. */
  expertRelative: string;
  /** Landmark part of the oracle observation, e.g. `No landmarks nearby`. */
  landmarkObs: string;
  atIntersection: boolean;
  /** Index of the instruction sentence this point executes. */
  instructionIndex: number;
}

export interface Rail {
  initHeading: number;
  /** Instruction sentences, without numbers. */
  sentences: string[];
  points: RailPoint[];
}
