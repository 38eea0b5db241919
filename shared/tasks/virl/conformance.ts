/**
 * Conformance suite of `VirlNav-v0` as code (like Gymnasium's env checker): returns a list of
 * problems, empty when the environment conforms. Runs the common env contract
 * (shared/tasks/contract.ts), and checks determinism, expert optimality on every generated and
 * imported route, rail invariants, and that random text never makes it throw.
 */
import { createRng } from '../../util/rng';
import { checkEnvContract } from '../contract';
import { CITY_SPECS, TRAINING_CITY } from './catalog';
import { generateCity } from './city';
import { createVirlEnv, VIRL_ENV_ID, type VirlResetOptions, type VirlVariant } from './env';
import { bearing, COMPASS, compassName } from './geo';
import { virlMetrics } from './metrics';
import { expertPolicy, type VirlPolicy } from './policies';
import { sampleRoute } from './route';
import type { VirlRoute } from './types';
import { VIRL_REWARDS } from './verifier';

export interface ConformanceOptions {
  /** Cities to check (default: the whole catalog). */
  cities: string[];
  /** Generated routes per city and action space. */
  routesPerCity: number;
  /** Imported real routes, each checked like a generated one. */
  importedRoutes: VirlRoute[];
  /** Episodes of random-text bombardment. */
  bombardEpisodes: number;
  seed: number;
}

const TEXT_ABS: VirlVariant = { observation: 'text', actionSpace: 'absolute' };
const TEXT_REL: VirlVariant = { observation: 'text', actionSpace: 'relative' };
const VISION_ABS: VirlVariant = { observation: 'vision', actionSpace: 'absolute' };

function play(reset: VirlResetOptions, policy: VirlPolicy): { rewards: number[]; success: boolean; trace: string } {
  const env = createVirlEnv();
  const first = env.reset(reset);
  const rewards: number[] = [];
  const trace: string[] = [first.observation.prompt];
  for (let guard = 0; !env.done && guard < 1000; guard++) {
    const r = env.step(policy(env));
    rewards.push(r.reward);
    trace.push(r.observation.prompt, String(r.reward));
  }
  return { rewards, success: env.success, trace: trace.join('\u0000') };
}

function checkRoute(label: string, reset: VirlResetOptions, problems: string[]): void {
  const env = createVirlEnv();
  env.reset(reset);
  const pts = env.rail.points;
  const last = pts[pts.length - 1];
  if (!last || last.kind !== 'destination' || last.expertAbsolute !== 'stop()') problems.push(`${label}: rail does not end with stop() at the destination`);
  if (env.rail.sentences.length !== 2 * env.route.milestones.length) problems.push(`${label}: ${env.rail.sentences.length} sentences for ${env.route.milestones.length} milestones`);
  for (const p of pts) {
    if (p.kind === 'milestone' && !p.atIntersection) problems.push(`${label}: milestone point ${p.index} not flagged as an intersection`);
    if (p.instructionIndex < 0 || p.instructionIndex >= env.rail.sentences.length) problems.push(`${label}: point ${p.index} has instruction index ${p.instructionIndex}`);
  }
  const m = virlMetrics([play(reset, expertPolicy)]);
  if (m.perStepAccuracy !== 1 || m.routeSuccess !== 1) problems.push(`${label}: expert per-step accuracy ${m.perStepAccuracy}, success ${m.routeSuccess}`);
}

/** Random answer texts: garbage, near-misses of the format, and well-formed random actions. */
function randomText(rng: ReturnType<typeof createRng>): string {
  const pool = [
    '', '{', '}', '{"action": }', 'null', '[]', '{"action": 5}', '"action": "forward()"', '{"action": "turn_direction()"}',
    '{"current observation": "You observe an intersection", "action": "stop"}', '```json\n{"action": "stop()",}\n```',
    '\u0000\uffff\ud800', 'turn_direction(north)', '{"action": "turn_direction(north)"', '{{{{{{',
    '{"current observation": "no intersection here", "action": "turn_direction(slightly left)"}',
  ];
  const r = rng.next();
  if (r < 0.4) return rng.pick(pool);
  if (r < 0.6) return Array.from({ length: rng.int(200) }, () => String.fromCharCode(rng.int(0x3000))).join('');
  const action = rng.pick(['forward()', 'stop()', 'turn_direction(north)', 'turn_direction(left)', 'turn_direction(slightly right)', 'jump()']);
  return `{"current observation": "${rng.pick(['', 'You observe an intersection', 'x'])}", "current instruction": "", "action": "${action}"}`;
}

export function checkVirlConformance(options: Partial<ConformanceOptions> = {}): string[] {
  const o: ConformanceOptions = { cities: CITY_SPECS.map((c) => c.id), routesPerCity: 3, importedRoutes: [], bombardEpisodes: 12, seed: 7, ...options };
  const problems: string[] = [];
  const rng = createRng(o.seed);
  const rewards = Object.values(VIRL_REWARDS);
  for (const overLimitStep of [false, true]) {
    problems.push(...checkEnvContract({
      label: `${VIRL_ENV_ID}${overLimitStep ? ' (reference over-limit step)' : ''}`,
      make: () => createVirlEnv({ overLimitStep }),
      resetOptions: (seed: number) => ({ seed, city: o.cities[seed % Math.max(1, o.cities.length)] ?? TRAINING_CITY, variant: seed % 2 === 0 ? TEXT_ABS : TEXT_REL }),
      answer: (env, r) => (r.next() < 0.8 ? env.expertAnswer() : randomText(r)),
      rewardRange: { min: Math.min(...rewards), max: Math.max(...rewards) },
      maxSteps: 2000,
    }, { seeds: [0, 1, 2, 3] }));
  }
  for (const id of o.cities) {
    const city = generateCity(id);
    if (JSON.stringify(city) !== JSON.stringify(generateCity(id, { fresh: true }))) problems.push(`${id}: city generation is not deterministic`);
    const dirs = new Set(city.edges.flatMap((e) => {
      const a = city.nodes[e.a]?.position;
      const b = city.nodes[e.b]?.position;
      return a && b ? [compassName(bearing(a, b)), compassName(bearing(b, a))] : [];
    }));
    if (dirs.size !== COMPASS.length) problems.push(`${id}: streets cover only ${[...dirs].join(', ')}`);
    for (let k = 0; k < o.routesPerCity; k++) {
      const seed = rng.int(1_000_000);
      if (JSON.stringify(sampleRoute(city, seed)) !== JSON.stringify(sampleRoute(city, seed))) problems.push(`${id}: route ${seed} is not deterministic`);
      for (const variant of [TEXT_ABS, TEXT_REL]) checkRoute(`${id} route ${seed} ${variant.actionSpace}`, { seed, city: id, variant }, problems);
      const reset = { seed, city: id, variant: k === 0 ? VISION_ABS : TEXT_ABS };
      if (play(reset, expertPolicy).trace !== play(reset, expertPolicy).trace) problems.push(`${id} route ${seed}: episode is not deterministic`);
    }
    const vision = createVirlEnv().reset({ seed: 1, city: id, variant: VISION_ABS }).observation.image;
    const again = createVirlEnv().reset({ seed: 1, city: id, variant: VISION_ABS }).observation.image;
    if (!vision || !again || vision.data.length !== again.data.length || vision.data.some((v, i) => v !== again.data[i])) {
      problems.push(`${id}: street-view image is missing or not deterministic`);
    }
  }
  o.importedRoutes.forEach((route, i) => {
    for (const variant of [TEXT_ABS, TEXT_REL, VISION_ABS]) checkRoute(`imported route ${i} ${variant.observation}/${variant.actionSpace}`, { seed: i, route, variant }, problems);
  });
  const allowed = new Set<number>(Object.values(VIRL_REWARDS));
  const cities = o.cities.length > 0 ? o.cities : ['nyc'];
  for (let k = 0; k < o.bombardEpisodes; k++) {
    const variant = [TEXT_ABS, TEXT_REL, VISION_ABS][k % 3] as VirlVariant;
    const route = o.importedRoutes.length > 0 && k % 4 === 3 ? o.importedRoutes[k % o.importedRoutes.length] : undefined;
    try {
      const env = createVirlEnv();
      env.reset({ seed: k, city: cities[k % cities.length], variant, ...(route ? { route } : {}) });
      const cap = env.rail.points.length * (env.config.verificationLimit + 1);
      let n = 0;
      while (!env.done) {
        const r = env.step(randomText(rng));
        if (!allowed.has(r.reward)) problems.push(`bombardment ${k}: reward ${r.reward} is not in the reward table`);
        if (++n > cap) {
          problems.push(`bombardment ${k}: episode did not end within ${cap} steps`);
          break;
        }
      }
    } catch (e) {
      problems.push(`bombardment ${k}: threw ${(e as Error).message}`);
    }
  }
  return problems;
}
