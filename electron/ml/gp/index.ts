/**
 * GeneralPoints training stages as pure, seeded, step-wise functions over the policy model.
 * The runner owns the loop, checkpoints and logging; each call here is one step whose data and
 * sampling come from stepRng(seed, stageId, step) only (see seed.ts).
 */
export * from './seed';
export * from './codec';
export * from './curriculum';
export * from './train-common';
export * from './sft';
export * from './rollout';
export * from './rl-batch';
export * from './rl';
export * from './eval';
export * from './trainer';
