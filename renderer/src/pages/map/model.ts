/**
 * The map viewer's view model: an episode record (from a channel or an episodes file) checked and
 * turned into what the panes draw — route, rail, steps with position and verdict, error steps.
 * Records from files are untrusted, so everything is validated here and a bad record becomes a
 * message, never a crash mid-render.
 */
import { z } from 'zod';
import { virlRailSchema, virlRouteSchema, type VirlEpisodeView } from '../../../../shared/api/channels/virl';
import { parseEpisodesJsonl, type EpisodeRecord } from '../../../../shared/api/episode';
import type { MapGeometry, Rail, RailPoint, VirlRoute } from '../../../../shared/tasks/virl/index';

const stepInfoSchema = z.object({
  pointIndex: z.number().int().min(0),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }),
  heading: z.number().finite(),
  instructionIndex: z.number().int().min(0),
  expertAction: z.string(),
  parsedAction: z.string().nullable(),
  attempt: z.number().int().min(0),
});

const variantSchema = z.object({
  observation: z.enum(['text', 'vision']).catch('text'),
  actionSpace: z.enum(['absolute', 'relative']).catch('absolute'),
});

/** One replay step as the panes show it. */
export interface StepView {
  index: number;
  point: RailPoint;
  position: { x: number; y: number };
  heading: number;
  instructionIndex: number;
  expertAction: string;
  parsedAction: string | null;
  attempt: number;
  verdict: string;
  reward: number;
  feedback: string;
  output: string;
  prompt: string;
  correct: boolean;
}

/** What a street-view request needs to draw the scene the model saw. */
export type SceneRef = { kind: 'city'; city: string } | { kind: 'route'; route: VirlRoute; styleCity: string };

export interface Replayable {
  /** Changes whenever another episode is loaded (resets the map view). */
  key: string;
  /** Where it came from, for the pane header and the export title. */
  origin: string;
  episode: EpisodeRecord;
  route: VirlRoute;
  rail: Rail;
  map: MapGeometry;
  variant: { observation: 'text' | 'vision'; actionSpace: 'absolute' | 'relative' };
  steps: StepView[];
  /** Indices of steps whose verdict is not `correct` (for "next error"). */
  errors: number[];
  scene: SceneRef;
  views: { viewSize?: number; gap?: number; layout?: 'prompt' | 'reference' };
  /** Identifies the route and rail, so A/B can check both sides walk the same one. */
  routeKey: string;
}

/** A VirlNav record's route and rail, or the reason it cannot be replayed. */
export function routeAndRail(rec: EpisodeRecord): { route: VirlRoute; rail: Rail } | { error: string } {
  if (rec.envId !== 'VirlNav-v0') return { error: `is a ${rec.envId.slice(0, 40)} episode, not VirlNav-v0` };
  const route = virlRouteSchema.safeParse(rec.initial.route);
  if (!route.success) return { error: `initial.route: ${route.error.issues[0]?.path.join('.')} ${route.error.issues[0]?.message}` };
  const rail = virlRailSchema.safeParse(rec.initial.rail);
  if (!rail.success) return { error: `initial.rail: ${rail.error.issues[0]?.path.join('.')} ${rail.error.issues[0]?.message}` };
  return { route: route.data, rail: rail.data as Rail };
}

let counter = 0;

/** Builds the replay model of a record and its map; throws an Error naming the bad step. */
export function toReplayable(view: VirlEpisodeView, origin: string): Replayable {
  const { episode, map } = view;
  const rr = routeAndRail(episode);
  if ('error' in rr) throw new Error(`${origin}: ${rr.error}`);
  const { route, rail } = rr;
  const steps = episode.steps.map((s, index): StepView => {
    const info = stepInfoSchema.safeParse(s.info);
    if (!info.success) throw new Error(`${origin}: step ${index + 1}: info.${info.error.issues[0]?.path.join('.')} ${info.error.issues[0]?.message}`);
    const point = rail.points[info.data.pointIndex];
    if (!point) throw new Error(`${origin}: step ${index + 1}: rail point ${info.data.pointIndex} does not exist`);
    return {
      index, point, ...info.data, verdict: s.verdict, reward: s.reward, feedback: s.feedback, output: s.output, prompt: s.prompt,
      correct: s.verdict === 'correct',
    };
  });
  const styleCity = typeof episode.initial.importStyleCity === 'string' ? episode.initial.importStyleCity : 'nyc';
  const v = z.object({ viewSize: z.number().int().min(16).max(256).optional(), gap: z.number().int().min(0).max(16).optional(), layout: z.enum(['prompt', 'reference']).optional() }).catch({}).parse(episode.initial.views);
  return {
    key: `${++counter}`,
    origin,
    episode,
    route,
    rail,
    map,
    variant: variantSchema.parse(episode.variant ?? {}),
    steps,
    errors: steps.filter((s) => !s.correct).map((s) => s.index),
    scene: route.source.kind === 'generated' ? { kind: 'city', city: route.source.city } : { kind: 'route', route, styleCity },
    views: v,
    routeKey: routeKeyOf(route, rail),
  };
}

function routeKeyOf(route: VirlRoute, rail: Rail): string {
  return JSON.stringify([route.source, route.startPosition, route.milestones.map((m) => m.position), rail.points.map((p) => p.position)]);
}

/** One episode of an opened episodes file, checked but not yet mapped. */
export interface FileEpisode {
  /** Index in the file's list of episodes. */
  index: number;
  record: EpisodeRecord;
  route: VirlRoute;
  rail: Rail;
  label: string;
  routeKey: string;
}

/** Reads an episodes file: the replayable VirlNav episodes, and a message for every line or record left out. */
export function readEpisodesFile(text: string, fileName: string): { episodes: FileEpisode[]; problems: string[] } {
  const { episodes, errors } = parseEpisodesJsonl(text);
  const problems = errors.map((e) => `${fileName}: ${e}`);
  const out: FileEpisode[] = [];
  episodes.forEach((record, i) => {
    const rr = routeAndRail(record);
    if ('error' in rr) {
      problems.push(`${fileName}: episode ${i + 1} ${rr.error}`);
      return;
    }
    const where = rr.route.source.kind === 'generated' ? `${rr.route.source.city} route ${rr.route.source.routeSeed}` : `${rr.route.destination.name}`;
    out.push({
      index: out.length, record, route: rr.route, rail: rr.rail, routeKey: routeKeyOf(rr.route, rr.rail),
      label: `#${i + 1} · ${record.actor.name} · ${where} · ${record.steps.length} steps · ${record.success ? 'success' : 'failed'}`,
    });
  });
  return { episodes: out, problems };
}

/**
 * The episode of another file that walks A's route: same route and rail, and preferably the same
 * episode seed and action space (an evaluation file of another checkpoint replays the same seeded
 * routes, so this pairs SFT and RL episode by episode).
 */
export function matchOnRoute(episodes: readonly FileEpisode[], a: Pick<Replayable, 'routeKey' | 'episode' | 'variant'>): FileEpisode | undefined {
  const same = episodes.filter((fe) => fe.routeKey === a.routeKey && fe.record !== a.episode);
  const score = (fe: FileEpisode) => (fe.record.seed === a.episode.seed ? 2 : 0) + (fe.record.variant.actionSpace === a.variant.actionSpace ? 1 : 0);
  return same.reduce<FileEpisode | undefined>((best, fe) => (!best || score(fe) > score(best) ? fe : best), undefined);
}

/** The step a pane shows at the shared replay index: its own last step once it has ended. */
export function stepAt(r: Replayable, index: number): StepView | undefined {
  return r.steps[Math.min(index, r.steps.length - 1)];
}
