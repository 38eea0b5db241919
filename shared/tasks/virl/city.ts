/** City generation: a catalog city (or a city from a bare seed) → its full model. */
import { createRng } from '../../util/rng';
import { CITY_SPECS, findCitySpec, type CitySpec } from './catalog';
import { hashString } from './geo';
import { buildStreetGraph } from './layout';
import { placeLandmarks } from './landmarks';
import type { CityModel, Scene } from './types';

/** Street-name words written before the name (`Via Dante`) rather than after (`Dante St`). */
const PREFIX_SUFFIXES = new Set(['Via', 'Corso', 'Viale', 'Calle', 'Avenida', 'Diagonal']);

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

function streetName(word: string, suffix: string): string {
  return PREFIX_SUFFIXES.has(suffix) ? `${suffix} ${word}` : `${word} ${suffix}`;
}

/** A spec for an uncatalogued city: layout and style derived from the seed. */
function specFromSeed(seed: number): CitySpec {
  const rng = createRng(seed ^ 0x5eed);
  const base = CITY_SPECS[rng.int(CITY_SPECS.length)] as CitySpec;
  return {
    ...base,
    id: `seed-${seed}`,
    name: `City ${seed}`,
    split: 'ood',
    seed,
    layout: { ...base.layout, rotation: rng.int(25) - 12, diagonals: 1 + rng.int(2) },
  };
}

function buildCity(spec: CitySpec): CityModel {
  const rng = createRng(spec.seed);
  const p = spec.layout;
  const words = rng.shuffle(spec.words);
  const [rowSuffix, colSuffix, diagSuffix] = spec.suffixes;
  const names: string[] = [];
  for (let j = 0; j < p.rows; j++) names.push(streetName(words[j % words.length] ?? 'Main', rowSuffix) + (j >= words.length ? ` ${j}` : ''));
  for (let i = 0; i < p.cols; i++) names.push(streetName(ordinal(i + 1), colSuffix));
  for (let k = 0; k < 2 * p.diagonals; k++) names.push(streetName(words[(p.rows + k) % words.length] ?? 'Grand', diagSuffix));
  const graph = buildStreetGraph(p, rng, names);
  const landmarks = placeLandmarks(graph.nodes, graph.edges, p.landmarkDensity, rng, spec.words);
  return {
    id: spec.id,
    name: spec.name,
    seed: spec.seed,
    split: spec.split,
    style: spec.style,
    ...graph,
    intersections: graph.nodes.filter((n) => n.edges.length >= 3).map((n) => n.id),
    landmarks,
  };
}

const cache = new Map<string, CityModel>();

/**
 * Generates a city from a catalog id or name (`nyc`, `London`), a numeric seed, or `seed-N`.
 * Deterministic, and memoised because cities are immutable and reused by every reset
 * (`fresh: true` rebuilds it, for determinism checks).
 * Throws an Error naming the known cities for an unknown name.
 */
export function generateCity(nameOrSeed: string | number, options: { fresh?: boolean } = {}): CityModel {
  let spec: CitySpec | undefined;
  if (typeof nameOrSeed === 'number') spec = specFromSeed(Math.trunc(nameOrSeed));
  else {
    const m = /^seed-(-?\d+)$/.exec(nameOrSeed.trim());
    spec = m ? specFromSeed(Number(m[1])) : findCitySpec(nameOrSeed);
  }
  if (!spec) throw new Error(`unknown city "${nameOrSeed}"; known: ${CITY_SPECS.map((c) => c.id).join(', ')} (or seed-N)`);
  const hit = cache.get(spec.id);
  if (hit && !options.fresh) return hit;
  const city = buildCity(spec);
  if (!options.fresh) cache.set(spec.id, city);
  return city;
}

/** The render scene of a city: all its landmarks and street segments. */
export function cityScene(city: CityModel): Scene {
  return {
    style: city.style,
    landmarks: city.landmarks,
    segments: city.edges.map((e) => [city.nodes[e.a]?.position ?? { x: 0, y: 0 }, city.nodes[e.b]?.position ?? { x: 0, y: 0 }]),
  };
}

/** Stable seed for naming-independent derivations (e.g. a route seed per city). */
export function citySalt(city: CityModel): number {
  return hashString(city.id);
}
