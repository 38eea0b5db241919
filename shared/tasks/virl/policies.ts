/** Reference policies: the expert (always right) and a seeded random policy (a floor for metrics). */
import type { Rng } from '../../util/rng';
import type { VirlNavEnv } from './env';
import { INTERSECTION_TEXT } from './observation';
import { actionVocabulary, expertAnswer } from './prompts';

/** A policy writes the answer text for the env's current point. */
export type VirlPolicy = (env: VirlNavEnv) => string;

export const expertPolicy: VirlPolicy = (env) => env.expertAnswer();

/**
 * Uniformly random action from the action space, with a random intersection claim, in the
 * paper's answer format (so it is judged on content, never on format).
 */
export function randomPolicy(rng: Rng): VirlPolicy {
  return (env) => {
    const action = rng.pick(actionVocabulary(env.variant.actionSpace));
    const observation = rng.next() < 0.5 ? 'No landmarks nearby; ' : `No landmarks nearby; ${INTERSECTION_TEXT}`;
    return expertAnswer(observation, '', action);
  };
}
