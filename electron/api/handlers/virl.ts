/** Handlers of the V-IRL map viewer channels. Payloads arrive validated (route files already imported). */
import { createRng } from '../../../shared/util/rng';
import {
  cityScene, createVirlEnv, expertPolicy, generateCity, listCities, mapGeometry, randomPolicy, renderStreetViews, runVirlEpisode,
  sampleRoute, sceneForRoute, TRAINING_CITY, type Rail, type VirlPolicy, type VirlRoute, type VirlVariant,
} from '../../../shared/tasks/virl/index';
import type { virlChannels, VirlEpisodeView } from '../../../shared/api/channels/virl';
import type { Actor } from '../../../shared/api/episode';
import type { HandlerTable } from '../types';

interface EpisodeSpec {
  route: VirlRoute;
  seed: number;
  variant: VirlVariant;
  policy: 'expert' | 'random';
  policySeed: number;
  styleCity: string;
  verificationLimit: number;
}

/** Same salt as `sftrl virl episodes`, so a policy seed means the same random actions in the CLI and the viewer. */
const RANDOM_SALT = 0x52414e44;

/** Runs one episode on `route` and returns it with the map it is drawn on. */
function episodeView(s: EpisodeSpec): VirlEpisodeView {
  const env = createVirlEnv({ importStyleCity: s.styleCity, verificationLimit: s.verificationLimit });
  const policy: VirlPolicy = s.policy === 'expert' ? expertPolicy : randomPolicy(createRng((s.policySeed ^ RANDOM_SALT) >>> 0));
  const actor: Actor = s.policy === 'expert' ? { kind: 'expert', name: 'expert' } : { kind: 'random', name: `random (seed ${s.policySeed})` };
  // The viewer shows the prompt the model saw; the paper prompt is the one external models get and the more readable.
  const episode = runVirlEpisode(env, { seed: s.seed, route: s.route, variant: s.variant }, policy, actor, { prompt: 'paper' });
  return { episode, map: mapGeometry(s.route, { rail: env.rail }) };
}

function metres(route: VirlRoute): number {
  return Math.round(route.milestones.reduce((sum, m) => sum + m.distance, 0));
}

export const virlHandlers: HandlerTable<typeof virlChannels> = {
  'virl:cities': async () => listCities(),

  'virl:route': async (req) => {
    const route = sampleRoute(generateCity(req.city), req.seed);
    return episodeView({
      route, seed: req.seed, variant: { actionSpace: req.actionSpace, observation: req.observation },
      policy: 'expert', policySeed: 0, styleCity: TRAINING_CITY, verificationLimit: 2,
    });
  },

  'virl:import': async (req) => {
    const route = req.routes[req.index] as VirlRoute; // index checked during validation
    return {
      fileName: req.fileName,
      index: req.index,
      routes: req.routes.map((r, index) => ({
        index, start: r.start.name, destination: r.destination.name,
        region: r.source.kind === 'imported' ? r.source.region : null, milestones: r.milestones.length, metres: metres(r),
      })),
      view: episodeView({
        route, seed: req.seed, variant: { actionSpace: req.actionSpace, observation: req.observation },
        policy: 'expert', policySeed: 0, styleCity: req.styleCity, verificationLimit: 2,
      }),
    };
  },

  'virl:episode': async (req) => episodeView({
    route: req.route, seed: req.seed, variant: { actionSpace: req.actionSpace, observation: req.observation },
    policy: req.policy, policySeed: req.policySeed, styleCity: req.styleCity, verificationLimit: req.verificationLimit,
  }),

  'virl:map': async (req) => mapGeometry(req.route, req.rail ? { rail: req.rail as Rail } : {}),

  'virl:views': async (req) => {
    const scene = req.scene.kind === 'city' ? cityScene(generateCity(req.scene.city)) : sceneForRoute(req.scene.route, req.scene.styleCity);
    const img = renderStreetViews(scene, req.position, req.heading, { viewSize: req.viewSize, gap: req.gap, layout: req.layout });
    return { width: img.width, height: img.height, rgb: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength).toString('base64') };
  },
};
