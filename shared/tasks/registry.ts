/**
 * The one environment registry: `makeEnv(envId, options)` for every task simulator, as
 * Gymnasium's `make`. Producers of episodes (CLI, trainers, API) name an env by its id.
 */
import { createGeneralPointsEnv, GP_ENV_ID, type GeneralPointsEnv, type GpEnvOptions } from './generalpoints/env';
import { createVirlEnv, VIRL_ENV_ID, type VirlEnvConfig, type VirlNavEnv } from './virl/env';

export interface EnvRegistry {
  [GP_ENV_ID]: { options: GpEnvOptions; env: GeneralPointsEnv };
  [VIRL_ENV_ID]: { options: Partial<VirlEnvConfig>; env: VirlNavEnv };
}

export type EnvId = keyof EnvRegistry;

export const ENV_IDS: readonly EnvId[] = [GP_ENV_ID, VIRL_ENV_ID];

const FACTORIES: { [K in EnvId]: (options: EnvRegistry[K]['options']) => EnvRegistry[K]['env'] } = {
  [GP_ENV_ID]: createGeneralPointsEnv,
  [VIRL_ENV_ID]: createVirlEnv,
};

export function isEnvId(id: string): id is EnvId {
  return (ENV_IDS as readonly string[]).includes(id);
}

/** A new env of a registered id; an unknown id is refused with the known ones. */
export function makeEnv<K extends EnvId>(envId: K, options: EnvRegistry[K]['options'] = {}): EnvRegistry[K]['env'] {
  if (!isEnvId(envId)) throw new Error(`unknown environment "${String(envId)}" (known: ${ENV_IDS.join(', ')})`);
  return FACTORIES[envId](options) as EnvRegistry[K]['env'];
}

