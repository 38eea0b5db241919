/**
 * Channels of the V-IRL map viewer: the city catalog, generated and imported routes with an
 * episode to replay, another policy's episode on the same route (A/B), map geometry for records
 * read from an episodes file, and the rendered street views of one step.
 *
 * Routes and rails travel inside requests (the server keeps no state between calls), so they have
 * schemas here with bounds on every number, string and array: a record from a file or a crafted
 * request cannot make a handler loop, allocate without limit, or draw NaN.
 */
import { z } from 'zod';
import { episodeRecordSchema } from '../episode';
import {
  COMPASS, LANDMARK_KINDS, listCities, RELATIONS, TRAINING_CITY, importVirlRoutes, VirlImportError,
  type MapGeometry, type VirlRoute,
} from '../../tasks/virl/index';
import { findCitySpec } from '../../tasks/virl/catalog';
import { noPayload } from './core';

/** Largest route file `virl:import` accepts, characters: stays under the transport's 1 MB message cap once JSON-escaped. */
export const MAX_ROUTE_FILE_CHARS = 600_000;
/** Metres from a route's origin; real V-IRL routes span ~1 km, generated cities ~1.2 km. */
const MAX_COORD = 1_000_000;

const coord = z.number().finite().min(-MAX_COORD).max(MAX_COORD);
const vec2 = z.object({ x: coord, y: coord });
const heading = z.number().finite().min(-720).max(720);
const text = (max: number) => z.string().max(max);
const count = (max: number) => z.number().int().min(0).max(max);
const points = (max: number) => z.array(vec2).max(max);

/** A catalog city id or `seed-N` (N < 10⁶: cities are memoised, so the set of ids is bounded). */
export const virlCityIdSchema = z
  .string()
  .max(40, 'city id is longer than 40 characters')
  .refine((id) => /^seed-\d{1,6}$/.test(id) || findCitySpec(id)?.id === id, {
    error: (issue) => `unknown city "${String(issue.input).slice(0, 40)}"; known: ${listCities().map((c) => c.id).join(', ')} (or seed-N)`,
  });

/** A file's base name, shown in messages only: never a path. */
const fileNameSchema = z
  .string()
  .min(1, 'file name is empty')
  .max(255, 'file name is longer than 255 characters')
  .refine((s) => !/[/\\]/.test(s) && !s.includes('..'), 'file name must be a base name, not a path')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f]/.test(s), 'file name must not contain control characters');

const seedSchema = z.number().int().min(0).max(2_147_483_647);
const actionSpaceSchema = z.enum(['absolute', 'relative']);
const observationSchema = z.enum(['text', 'vision']);

const landmarkSchema = z.object({
  id: z.number().int().min(-1).max(1_000_000), name: text(300), kind: z.enum(LANDMARK_KINDS),
  position: vec2, streetPoint: vec2, edge: z.number().int().min(-1).max(1_000_000),
});

/** A route as the simulator writes it into episode records (shared/tasks/virl/types.ts). */
export const virlRouteSchema = z.object({
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('generated'), city: virlCityIdSchema, citySeed: z.number().int(), routeSeed: z.number().int() }),
    z.object({
      kind: z.literal('imported'), region: text(300).nullable(),
      origin: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }), fileName: text(255).nullable(),
    }),
  ]),
  start: z.object({ name: text(300), position: vec2, kind: z.enum(LANDMARK_KINDS).nullable() }),
  destination: z.object({ name: text(300), position: vec2, kind: z.enum(LANDMARK_KINDS).nullable() }),
  startPosition: vec2,
  milestones: z.array(z.object({
    position: vec2, heading, compass: z.enum(COMPASS), distance: z.number().finite().min(0).max(MAX_COORD),
    landmark: z.object({ name: text(300), position: vec2.nullable(), relation: z.enum(RELATIONS) }).nullable(),
    landmarkText: text(600), path: points(5000), streetPath: points(5000).optional(),
  })).min(1, 'a route needs at least one milestone').max(200),
  initHeading: heading.nullable(),
  landmarks: z.array(landmarkSchema).max(5000),
}) satisfies z.ZodType<VirlRoute>;

/** The rail of an episode (`initial.rail` of a record). */
export const virlRailSchema = z.object({
  initHeading: heading,
  sentences: z.array(text(1000)).max(500),
  points: z.array(z.object({
    index: count(100_000), kind: z.enum(['start', 'forward', 'milestone', 'destination']), position: vec2, heading,
    segment: count(1000), expertAbsolute: text(100), expertRelative: text(100), landmarkObs: text(600),
    atIntersection: z.boolean(), instructionIndex: count(1000),
  })).min(1, 'a rail needs at least one point').max(5000),
});

/** Street-view image options, as an env's `views` config (record `initial.views`). */
const viewOptionsSchema = {
  viewSize: z.number().int().min(16).max(256).default(96),
  gap: z.number().int().min(0).max(16).default(2),
  layout: z.enum(['prompt', 'reference']).default('prompt'),
};

/** An episode to replay and the map to draw it on. */
const episodeViewSchema = z.object({
  episode: episodeRecordSchema,
  // Geometry is produced by shared/tasks/virl/map.ts and never validated on the way back; the type is what matters.
  map: z.custom<MapGeometry>(),
});
export type VirlEpisodeView = z.output<typeof episodeViewSchema>;

const routeSummarySchema = z.object({
  index: z.number().int(), start: z.string(), destination: z.string(), region: z.string().nullable(), milestones: z.number().int(), metres: z.number(),
});
export type VirlRouteSummary = z.output<typeof routeSummarySchema>;

/** The import request: the file's text is parsed during validation, so a malformed file is a bad request naming its fault. */
const importRequestSchema = z
  .object({
    fileName: fileNameSchema,
    text: z.string().min(1, 'the file is empty').max(MAX_ROUTE_FILE_CHARS, `file is longer than ${MAX_ROUTE_FILE_CHARS} characters; split it into smaller route files`),
    index: z.number().int().min(0).max(9999).default(0),
    actionSpace: actionSpaceSchema.default('absolute'),
    observation: observationSchema.default('text'),
    styleCity: virlCityIdSchema.default(TRAINING_CITY),
    seed: seedSchema.default(0),
  })
  .strict()
  .transform((req, ctx) => {
    // Zod runs a transform after non-fatal issues (an unknown key); do not import a file the request already fails on.
    if (ctx.issues.length > 0) return z.NEVER;
    try {
      const routes = importVirlRoutes(req.text, req.fileName);
      if (req.index >= routes.length) {
        ctx.addIssue({ code: 'custom', path: ['index'], message: `${req.fileName} has ${routes.length} route(s); there is no route ${req.index}` });
        return z.NEVER;
      }
      return { ...req, routes };
    } catch (e) {
      if (!(e instanceof VirlImportError)) throw e;
      ctx.addIssue({ code: 'custom', path: ['text'], message: e.message.slice(0, 500) });
      return z.NEVER;
    }
  });

export const virlChannels = {
  'virl:cities': {
    method: 'virlCities',
    summary: 'The named V-IRL cities: the training city and the visual out-of-distribution ones.',
    request: noPayload,
    response: z.array(z.object({ id: z.string(), name: z.string(), split: z.enum(['id', 'ood']), seed: z.number().int() })),
  },
  'virl:route': {
    method: 'virlRoute',
    summary: 'Samples a route in a city and replays the expert on it (route, rail and instructions are in the episode).',
    request: z.object({ city: virlCityIdSchema, seed: seedSchema, actionSpace: actionSpaceSchema, observation: observationSchema }).strict(),
    response: episodeViewSchema,
  },
  'virl:import': {
    method: 'virlImport',
    summary: 'Imports a real V-IRL route file: a summary of every route, and the chosen one with an expert episode.',
    request: importRequestSchema,
    response: z.object({ fileName: z.string(), routes: z.array(routeSummarySchema), index: z.number().int(), view: episodeViewSchema }),
  },
  'virl:episode': {
    method: 'virlEpisode',
    summary: 'Runs the expert or a seeded random policy on a given route (the same seed gives the same rail): the B side of A/B.',
    request: z.object({
      route: virlRouteSchema, seed: seedSchema, actionSpace: actionSpaceSchema, observation: observationSchema,
      policy: z.enum(['expert', 'random']), policySeed: seedSchema.default(0),
      styleCity: virlCityIdSchema.default(TRAINING_CITY), verificationLimit: z.number().int().min(1).max(10).default(2),
    }).strict(),
    response: episodeViewSchema,
  },
  'virl:map': {
    method: 'virlMap',
    summary: 'Map geometry of a route (its city for generated routes) and optionally a rail: for records read from an episodes file.',
    request: z.object({ route: virlRouteSchema, rail: virlRailSchema.optional() }).strict(),
    response: z.custom<MapGeometry>(),
  },
  'virl:views': {
    method: 'virlViews',
    summary: 'The 2×2 street-view image at a position and heading, as base64 RGB bytes (3 per pixel, row-major).',
    request: z.object({
      scene: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('city'), city: virlCityIdSchema }).strict(),
        z.object({ kind: z.literal('route'), route: virlRouteSchema, styleCity: virlCityIdSchema.default(TRAINING_CITY) }).strict(),
      ]),
      position: vec2.strict(),
      heading,
      ...viewOptionsSchema,
    }).strict(),
    response: z.object({ width: z.number().int(), height: z.number().int(), rgb: z.string() }),
  },
} as const;
