/**
 * The V-IRL base curriculum: what a foundation model brings to navigation, as single-step
 * exercises on synthetic instruction lists — never a route of the training city (RL-NOTES §2):
 * - read an allowed-action block whose vocabulary varies (compass words or relative words) and
 *   answer with a word of that vocabulary, copied from the turn sentence that is due;
 * - find the sentence that is due by tracking the actions taken so far;
 * - say whether the current observation is an intersection, and stop where the destination's
 *   landmark is seen;
 * - (multi-turn) revise after a failed attempt with the verifier's true feedback.
 * Turn words are drawn independently of any geometry (a sentence's relative and compass words
 * need not agree), so the exercise is reading, not the ID task's navigation. Relative
 * vocabulary appears in `relativeShare` of the examples: without it the relative (OOD) init is ~0.
 */
import { COMPASS, RELATIONS, RELATIVE_TURNS } from '../../../../shared/tasks/virl/geo';
import type { VirlObservationState } from '../../../../shared/tasks/virl/env';
import type { Rng } from '../../../../shared/util/rng';
import type { Example } from '../../engine/task';
import type { VirlCodec } from './codec';

export const DEFAULT_RELATIVE_SHARE = 0.25;

export interface SyntheticPoint {
  landmarkObs: string;
  atIntersection: boolean;
  absolute: string;
  relative: string;
}

const landmarkName = (rng: Rng) => `Place ${1 + rng.int(9999)}`;

/** A synthetic instruction list and its rail of points (start turn, forwards, milestone turns, stop). */
export function syntheticRoute(rng: Rng): { sentences: string[]; points: SyntheticPoint[] } {
  const turns = 2 + rng.int(5);
  const sentences: string[] = [];
  const points: SyntheticPoint[] = [];
  const words = Array.from({ length: turns }, () => ({ rel: rng.pick(RELATIVE_TURNS), abs: rng.pick(COMPASS) }));
  const turnAction = (k: number) => ({ absolute: `turn_direction(${words[k]?.abs})`, relative: `turn_direction(${words[k]?.rel})` });
  points.push({ landmarkObs: 'No landmarks nearby', atIntersection: false, ...turnAction(0) });
  for (let k = 0; k < turns; k++) {
    const w = words[k] as { rel: string; abs: string };
    const turn = `turn ${w.rel} to face ${w.abs}.`;
    sentences.push(k === 0 ? `First, ${turn}` : turn.charAt(0).toUpperCase() + turn.slice(1));
    const last = k === turns - 1;
    const name = landmarkName(rng);
    const side = rng.pick(RELATIONS);
    const hasLandmark = last || rng.next() < 0.8;
    const text = last ? `The destination ${name} is on your ${side}` : hasLandmark ? `${name} is on your ${side}` : 'No landmark nearby';
    sentences.push(last ? `Move forward until you reach destination where ${text}.` : hasLandmark ? `Move forward until you reach next intersection where ${text}.` : 'Move forward until you reach next intersection.');
    for (let f = rng.int(5); f > 0; f--) points.push({ landmarkObs: 'No landmarks nearby', atIntersection: false, absolute: 'forward()', relative: 'forward()' });
    if (last) points.push({ landmarkObs: text, atIntersection: false, absolute: 'stop()', relative: 'stop()' });
    else points.push({ landmarkObs: text, atIntersection: true, ...turnAction(k + 1) });
  }
  return { sentences, points };
}

/** A wrong answer at a point and the verifier's true feedback verdict for it. */
export function wrongAttempt(rng: Rng, codec: VirlCodec, point: SyntheticPoint, actionSpace: 'absolute' | 'relative'): number[] {
  const expert = actionSpace === 'absolute' ? point.absolute : point.relative;
  for (;;) {
    const claim = rng.next() < 0.25 ? !point.atIntersection : point.atIntersection;
    const vocab = actionSpace === 'absolute' ? COMPASS : RELATIVE_TURNS;
    const action = rng.pick(['forward()', 'stop()', `turn_direction(${rng.pick(vocab)})`]);
    if (claim === point.atIntersection && action === expert) continue;
    const answer = codec.encodeAnswer(claim, action);
    // The env's verdict: a correct action passes whatever the claim; else a wrong claim is named first.
    const verdict = claim !== point.atIntersection ? 'wrong_intersection' : 'wrong_action';
    return codec.encodeBlock(answer, verdict);
  }
}

export interface VirlCurriculumOptions {
  /** Attempts the example must fit: up to maxAttempts − 1 wrong attempts precede the answer. */
  maxAttempts: number;
  /** Share of examples in the relative vocabulary. */
  relativeShare?: number;
}

/** A curriculum example and the synthetic route point it asks about (the vision-language base draws that point's street views). */
export interface VirlCurriculumExample extends Example {
  points: SyntheticPoint[];
  at: number;
}

export function virlCurriculumExample(rng: Rng, codec: VirlCodec, opts: VirlCurriculumOptions): VirlCurriculumExample {
  const { sentences, points } = syntheticRoute(rng);
  const actionSpace = rng.next() < (opts.relativeShare ?? DEFAULT_RELATIVE_SHARE) ? 'relative' : 'absolute';
  const at = rng.int(points.length);
  const point = points[at] as SyntheticPoint;
  const expert = (p: SyntheticPoint) => (actionSpace === 'absolute' ? p.absolute : p.relative);
  const state: VirlObservationState = {
    actionSpace, sentences,
    history: points.slice(0, at).map((p) => ({ landmarkObs: p.landmarkObs, atIntersection: p.atIntersection, action: expert(p) })),
    landmarkObs: point.landmarkObs, atIntersection: point.atIntersection, failure: null,
  };
  const prompt = codec.encodeState(state);
  const wrong = opts.maxAttempts > 1 && rng.next() < 0.5 ? 1 + rng.int(opts.maxAttempts - 1) : 0;
  for (let i = 0; i < wrong; i++) prompt.push(...wrongAttempt(rng, codec, point, actionSpace));
  return { prompt, answer: codec.encodeAnswer(point.atIntersection, expert(point)), points, at };
}
