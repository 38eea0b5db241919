/**
 * Experiment configuration (DESIGN §5, RECIPE.md). An experiment is a graph of stages:
 *   base → initial SFT → { SFT branch, RL branch } from the same checkpoint,
 * each branch evaluated in and out of distribution at fixed intervals.
 * Every field carries a `.describe()` text: the launcher form is generated from this schema.
 */
import { z } from 'zod';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const rate = z.number().positive().max(1);

export const modelConfigSchema = z
  .object({
    width: int(16, 1024).describe('Transformer width d_model (recipe: 96).'),
    layers: int(1, 24).describe('Number of transformer blocks (recipe: 3).'),
    heads: int(1, 16).describe('Attention heads; must divide the width (recipe: 4).'),
    context: int(16, 1024).describe('Context length in tokens: prompt plus all attempts (multi-turn V=3 needs about 80).'),
    ffnMult: int(1, 8).describe('Feed-forward width as a multiple of d_model (recipe: 4).'),
  })
  .refine((m) => m.width % m.heads === 0, { message: 'heads must divide width', path: ['heads'] })
  .describe('The policy: a small causal transformer with a value head.');

/** The largest card/street-view image side the encoder accepts (the paper's canvas is 1200 px). */
export const MAX_IMAGE_SIDE = 1200;

export const imageConfigSchema = z
  .object({
    width: int(8, MAX_IMAGE_SIDE).describe('Observation image width in pixels: the task renders its images at this size (GeneralPoints: 96).'),
    height: int(8, MAX_IMAGE_SIDE).describe('Observation image height in pixels (GeneralPoints: 48).'),
    channels: z
      .array(int(1, 512))
      .min(1)
      .max(8)
      .describe('Output channels of each 2×2 stride-2 ReLU convolution of the encoder, in order (each halves the image: 3 convs turn 96×48 into 12×6).'),
    gridH: int(1, 64).describe('Visual tokens per image along the height: the last feature map is pooled to gridH × gridW tokens.'),
    gridW: int(1, 64).describe('Visual tokens per image along the width.'),
    pool: z.enum(['mean', 'concat']).optional().describe('How a token\'s cells of the feature map are pooled: averaged (mean, the default), or concatenated before the projection so where a detail sits in the token\'s region survives (concat).'),
  })
  .superRefine((img, ctx) => {
    const f = 2 ** img.channels.length;
    if (img.width % f !== 0 || img.height % f !== 0) {
      ctx.addIssue({ code: 'custom', path: ['channels'], message: `${img.channels.length} stride-2 convs need an image divisible by ${f}; ${img.width}×${img.height} is not` });
      return;
    }
    const [h, w] = [img.height / f, img.width / f];
    if (h % img.gridH !== 0) ctx.addIssue({ code: 'custom', path: ['gridH'], message: `the feature map is ${h} high, which ${img.gridH} rows of tokens must divide` });
    if (w % img.gridW !== 0) ctx.addIssue({ code: 'custom', path: ['gridW'], message: `the feature map is ${w} wide, which ${img.gridW} columns of tokens must divide` });
  })
  .describe('The image observations and the encoder that reads them (vision-language only): trained in every stage, its visual tokens prepended to the text.');

export const optimizerConfigSchema = z
  .object({
    lr: rate.describe('Peak learning rate (AdamW).'),
    minLr: z.number().min(0).max(1).describe('Learning rate at the end of the cosine decay (equal to lr for a constant schedule).'),
    warmupSteps: int(0, 100_000).describe('Linear warm-up steps before the peak.'),
    weightDecay: z.number().min(0).max(1).describe('AdamW decoupled weight decay.'),
    clipNorm: z.number().positive().max(100).describe('Global gradient-norm clip.'),
  })
  .describe('Optimizer and learning-rate schedule.');

export const baseStageSchema = z
  .object({
    steps: int(0, 1_000_000).describe('Pretraining steps on the broad synthetic curriculum (single-turn answers).'),
    batch: int(1, 4096).describe('Sequences per step.'),
    multiTurnSteps: int(0, 1_000_000).describe('Continuation steps with synthetic wrong attempts and true feedback, which teach the model to use feedback.'),
    from: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,80}$/, 'a shipped base name: lower-case letters, digits and "-"')
      .optional()
      .describe('Start from a base shipped in models/ (e.g. gp-rule-base-s0) instead of fresh weights; the base steps above then continue from it (set them to 0 to use it as is).'),
    optimizer: optimizerConfigSchema,
  })
  .describe('Base stage: general skills (arithmetic, reading a stated rule, revising from feedback), never the in-distribution rule itself.');

export const sftStageSchema = z
  .object({
    steps: int(0, 1_000_000).describe('SFT steps.'),
    batch: int(1, 4096).describe('Sequences per step.'),
    expert: z.enum(['canonical', 'diverse']).describe('canonical: the solver\'s first solution per hand (the paper\'s optimal expert); diverse: a random valid solution (control).'),
    optimizer: optimizerConfigSchema,
  })
  .describe('Supervised fine-tuning on single-turn expert answers, loss on answer tokens only.');

export const rlStageSchema = z
  .object({
    algorithm: z.enum(['grpo', 'ppo']).describe('grpo: group-mean baseline (the recipe); ppo: value head, clipped surrogate, GAE (the paper).'),
    steps: int(0, 1_000_000).describe('Policy updates.'),
    promptsPerStep: int(1, 1024).describe('Distinct hands per update.'),
    groupSize: int(1, 64).describe('Episodes sampled per hand (GRPO group).'),
    temperature: z.number().positive().max(5).describe('Sampling temperature of rollouts.'),
    verificationLimit: int(1, 10).describe('Attempts per episode: the verifier\'s feedback goes into the next prompt (1 = single-turn).'),
    klBeta: z.number().min(0).max(10).describe('Weight of the k3 KL penalty to the starting checkpoint (0 = none).'),
    entropyCoef: z.number().min(0).max(1).describe('Entropy bonus weight.'),
    clipEpsilon: z.number().positive().max(1).describe('PPO ratio clip ε.'),
    gamma: z.number().min(0).max(1).describe('PPO discount over attempts (paper: 0.9).'),
    gaeLambda: z.number().min(0).max(1).describe('GAE λ (paper: 0.95).'),
    valueCoef: z.number().min(0).max(10).describe('PPO value-loss weight (paper: 0.5).'),
    epochs: int(1, 16).describe('Optimisation passes over each rollout batch (1 = on-policy).'),
    repeatPenalty: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('GRPO: subtracted from an episode\'s reward for each attempt that repeats an earlier one of the episode verbatim (0 = none).'),
    reward: z
      .enum(['success', 'graded'])
      .default('success')
      .describe('success: 1 when solved, else 0 (the recipe); graded: the env\'s own reward per attempt (GeneralPoints: the paper\'s +5 / −1 / −2 / −3, scaled so a solve is 1). Success metrics are unchanged.'),
    credit: z
      .enum(['episode', 'attempt'])
      .default('episode')
      .describe('GRPO credit. episode: every attempt gets the episode\'s return minus the group mean (the recipe); attempt: each attempt gets its discounted reward-to-go (γ = gamma) minus the group mean, and a failed attempt never a positive advantage.'),
    fixBonus: z.number().min(0).max(10).default(0).describe('attempt credit: added to the reward of a retry that solves after a failed attempt (SCoRe\'s improvement bonus; 0 = none).'),
    positiveWeight: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe('GRPO: positive advantages are multiplied by this (W-REINFORCE λ: 1 = plain, 0.1 = down-weighted, 0 = learn from failures only).'),
    dynamicSampling: z
      .boolean()
      .default(false)
      .describe('Drop groups whose episodes all got the same return (no learning signal) and draw more start states until promptsPerStep informative groups are found or maxSampleRounds rounds are spent (DAPO). Every sampled episode counts as compute.'),
    maxSampleRounds: int(1, 16).default(4).describe('dynamic sampling: most rounds of promptsPerStep start states drawn per update.'),
    computeBudget: z
      .number()
      .min(0)
      .default(0)
      .describe('FLOPs (training + generation) the RL phase may spend from its starting checkpoint; it ends, evaluated and saved, at the first step that reaches it, so branches with more attempts per episode stop earlier (paper Fig. 10 "at equal compute"). 0 = no budget: steps alone decide. steps stays the upper bound.'),
    optimizer: optimizerConfigSchema,
  })
  .describe('Reinforcement learning from the verifier\'s reward, multi-turn with feedback.');

export const evalConfigSchema = z
  .object({
    everySteps: int(1, 100_000).describe('Evaluate each branch every this many steps (and at step 0 and the end).'),
    idEpisodes: int(1, 100_000).describe('Fixed in-distribution evaluation hands (at least one face card).'),
    oodEpisodes: int(1, 100_000).describe('Fixed out-of-distribution evaluation hands (at least one face card).'),
    verificationLimit: int(1, 10).describe('Attempts per evaluation episode.'),
    seed: z.number().int().describe('Seed of the evaluation sets: every checkpoint sees the same hands.'),
  })
  .describe('Evaluation: greedy decoding on fixed ID and OOD sets; first-attempt and within-limit success.');

/**
 * The branches an experiment can train: `sft` and `rl` (the comparison); `sft-diverse` and
 * `rl-single-turn` (the recipe's controls); `rl-v1` … `rl-v10`, RL with that many attempts per
 * episode (paper Fig. 10, verification iterations); `rl-no-sft`, the `rl` branch started from the
 * base checkpoint, before the initial SFT (paper Fig. 9).
 */
export const BRANCHES = ['sft', 'rl', 'sft-diverse', 'rl-single-turn', 'rl-v1', 'rl-v3', 'rl-v5', 'rl-v10', 'rl-no-sft'] as const;
export type Branch = (typeof BRANCHES)[number];

/** The verification limit a `rl-vN` branch trains with (null for other branches). */
export function branchVerificationLimit(branch: Branch): number | null {
  const m = /^rl-v(\d+)$/.exec(branch);
  return m ? Number(m[1]) : null;
}

export const experimentConfigSchema = z
  .object({
    preset: z.string().max(64).describe('Preset this config came from.'),
    task: z.enum(['generalpoints', 'virl']).describe('Task simulator.'),
    variant: z.enum(['rule', 'visual']).describe('Which generalisation is tested: a new rule, or a new visual style.'),
    modality: z.enum(['language', 'vision-language']).describe('Text-only observations, or rendered images as well.'),
    seed: z.number().int().describe('Seed of initialisation, data order and sampling.'),
    model: modelConfigSchema,
    image: imageConfigSchema.optional(),
    base: baseStageSchema,
    initSft: sftStageSchema,
    sft: sftStageSchema,
    rl: rlStageSchema,
    eval: evalConfigSchema,
    branches: z
      .array(z.enum(BRANCHES))
      .min(1)
      .max(BRANCHES.length)
      .refine((b) => new Set(b).size === b.length, 'a branch is listed twice')
      .describe(
        'Branches trained from the shared initial checkpoint: sft and rl (the comparison); sft-diverse and rl-single-turn (the recipe\'s controls); ' +
          'rl-v1, rl-v3, rl-v5, rl-v10: rl with 1, 3, 5 or 10 attempts per episode (paper Fig. 10; the model context must fit the largest, and evaluation uses eval.verificationLimit for all); ' +
          'rl-no-sft: rl started from the base checkpoint, before the initial SFT (paper Fig. 9) — the same as rl when initSft.steps is 0.',
      ),
    checkpointEvery: int(1, 100_000).describe('Save a resumable checkpoint every this many steps.'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.modality === 'vision-language' && !c.image) {
      ctx.addIssue({ code: 'custom', path: ['image'], message: 'a vision-language experiment needs an image block: { width, height, channels, gridH, gridW } (the observation size and the encoder that reads it)' });
    }
    if (c.modality === 'language' && c.image) {
      ctx.addIssue({ code: 'custom', path: ['image'], message: 'a language-only experiment reads no images: remove the image block or set modality to vision-language' });
    }
  });

export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type ImageConfig = z.infer<typeof imageConfigSchema>;
export type OptimizerConfig = z.infer<typeof optimizerConfigSchema>;
export type SftStageConfig = z.infer<typeof sftStageSchema>;
export type RlStageConfig = z.infer<typeof rlStageSchema>;
export type EvalConfig = z.infer<typeof evalConfigSchema>;
export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;
