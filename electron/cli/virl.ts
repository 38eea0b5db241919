/**
 * `sftrl virl city|route|episodes|import`: V-IRL navigation from the command line — inspect a
 * generated city, sample a route and print its instructions and rail, write expert or random
 * episodes for the map viewer, import a real V-IRL route file and replay the expert on it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '../../shared/util/rng';
import {
  COMPASS, compassName, createVirlEnv, expertPolicy, generateCity, importVirlRoutes, listCities, numberedInstruction,
  randomPolicy, runVirlEpisode, sampleRoute, TRAINING_CITY, virlMetrics, VirlImportError,
  type VirlEnvConfig, type VirlRoute, type VirlVariant,
} from '../../shared/tasks/virl/index';
import type { Rail } from '../../shared/tasks/virl/types';
import { parseFlags, UsageError, type CliCommand, type CliIo } from './command';

const USAGE = `usage: sftrl virl <subcommand> [flags]

  city [<name>] [--seed N] [--list]        generate a city and print its stats (--list: all cities)
  route [--city NAME] [--seed N]           sample a route; print its instructions and rail
        [--actions absolute|relative] [--episode-seed N]
  episodes --out FILE [--city NAME]        write expert or random-policy episodes (JSON lines)
        [--count N] [--seed N] [--policy expert|random] [--variant text|vision]
        [--actions absolute|relative] [--prompt paper|compact]
  import FILE [--out FILE] [--seed N]      import a V-IRL route file, print it, replay the expert
        [--actions absolute|relative] [--variant text|vision] [--style CITY]
        [--reference] [--json]           --reference: the reference code's rail and verifier
                                         quirks; --json: routes, instructions and rails as JSON

Cities: ${listCities().map((c) => `${c.id}${c.split === 'id' ? ' (training)' : ''}`).join(', ')}, or seed-N.`;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${String(value)}"`);
  return value as T;
}

function intFlag(value: unknown, flag: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new UsageError(`--${flag} must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}

function cityOf(name: string): ReturnType<typeof generateCity> {
  try {
    return generateCity(name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const f1 = (v: number) => v.toFixed(1);

function printRail(io: CliIo, rail: Rail, actions: 'absolute' | 'relative'): void {
  io.out(`rail (${rail.points.length} points, initial heading ${rail.initHeading}°):`);
  for (const p of rail.points) {
    const act = actions === 'absolute' ? p.expertAbsolute : p.expertRelative;
    io.out(`  ${String(p.index).padStart(3)} ${p.kind.padEnd(11)} (${f1(p.position.x)}, ${f1(p.position.y)}) heading ${f1(p.heading).padStart(5)}  ${act.padEnd(30)} [${p.instructionIndex + 1}] ${p.landmarkObs}${p.atIntersection ? '; intersection' : ''}`);
  }
}

function printRoute(io: CliIo, route: VirlRoute): void {
  io.out(`start: ${route.start.name}   destination: ${route.destination.name}`);
  route.milestones.forEach((m, k) => io.out(`  milestone ${k + 1}: ${m.distance} m heading ${f1(m.heading)}° (${m.compass}) — ${m.landmarkText}`));
}

function cityCmd(args: string[], io: CliIo): number {
  const { flags, positional } = parseFlags(args, { seed: 'number', list: 'boolean' });
  if (flags.list) {
    for (const c of listCities()) io.out(`${c.id.padEnd(15)} ${c.name.padEnd(15)} ${c.split}`);
    return 0;
  }
  const city = flags.seed !== undefined ? generateCity(intFlag(flags.seed, 'seed', 0, -2147483648)) : cityOf(positional[0] ?? TRAINING_CITY);
  const dirs = new Set<string>();
  for (const e of city.edges) {
    const a = city.nodes[e.a]?.position;
    const b = city.nodes[e.b]?.position;
    if (!a || !b) continue;
    const h = (Math.atan2(b.x - a.x, b.y - a.y) * 180) / Math.PI;
    dirs.add(compassName(h));
    dirs.add(compassName(h + 180));
  }
  const xs = city.nodes.map((n) => n.position.x);
  const ys = city.nodes.map((n) => n.position.y);
  const kinds = new Map<string, number>();
  for (const l of city.landmarks) kinds.set(l.kind, (kinds.get(l.kind) ?? 0) + 1);
  io.out(`${city.name} (${city.id}, ${city.split}, seed ${city.seed})`);
  io.out(`  extent: ${Math.round(Math.max(...xs) - Math.min(...xs))} m × ${Math.round(Math.max(...ys) - Math.min(...ys))} m`);
  io.out(`  streets: ${city.streets.length}, street segments: ${city.edges.length}, nodes: ${city.nodes.length}, intersections: ${city.intersections.length}`);
  io.out(`  street directions: ${COMPASS.filter((c) => dirs.has(c)).join(', ')} (${dirs.size}/8)`);
  io.out(`  landmarks: ${city.landmarks.length} (${[...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  io.out(`  style: ${city.style.facadePattern} facades, ${city.style.sky.kind} sky, furniture ${city.style.furniture.join('/')}, font ${JSON.stringify(city.style.font)}`);
  io.out(`  e.g. ${city.landmarks.slice(0, 5).map((l) => l.name).join(', ')}`);
  return 0;
}

function routeCmd(args: string[], io: CliIo): number {
  const { flags } = parseFlags(args, { city: 'string', seed: 'number', actions: 'string', 'episode-seed': 'number' });
  const city = cityOf(String(flags.city ?? TRAINING_CITY));
  const seed = intFlag(flags.seed, 'seed', 0);
  const actions = oneOf(flags.actions, ['absolute', 'relative'] as const, 'actions', 'absolute');
  const route = sampleRoute(city, seed);
  const env = createVirlEnv();
  env.reset({ seed: intFlag(flags['episode-seed'], 'episode-seed', seed), route, variant: { actionSpace: actions } });
  io.out(`route ${seed} in ${city.name}`);
  printRoute(io, route);
  io.out('instruction:');
  for (const line of numberedInstruction(env.rail.sentences).split('\n')) io.out(`  ${line}`);
  printRail(io, env.rail, actions);
  return 0;
}

function episodesCmd(args: string[], io: CliIo): number {
  const { flags } = parseFlags(args, { out: 'string', city: 'string', count: 'number', seed: 'number', policy: 'string', variant: 'string', actions: 'string', prompt: 'string' });
  if (typeof flags.out !== 'string' || flags.out === '') throw new UsageError('episodes needs --out FILE (JSON lines)');
  const city = cityOf(String(flags.city ?? TRAINING_CITY));
  const count = intFlag(flags.count, 'count', 10, 1);
  const seed = intFlag(flags.seed, 'seed', 0);
  const policyName = oneOf(flags.policy, ['expert', 'random'] as const, 'policy', 'expert');
  const variant: VirlVariant = {
    observation: oneOf(flags.variant, ['text', 'vision'] as const, 'variant', 'text'),
    actionSpace: oneOf(flags.actions, ['absolute', 'relative'] as const, 'actions', 'absolute'),
  };
  const prompt = oneOf(flags.prompt, ['paper', 'compact'] as const, 'prompt', 'paper');
  const env = createVirlEnv();
  const policy = policyName === 'expert' ? expertPolicy : randomPolicy(createRng(seed ^ 0x52414e44));
  const lines: string[] = [];
  const outcomes = [];
  for (let i = 0; i < count; i++) {
    const rec = runVirlEpisode(env, { seed: seed + i, city: city.id, variant }, policy, { kind: policyName, name: policyName }, { prompt });
    outcomes.push({ rewards: rec.steps.map((s) => s.reward), success: rec.success });
    lines.push(JSON.stringify(rec));
  }
  writeFileSync(flags.out, `${lines.join('\n')}\n`);
  const m = virlMetrics(outcomes);
  io.out(`wrote ${count} ${policyName} episodes (${city.id}, ${variant.observation}/${variant.actionSpace}) to ${flags.out}`);
  io.out(`per-step accuracy ${(100 * m.perStepAccuracy).toFixed(1)}% over ${m.steps} steps, route success ${(100 * m.routeSuccess).toFixed(1)}%`);
  return 0;
}

/**
 * The reference code's behaviour (PAPER.md §6): raw-difference relative turns, short segments not
 * advancing the instruction index, any intersection mention judged against the landmark text, and
 * the literal `{{ }}` in the feedback's format block.
 */
const REFERENCE_BEHAVIOUR: Partial<VirlEnvConfig> = {
  rail: { relativeTurn: 'reference', instructionIndexing: 'reference' },
  verifier: { observationCheck: 'reference', feedbackBraces: 'reference' },
};

function importCmd(args: string[], io: CliIo): number {
  const { flags, positional } = parseFlags(args, { out: 'string', seed: 'number', actions: 'string', variant: 'string', style: 'string', reference: 'boolean', json: 'boolean' });
  const file = positional[0];
  if (!file) throw new UsageError('import needs a V-IRL route file, e.g. sftrl virl import route_infos.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const routes = importVirlRoutes(text, path.basename(file));
  const style = String(flags.style ?? TRAINING_CITY);
  cityOf(style);
  const variant: VirlVariant = {
    observation: oneOf(flags.variant, ['text', 'vision'] as const, 'variant', 'text'),
    actionSpace: oneOf(flags.actions, ['absolute', 'relative'] as const, 'actions', 'absolute'),
  };
  const seed = intFlag(flags.seed, 'seed', 0);
  const env = createVirlEnv({ importStyleCity: style, ...(flags.reference ? REFERENCE_BEHAVIOUR : {}) });
  const lines: string[] = [];
  const report: unknown[] = [];
  // With --json, stdout carries only the JSON document.
  const human: CliIo = flags.json ? { out: () => {}, err: io.err } : io;
  routes.forEach((route, i) => {
    const rec = runVirlEpisode(env, { seed: seed + i, route, variant }, expertPolicy, { kind: 'expert', name: 'expert' });
    lines.push(JSON.stringify(rec));
    report.push({
      region: route.source.kind === 'imported' ? (route.source.region ?? null) : null,
      start: route.start.name,
      destination: route.destination.name,
      milestones: route.milestones.map((m) => ({ distance: m.distance, heading: m.heading, compass: m.compass, landmark: m.landmarkText })),
      initHeading: env.rail.initHeading,
      instructions: env.rail.sentences,
      rail: env.rail.points.map((p) => ({
        kind: p.kind, x: p.position.x, y: p.position.y, heading: p.heading,
        action: variant.actionSpace === 'absolute' ? p.expertAbsolute : p.expertRelative,
        instruction: p.instructionIndex + 1, observation: p.landmarkObs, intersection: p.atIntersection,
      })),
      expert: { steps: rec.steps.length, success: rec.success },
    });
    human.out(`route ${i + 1}/${routes.length}${route.source.kind === 'imported' && route.source.region ? ` (${route.source.region})` : ''}`);
    printRoute(human, route);
    human.out('instruction:');
    for (const line of numberedInstruction(env.rail.sentences).split('\n')) human.out(`  ${line}`);
    printRail(human, env.rail, variant.actionSpace);
    human.out(`expert replay: ${rec.steps.length} steps, ${rec.success ? 'route completed' : 'FAILED'}`);
  });
  if (typeof flags.out === 'string') {
    writeFileSync(flags.out, `${lines.join('\n')}\n`);
    human.out(`wrote ${lines.length} expert episodes to ${flags.out}`);
  }
  if (flags.json) {
    io.out(JSON.stringify({ file: path.basename(file), behaviour: flags.reference ? 'reference' : 'default', actions: variant.actionSpace, seed, routes: report }, null, 2));
  }
  return 0;
}

const SUBCOMMANDS: Record<string, (args: string[], io: CliIo) => number> = { city: cityCmd, route: routeCmd, episodes: episodesCmd, import: importCmd };

export const virlCommand: CliCommand = {
  name: 'virl',
  summary: 'V-IRL navigation: generate cities and routes, write episodes, import real route files',
  usage: USAGE,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (!sub || sub === '--help' || sub === '-h' || rest.includes('--help')) {
      io.out(USAGE);
      return sub ? 0 : 2;
    }
    const cmd = SUBCOMMANDS[sub];
    if (!cmd) {
      io.err(`unknown virl subcommand "${sub}" (known: ${Object.keys(SUBCOMMANDS).join(', ')})`);
      return 2;
    }
    try {
      return cmd(rest, io);
    } catch (e) {
      if (e instanceof UsageError || e instanceof VirlImportError) {
        io.err(`virl ${sub}: ${e.message}`);
        return 2;
      }
      io.err(`virl ${sub} failed: ${(e as Error).message}`);
      return 1;
    }
  },
};
