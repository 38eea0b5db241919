/**
 * Experiment presets: the paper's four settings. `gp-rule` is complete (RECIPE.md part 2, the
 * multi-turn recipe, with its controls), `virl-rule` runs (V-IRL-L), and GeneralPoints and V-IRL
 * from images run in both variants each (`gp-visual`, `gp-vl-rule`; `virl-visual`, `virl-vl-rule`).
 */
import { experimentConfigSchema, type ExperimentConfig } from './config';

export interface Preset {
  id: string;
  title: string;
  summary: string;
  /** Whether the preset can run today; when false, `unavailableReason` says why. */
  available: boolean;
  unavailableReason?: string;
  config: ExperimentConfig;
}

const constantLr = (lr: number) => ({ lr, minLr: lr, warmupSteps: 0, weightDecay: 0, clipNorm: 1 });

/**
 * The recipe's first GeneralPoints setup (RECIPE.md part 2): a long base (3000 + 700 steps) used
 * as the init, GRPO with episode credit at lr 1e-4. Its init saturates (97.9% ID), so RL had
 * almost nothing to learn; kept so the earlier results (examples/gp-rule-saturated-base) and the
 * long bases the other presets need can be named.
 */
export const RECIPE_V1_BASE: ExperimentConfig['base'] = { steps: 3000, batch: 128, multiTurnSteps: 700, optimizer: { lr: 1e-3, minLr: 1e-4, warmupSteps: 100, weightDecay: 0.01, clipNorm: 1 } };
export const RECIPE_V1_RL: ExperimentConfig['rl'] = {
  algorithm: 'grpo', steps: 400, promptsPerStep: 16, groupSize: 8, temperature: 1, verificationLimit: 3, klBeta: 0, entropyCoef: 0,
  clipEpsilon: 0.2, gamma: 0.9, gaeLambda: 0.95, valueCoef: 0.5, epochs: 1, repeatPenalty: 0,
  reward: 'success', credit: 'episode', fixBonus: 0, positiveWeight: 1, dynamicSampling: false, maxSampleRounds: 4, computeBudget: 0, optimizer: constantLr(1e-4),
};

/**
 * The GeneralPoints rule experiment in the paper's init regime (issue #12, README "What the
 * gp-rule experiment gave here"): a base stopped early (600 + 150 steps) and a short canonical
 * SFT on the ID task (100 steps) put the init at ≈ 40% ID / 6–9% OOD, as the paper's; RL is GRPO
 * with dynamic sampling (dead groups dropped) and per-attempt credit at lr 3e-5, the recipe
 * chosen on a validation base. About 35 min of one core for the base and init, then 5 min (SFT)
 * and 20 min (RL) per branch.
 */
export const GP_RULE: ExperimentConfig = {
  preset: 'gp-rule',
  task: 'generalpoints',
  variant: 'rule',
  modality: 'language',
  seed: 0,
  model: { width: 96, layers: 3, heads: 4, context: 80, ffnMult: 4 },
  base: { ...RECIPE_V1_BASE, steps: 600, multiTurnSteps: 150 },
  initSft: { steps: 100, batch: 128, expert: 'canonical', optimizer: constantLr(1e-4) },
  sft: { steps: 200, batch: 128, expert: 'canonical', optimizer: constantLr(1e-4) },
  rl: { ...RECIPE_V1_RL, steps: 200, credit: 'attempt', dynamicSampling: true, optimizer: constantLr(3e-5) },
  eval: { everySteps: 50, idEpisodes: 400, oodEpisodes: 400, verificationLimit: 3, seed: 20250117 },
  branches: ['sft', 'rl'],
  checkpointEvery: 50,
};

/**
 * The V-IRL rule experiment (V-IRL-L): train in the absolute action space on the training city's
 * routes, evaluate held-out routes in the absolute (ID) and relative (OOD) spaces. Verification
 * limit 2 and the paper's per-step rewards; the init is the base plus a short SFT on ID routes
 * (the paper's V-IRL init is its 25-step SFT checkpoint). The scale of the first results (README):
 * models/virl-base-s0 is this preset's base (`sftrl pretrain --preset virl-rule --seed 0 --set
 * initSft.steps=0`), and branches of 100 steps.
 */
export const VIRL_RULE: ExperimentConfig = {
  ...GP_RULE,
  preset: 'virl-rule',
  task: 'virl',
  model: { width: 96, layers: 3, heads: 4, context: 96, ffnMult: 4 },
  base: { steps: 400, batch: 32, multiTurnSteps: 50, optimizer: { lr: 1e-3, minLr: 1e-4, warmupSteps: 100, weightDecay: 0.01, clipNorm: 1 } },
  initSft: { steps: 25, batch: 64, expert: 'canonical', optimizer: constantLr(1e-4) },
  sft: { steps: 100, batch: 64, expert: 'canonical', optimizer: constantLr(1e-4) },
  // The RL recipe its shipped results (examples/virl-rule-results) were made with.
  rl: { ...RECIPE_V1_RL, steps: 100, promptsPerStep: 8, groupSize: 8, verificationLimit: 2 },
  eval: { everySteps: 25, idEpisodes: 100, oodEpisodes: 100, verificationLimit: 2, seed: 20250117 },
  checkpointEvery: 25,
};

/**
 * GP-VL (issue 11): the cards only as a 96×48 image (four 21×29 px cards), read by a conv
 * encoder of three 2×2 stride-2 convs (12×6 feature map of 8×8 px patches) pooled to 2×12 = 24
 * visual tokens (six per card), trained in every stage. The answer names the cards first.
 * Visual variant: train and ID on black suits, OOD on red suits, rule J/Q/K = 10. Context:
 * 10 + 25·2 + 22 = 82 tokens for 3 attempts.
 */
export const GP_VISUAL: ExperimentConfig = {
  ...GP_RULE,
  preset: 'gp-visual',
  variant: 'visual',
  modality: 'vision-language',
  model: { ...GP_RULE.model, context: 88 },
  // The paper's init regime, as gp-rule's (600 + 150 base steps). Cards are read early: the
  // recipe's 3000 + 700-step base read all four cards of every fresh hand, black and red, from step
  // 600 on (100 hands each at steps 600, 800, 1000, 1500, 2000), but by its end it solved 94% ID /
  // 97% OOD, a saturated init from which neither branch can move (RL and SFT both ended ≥ 96%).
  image: { width: 96, height: 48, channels: [16, 32, 32], gridH: 2, gridW: 12 },
};

/** GP-VL rule variant: card images on black suits throughout; J/Q/K = 10 in training and ID, 11/12/13 out of distribution. */
export const GP_VL_RULE: ExperimentConfig = { ...GP_VISUAL, preset: 'gp-vl-rule', variant: 'rule' };

/**
 * V-IRL-VL (issue 11): the current point's landmark is seen, not read, in a 64×64 street-view grid
 * (four 32×32 views, [front, right / back, left], no gap). 32 px views are the smallest in which a
 * sign's emblem (3×3 cells of 2–5 px, render/emblem.ts) stays readable beside the agent, and a
 * 64×64 image costs a laptop's CPU about what a GP-VL card image does (96×48). The encoder: three
 * 2×2 stride-2 convs (an 8×8 map of 8 px patches) pooled to 4×4 = 16 visual tokens, four per view
 * (its quadrants), so a sign beside the agent (centre of a side view) and one down the street
 * (an edge of the front view) fall on different tokens. Each token keeps its four cells' features
 * side by side (`pool: 'concat'`): averaged, the emblem's cells were not read at all (a
 * sign-reading probe stayed at chance after 58k examples; concatenated it read 24% after 38k).
 * Sign reading in every city style is learned in the base (batches of 128, three in four sign
 * reading), so it is longer than V-IRL-L's (1500 + 100 steps; not tuned).
 * Visual variant: training and ID routes in the training city; OOD 400 routes, 50 in each of the
 * eight other cities' styles, plus the 18-route mini benchmark (2 per city) at every evaluation.
 */
export const VIRL_VISUAL: ExperimentConfig = {
  ...VIRL_RULE,
  preset: 'virl-visual',
  variant: 'visual',
  modality: 'vision-language',
  base: { ...VIRL_RULE.base, steps: 1500, batch: 128, multiTurnSteps: 100 },
  eval: { ...VIRL_RULE.eval, oodEpisodes: 400 },
  image: { width: 64, height: 64, channels: [16, 32, 32], gridH: 4, gridW: 4, pool: 'concat' },
};

/** V-IRL-VL rule variant: street views of the training city throughout; absolute actions in training and ID, relative OOD (the same held-out routes). */
export const VIRL_VL_RULE: ExperimentConfig = { ...VIRL_VISUAL, preset: 'virl-vl-rule', variant: 'rule', eval: { ...VIRL_VISUAL.eval, oodEpisodes: VIRL_RULE.eval.oodEpisodes } };

/**
 * The paper's verification-iterations experiment (Fig. 10, GP-L): RL branches with V = 1, 3, 5
 * and 10 attempts per episode from one init, evaluated with the same 10 attempts, so every
 * branch is read on the same hands under the same limit; `eval/{split}/success_within_{k}`
 * gives success within 1, 3, 5 and 10 attempts of that one evaluation (greedy decoding and a
 * prompt that does not show the limit make "within k of 10" the success of a k-attempt
 * evaluation). The context fits 10 attempts (14 + 20·9 + 17 = 211 tokens): it is a learned
 * position table, so the base is trained here, at that context, with a multi-turn curriculum of
 * up to 9 wrong attempts (a shipped 80-token base cannot hold V = 10; models/gp-verification-base-s0
 * is this preset's base). Every branch spends the same RL compute (rl.computeBudget, 2.5 TFLOPs ≈
 * 60 steps of V = 3), so V = 1 takes more steps and V = 10 fewer, as in the paper's "equal
 * compute"; the figure preset "OOD gain vs V" reads each branch at the compute all of them reached.
 */
export const GP_VERIFICATION: ExperimentConfig = (() => {
  const { from: _shippedBase, ...base } = GP_RULE.base;
  return {
    ...GP_RULE,
    preset: 'gp-verification',
    model: { ...GP_RULE.model, context: 216 },
    base,
    rl: { ...GP_RULE.rl, steps: 400, computeBudget: 2.5e12 },
    eval: { ...GP_RULE.eval, verificationLimit: 10 },
    branches: ['rl-v1', 'rl-v3', 'rl-v5', 'rl-v10'],
  };
})();

/** Smoke scale: the same graph in about a minute, for trying the pipeline (numbers mean nothing). */
export function quickScale(config: ExperimentConfig): ExperimentConfig {
  return experimentConfigSchema.parse({
    ...config,
    model: { width: 32, layers: 2, heads: 2, context: config.model.context, ffnMult: 2 },
    base: { ...config.base, steps: Math.min(config.base.steps, 60), batch: 32, multiTurnSteps: Math.min(config.base.multiTurnSteps, 20) },
    initSft: { ...config.initSft, steps: Math.min(config.initSft.steps, 10), batch: 32 },
    sft: { ...config.sft, steps: Math.min(config.sft.steps, 20), batch: 32 },
    rl: { ...config.rl, steps: Math.min(config.rl.steps, 10), promptsPerStep: 4, groupSize: 4 },
    eval: { ...config.eval, everySteps: 10, idEpisodes: 24, oodEpisodes: 24 },
    checkpointEvery: 10,
  });
}

export const PRESETS: Preset[] = [
  {
    id: 'gp-rule',
    title: 'GeneralPoints — rule variant',
    summary: 'Train with J/Q/K = 10, test with J/Q/K = 11/12/13. Language-only, multi-turn (3 attempts with verifier feedback).',
    available: true,
    config: GP_RULE,
  },
  {
    id: 'gp-verification',
    title: 'GeneralPoints — verification iterations (Fig. 10)',
    summary: 'RL with 1, 3, 5 and 10 attempts per episode from one init (J/Q/K = 10), all evaluated with 10 attempts on the same ID and OOD hands; plot "OOD gain vs V" in Figures.',
    available: true,
    config: GP_VERIFICATION,
  },
  {
    id: 'gp-visual',
    title: 'GeneralPoints — visual variant',
    summary: 'Train on black-suit card images, test on red suits (J/Q/K = 10). Vision-language: the answer names the cards it sees, then the formula; recognition accuracy is logged on black and red cards.',
    available: true,
    config: GP_VISUAL,
  },
  {
    id: 'gp-vl-rule',
    title: 'GeneralPoints — rule variant from card images',
    summary: 'Black-suit card images; train with J/Q/K = 10, test with J/Q/K = 11/12/13. Vision-language (GP-VL), with recognition accuracy.',
    available: true,
    config: GP_VL_RULE,
  },
  {
    id: 'virl-rule',
    title: 'V-IRL — rule variant',
    summary: 'Train with absolute turn directions (north, southeast…), test the same held-out routes with relative ones (left, slightly right…). Language-only, 2 verifications per point.',
    available: true,
    config: VIRL_RULE,
  },
  {
    id: 'virl-visual',
    title: 'V-IRL — visual variant',
    summary: 'Train on one city\'s street views, test on held-out routes in eight cities with other visual styles (50 each) and an 18-route mini benchmark; route success and per-step accuracy per style. Vision-language: the landmarks are seen in a 2×2 street-view grid.',
    available: true,
    config: VIRL_VISUAL,
  },
  {
    id: 'virl-vl-rule',
    title: 'V-IRL — rule variant from street views',
    summary: 'Street views of the training city; train with absolute turn directions, test the same held-out routes with relative ones. Vision-language (V-IRL-VL).',
    available: true,
    config: VIRL_VL_RULE,
  },
];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
