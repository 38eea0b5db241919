/**
 * The V-IRL vision-language base curriculum (issue 11; RL-NOTES §2 V-IRL-VL): what a foundation
 * model brings to V-IRL-VL, never a route of the training city.
 * - Sign reading: a street view of any of the nine catalog cities (every visual style, the
 *   training city's among them), mostly beside a landmark, else at a random street point; the
 *   prompt `<bos> R >` asks for the landmark standing near (≤ NEAR_M) in each view of the 2×2
 *   grid, answered view by view: `on_front <u> on_right <u> on_behind <u> on_left <u>`, each `<u>`
 *   the name's unit (`L<k>`) or `Lno`. Every view is read in every example: asked about one view
 *   at a time (and beside a landmark half the time), a 1500-step base saw ~4 named signs a step
 *   and learned neither presence nor emblems (bench/measure/virl-vl-signs.ts).
 * - The language skills of the V-IRL-L base (curriculum.ts: synthetic instruction lists, action
 *   vocabularies, history tracking, feedback) in the VL prompt, where the current point's
 *   landmark is not in the text but in a synthetic street view drawn around it: the point's
 *   landmark at its stated side, the destination ahead on the way to it, and distractor signs.
 *   Whether to stop is only readable from the image.
 *
 * Styles are drawn uniformly from all nine cities for both kinds: the base sees every city style
 * (as a foundation model has seen many cities); only post-training is restricted to the training city.
 */
import { CITY_SPECS } from '../../../../shared/tasks/virl/catalog';
import { generateCity } from '../../../../shared/tasks/virl/city';
import { bearing, headingVector, RELATIONS, type Relation, type Vec2 } from '../../../../shared/tasks/virl/geo';
import { landmarkBucket } from '../../../../shared/tasks/virl/render/emblem';
import { visibleLandmarks } from '../../../../shared/tasks/virl/render/streetview';
import { renderStreetViews, viewHeadings } from '../../../../shared/tasks/virl/render/views';
import { LANDMARK_KINDS, type CityModel, type Landmark, type Scene } from '../../../../shared/tasks/virl/types';
import type { Rng } from '../../../../shared/util/rng';
import type { Example } from '../../engine/task';
import { splitLandmark, type VirlCodec } from './codec';
import { virlCurriculumExample, type SyntheticPoint, type VirlCurriculumOptions } from './curriculum';

/**
 * Share of the vision-language base's examples that are sign reading (the rest: the language skills
 * with street views). Reading the emblems took a sign-reading-only probe ~40k examples to begin
 * (bench/measure/virl-vl-signs.ts), so they are most of the batch; their rows are short and train
 * in a pass of their own (sft.ts lengthGroups), so they cost a fraction of a route row.
 */
export const SIGN_READING_SHARE = 0.75;
/** A landmark this close (metres) is the one "on your <view>" in a sign-reading answer: the destination stands 11 m from its street point. */
export const NEAR_M = 20;
/** The views of the grid in row-major order (the env's `prompt` layout: front, right / back, left) as side units. */
export const VIEW_UNITS = ['on_front', 'on_right', 'on_behind', 'on_left'] as const;

/** Cities, built once (generateCity caches them too). */
const cities = (): CityModel[] => CITY_SPECS.map((s) => generateCity(s.id));

/** Share of sign-reading examples taken beside one of the city's landmarks (the rest: anywhere on a street). */
export const SIGN_BESIDE_SHARE = 0.75;

/** The sign-reading prompt: `<bos> R >`. */
export function signPrompt(codec: VirlCodec): number[] {
  return ['<bos>', 'R', '>'].map((u) => codec.id(u));
}

/** The sign-reading answer for the landmark names near in each view (grid order; null: none). */
export function signAnswer(codec: VirlCodec, near: readonly (string | null)[]): number[] {
  return [...near.flatMap((name, v) => [codec.id(VIEW_UNITS[v] as string), codec.id(name ? `L${landmarkBucket(name)}` : 'Lno')]), codec.tokenizer.eos];
}

/** The landmark the view `view` (0..3, grid order) shows near, or null: the nearest one it draws, if within NEAR_M. */
export function nearLandmarkInView(scene: Scene, position: Vec2, heading: number, view: number): Landmark | null {
  const h = viewHeadings(heading, 'prompt')[view] as number;
  const first = visibleLandmarks(scene, position, h)[0];
  return first && first.d <= NEAR_M ? first.l : null;
}

function viewsOf(codec: VirlCodec) {
  const v = codec.views;
  if (!v) throw new Error('the V-IRL vision-language base needs the vision-language codec (a street-view size)');
  return v;
}

/** A sign-reading example in a random catalog city (or one of `only`): mostly beside one of its landmarks, else anywhere on a street. */
export function signReadingExample(rng: Rng, codec: VirlCodec, only?: readonly string[]): Example & { city: string; near: (string | null)[] } {
  const views = viewsOf(codec);
  const city = rng.pick(only ? cities().filter((c) => only.includes(c.id)) : cities());
  const edge = rng.pick(city.edges);
  const a = city.nodes[edge.a]?.position as Vec2;
  const b = city.nodes[edge.b]?.position as Vec2;
  const onEdge = city.landmarks.filter((l) => l.edge === edge.id);
  let position: Vec2;
  if (onEdge.length > 0 && rng.next() < SIGN_BESIDE_SHARE) position = rng.pick(onEdge).streetPoint;
  else {
    const t = 0.1 + 0.8 * rng.next();
    position = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
  }
  const heading = rng.next() < 0.5 ? bearing(a, b) : bearing(b, a);
  const scene: Scene = { style: city.style, landmarks: city.landmarks, segments: city.edges.map((e) => [city.nodes[e.a]?.position as Vec2, city.nodes[e.b]?.position as Vec2]) };
  const near = [0, 1, 2, 3].map((v) => nearLandmarkInView(scene, position, heading, v)?.name ?? null);
  return {
    prompt: signPrompt(codec), answer: signAnswer(codec, near),
    image: renderStreetViews(scene, position, heading, { ...views, layout: 'prompt' }),
    city: city.id, near,
  };
}

const randomName = (rng: Rng) => `Place ${1 + rng.int(9999)}`;

/** A landmark `dist` metres from `from` at `angle` degrees off `heading`. */
function placed(id: number, name: string, rng: Rng, from: Vec2, heading: number, angle: number, dist: number): Landmark {
  const v = headingVector(heading + angle);
  const position = { x: from.x + v.x * dist, y: from.y + v.y * dist };
  return { id, name, kind: rng.pick(LANDMARK_KINDS), position, streetPoint: position, edge: -1 };
}

/**
 * The street views of a synthetic route point: a street through it along a random heading (and a
 * cross street at an intersection), the point's landmark at its stated side, the destination
 * ahead on the final street before it is reached, and up to three distractor signs whose names
 * never share a unit with the landmarks the instructions name.
 */
export function syntheticScene(rng: Rng, points: readonly SyntheticPoint[], at: number, style: Scene['style']): { scene: Scene; heading: number } {
  const point = points[at] as SyntheticPoint;
  const heading = rng.next() * 360;
  const P = { x: 0, y: 0 };
  const along = headingVector(heading);
  const segments: Array<[Vec2, Vec2]> = [[{ x: -along.x * 200, y: -along.y * 200 }, { x: along.x * 200, y: along.y * 200 }]];
  if (point.atIntersection) segments.push([{ x: -along.y * 200, y: along.x * 200 }, { x: along.y * 200, y: -along.x * 200 }]);
  const landmarks: Landmark[] = [];
  const named = new Set<number>();
  const here = splitLandmark(point.landmarkObs);
  const relAngle = (side: string) => 45 * Math.max(0, RELATIONS.indexOf(side.replace('on_', '').replace('_', ' ') as Relation));
  if (here.name) {
    named.add(landmarkBucket(here.name));
    landmarks.push(placed(landmarks.length, here.name, rng, P, heading, relAngle(here.side) + (rng.next() - 0.5) * 20, 11 + rng.next() * 5));
  }
  // Before the destination is reached, it may already be in sight ahead on the last street.
  const stopAt = points.findIndex((p) => p.absolute === 'stop()');
  const lastTurn = points.slice(0, stopAt).map((p) => p.absolute.startsWith('turn_direction')).lastIndexOf(true);
  const dest = splitLandmark((points[stopAt] as SyntheticPoint).landmarkObs);
  if (at > lastTurn && at < stopAt && dest.name) {
    named.add(landmarkBucket(dest.name));
    if (rng.next() < 0.6) {
      const ahead = 9 + rng.next() * 50;
      const side = relAngle(dest.side) > 180 ? -90 : 90;
      const street = { x: along.x * ahead, y: along.y * ahead };
      landmarks.push(placed(landmarks.length, dest.name, rng, street, heading, side, 11));
    }
  }
  for (let k = rng.int(4); k > 0; k--) {
    let name = randomName(rng);
    while (named.has(landmarkBucket(name))) name = randomName(rng);
    // Anywhere along the street, beside the agent too: only the emblem tells it from the destination.
    const t = (rng.next() - 0.5) * 120;
    landmarks.push(placed(landmarks.length, name, rng, { x: along.x * t, y: along.y * t }, heading, rng.next() < 0.5 ? -90 : 90, 11));
  }
  return { scene: { style, landmarks, segments }, heading };
}

/** One vision-language base example: sign reading, or a language-skill example with the point's synthetic street views. */
export function virlVlCurriculumExample(rng: Rng, codec: VirlCodec, opts: VirlCurriculumOptions): Example & { kind: 'sign' | 'route' } {
  const views = viewsOf(codec);
  if (rng.next() < SIGN_READING_SHARE) {
    const { prompt, answer, image } = signReadingExample(rng, codec);
    return { prompt, answer, ...(image ? { image } : {}), kind: 'sign' };
  }
  const e = virlCurriculumExample(rng, codec, opts);
  const style = rng.pick(CITY_SPECS).style;
  const { scene, heading } = syntheticScene(rng, e.points, e.at, style);
  return { prompt: e.prompt, answer: e.answer, image: renderStreetViews(scene, { x: 0, y: 0 }, heading, { ...views, layout: 'prompt' }), kind: 'route' };
}
