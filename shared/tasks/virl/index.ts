/**
 * V-IRL navigation (`VirlNav-v0`): the facade the API layer, the CLI and the map viewer use.
 * Pure TypeScript (no Node, DOM or tfjs), deterministic in its seeds.
 */
import { CITY_SPECS, TRAINING_CITY } from './catalog';

export { generateCity, cityScene } from './city';
export { sampleRoute, DEFAULT_ROUTE_OPTIONS, type RouteOptions } from './route';
export { buildRail, instructionSentences, numberedInstruction, DEFAULT_RAIL_OPTIONS, type RailOptions } from './rail';
export { importVirlRoute, importVirlRoutes, geometricHeadings, VirlImportError } from './import';
export { createVirlEnv, VirlNavEnv, VIRL_ENV_ID, DEFAULT_VIRL_CONFIG } from './env';
export type { VirlEnvConfig, VirlResetOptions, VirlVariant, VirlObservation, VirlObservationState, VirlInfo, ChatTurn } from './env';
export { renderStreetViews, viewHeadings, DEFAULT_VIEW_OPTIONS, type StreetViewOptions, type ViewLayout } from './render/views';
export type { RgbImage } from './render/image';
export { sceneForRoute } from './scene';
export { mapGeometry, svgPoint, svgPoints, svgViewBox, type MapGeometry, type Bounds } from './map';
export { parseAnswer, normalizeAction, type ParsedAnswer } from './parse';
export { verify, VIRL_REWARDS, type VirlVerdict, type VerifierOptions } from './verifier';
export { virlMetrics, type VirlMetrics, type VirlEpisodeOutcome } from './metrics';
export { expertPolicy, randomPolicy, type VirlPolicy } from './policies';
export { runVirlEpisode, virlSplit, type RunEpisodeOptions } from './episode';
export { paperPrompt, compactPrompt, actionSpaceText, actionVocabulary, expertAnswer, type ActionSpaceKind } from './prompts';
export { checkVirlConformance, type ConformanceOptions } from './conformance';
export { COMPASS, RELATIONS, RELATIVE_TURNS, compassName, relationOf, relativeTurn, type Compass, type Relation, type RelativeTurn, type RelativeTurnMode, type Vec2 } from './geo';
export { TRAINING_CITY } from './catalog';
export type { CityStyle, FontVariant, Rgb } from './style';
export type * from './types';
export { LANDMARK_KINDS } from './types';

export interface CityListing {
  id: string;
  name: string;
  /** `id`: the training city; `ood`: visual out-of-distribution cities. */
  split: 'id' | 'ood';
  seed: number;
}

/** The named cities: one training city and the visual-OOD cities. */
export function listCities(): CityListing[] {
  return CITY_SPECS.map((c) => ({ id: c.id, name: c.name, split: c.id === TRAINING_CITY ? 'id' : c.split, seed: c.seed }));
}
