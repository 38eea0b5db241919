/**
 * One experiment config from what a user types: a preset, a seed, branches, a shipped base,
 * `--set` edits and `--quick`. `sftrl train` and every run of a sweep build their config here, so
 * the run a Slurm array task trains is exactly the run `sftrl sweep plan` listed.
 */
import { experimentConfigSchema, type ExperimentConfig } from './config';
import { applyOverrides, OverrideError, parseOverrides } from './overrides';
import { findPreset, PRESETS, quickScale, type Preset } from './presets';

export class ConfigBuildError extends Error {}

export interface ExperimentRecipe {
  preset: string;
  seed?: number;
  /** Branches instead of the preset's. */
  branches?: string[];
  /** A base shipped in models/ instead of pretraining. */
  base?: string;
  /** `--set` text: `rl.klBeta=0.05,rl.steps=200`. */
  set?: string;
  quick?: boolean;
}

export function presetOf(id: string): Preset {
  const preset = findPreset(id);
  if (!preset) throw new ConfigBuildError(`preset must be one of ${PRESETS.map((p) => p.id).join(', ')}${id ? ` (got "${id}")` : ''}`);
  if (!preset.available) throw new ConfigBuildError(`preset "${preset.id}" cannot run yet: ${preset.unavailableReason}`);
  return preset;
}

/** The validated config; throws ConfigBuildError naming the first problem. */
export function buildExperimentConfig(recipe: ExperimentRecipe): ExperimentConfig {
  const preset = presetOf(recipe.preset);
  const candidate = {
    ...preset.config,
    seed: recipe.seed ?? preset.config.seed,
    ...(recipe.branches ? { branches: recipe.branches } : {}),
    // A shipped base replaces pretraining: no base steps unless the preset is edited.
    ...(recipe.base ? { base: { ...preset.config.base, from: recipe.base, steps: 0, multiTurnSteps: 0 } } : {}),
  };
  let edited: unknown = candidate;
  try {
    if (recipe.set) edited = applyOverrides(candidate, parseOverrides(recipe.set));
  } catch (error) {
    if (error instanceof OverrideError) throw new ConfigBuildError(`--set: ${error.message}`);
    throw error;
  }
  const checked = experimentConfigSchema.safeParse(edited);
  if (!checked.success) throw new ConfigBuildError(checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return recipe.quick ? quickScale(checked.data) : checked.data;
}
