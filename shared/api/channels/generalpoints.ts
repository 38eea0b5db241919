/**
 * Channels of the card inspector (GeneralPoints): deal a hand and replay answers against the
 * environment. Both are stateless and deterministic (the seed decides everything), so the
 * renderer holds the whole playground state and any call can be repeated or shared.
 */
import { z } from 'zod';
import { canDeal } from '../../tasks/generalpoints/deal';
import { GP_RULES, VALUE_MAPS, parseValueMap, resolveVariant, type GpVariant, type ResolvedVariant } from '../../tasks/generalpoints/index';

/** Seeds are reduced to 32 bits by the PRNG; the bound keeps them exact and meaningful. */
export const GP_SEED_MIN = -2147483648;
export const GP_SEED_MAX = 4294967295;
/** Solutions returned by gp:deal (a hand rarely has more; the total is always reported). */
export const GP_MAX_SOLUTIONS = 200;
/** Attempts one gp:play call may replay: the largest verification limit plus the over-limit step. */
export const GP_MAX_ANSWERS = 11;
export const GP_MAX_ANSWER_CHARS = 4000;

const RULES = GP_RULES as readonly ['face10', 'face11-13'];

/** What decides a deal: the seed and the variant (custom values as typed text, parsed here). */
const dealSpecShape = z
  .object({
    seed: z
      .number()
      .int('seed must be an integer')
      .min(GP_SEED_MIN, `seed must be at least ${GP_SEED_MIN}`)
      .max(GP_SEED_MAX, `seed must be at most ${GP_SEED_MAX}`),
    rule: z.enum(RULES),
    colors: z.enum(['black', 'red', 'mixed']),
    vision: z.boolean(),
    /** The number to make; default 24. */
    target: z.number().int('target must be an integer').min(1, 'target must be at least 1').max(1000, 'target must be at most 1000').optional(),
    /** Custom card values over the rule's map: 13 comma-separated numbers (A..K) or overrides like `J=11, Q=12`. */
    values: z.string().max(300, 'values is longer than 300 characters').optional(),
    draw: z.enum(['without-replacement', 'with-replacement']).optional(),
    /** Paper prompt with the reference's `[Output Example]` block. */
    paperExample: z.boolean().optional(),
  })
  .strict();

export type GpDealSpec = z.infer<typeof dealSpecShape>;

/** The variant a deal spec describes, or the problem with it (naming the field). */
export function resolveDealSpec(spec: GpDealSpec): { ok: true; variant: ResolvedVariant } | { ok: false; field: string; error: string } {
  const partial: Partial<GpVariant> = { rule: spec.rule, colors: spec.colors, vision: spec.vision, target: spec.target, draw: spec.draw };
  if (spec.values !== undefined && spec.values.trim() !== '') {
    const parsed = parseValueMap(spec.values, VALUE_MAPS[spec.rule]);
    if (!parsed.ok) return { ok: false, field: 'values', error: parsed.error };
    partial.values = parsed.values;
  }
  const v = resolveVariant(partial);
  if (!v.ok) return { ok: false, field: /^value of/.test(v.error) ? 'values' : 'variant', error: v.error };
  if (!canDeal(v.variant)) {
    const face = v.variant.requireFace ? ' with a face card' : '';
    return { ok: false, field: 'target', error: `no hand${face} can make ${v.variant.target} under these card values` };
  }
  return { ok: true, variant: v.variant };
}

/** Checks the variant inside validation, so a bad value map is a bad request that names the problem. */
export const gpDealSpecSchema = dealSpecShape.superRefine((spec, ctx) => {
  // Zod runs refinements after non-fatal issues too (a too-long string); report those alone.
  if (!dealSpecShape.safeParse(spec).success) return;
  const r = resolveDealSpec(spec);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error, path: [r.field] });
});

const suitSchema = z.enum(['S', 'H', 'D', 'C']);
const cardSchema = z.object({ rank: z.number().int(), suit: suitSchema });
const cardDisplaySchema = z.object({
  rankLabel: z.string(),
  suitSymbol: z.string(),
  suitName: z.string(),
  color: z.enum(['black', 'red']),
  colorHex: z.string(),
  code: z.string(),
  isFace: z.boolean(),
});
const resolvedVariantSchema = z.object({
  rule: z.enum(RULES),
  target: z.number(),
  colors: z.enum(['black', 'red', 'mixed']),
  vision: z.boolean(),
  draw: z.enum(['without-replacement', 'with-replacement']),
  requireFace: z.boolean(),
  values: z.array(z.number()),
  customValues: z.boolean(),
});

export const gpDealResponseSchema = z.object({
  seed: z.number(),
  cards: z.array(cardSchema),
  /** Display models for drawing each card. */
  display: z.array(cardDisplaySchema),
  labels: z.array(z.string()),
  /** Each card's value under the active rule, in card order. */
  values: z.array(z.number()),
  variant: resolvedVariantSchema,
  split: z.enum(['id', 'ood']),
  /** Canonical first; at most GP_MAX_SOLUTIONS of them. */
  solutions: z.array(z.string()),
  solutionCount: z.number().int(),
  expertAnswer: z.string().nullable(),
  compactPrompt: z.string(),
  paperPrompt: z.string(),
  /** The in-app models' prompt as the tokens they read (codec units, e.g. `<bos> rJ n10 … >`). */
  modelPrompt: z.string(),
  /** The vision variant's observation: RGB bytes (3 per pixel, row-major) in base64. */
  image: z.object({ width: z.number().int(), height: z.number().int(), rgbBase64: z.string() }).nullable(),
});
export type GpDealView = z.infer<typeof gpDealResponseSchema>;

const parsedAnswerSchema = z.object({
  formula: z.string().nullable(),
  cards: z.array(z.string()).nullable(),
  number: z.array(z.string()).nullable(),
  source: z.enum(['field', 'bare', 'line', 'none']),
});

export const gpAttemptSchema = z.object({
  /** 1-based step number. */
  attempt: z.number().int(),
  output: z.string(),
  verdict: z.string(),
  reward: z.number(),
  feedback: z.string(),
  parsed: parsedAnswerSchema.nullable(),
  formula: z.string().nullable(),
  value: z.string().nullable(),
  terminated: z.boolean(),
  truncated: z.boolean(),
  attemptsLeft: z.number().int(),
});
export type GpPlayAttempt = z.infer<typeof gpAttemptSchema>;

export const gpPlayResponseSchema = z.object({
  attempts: z.array(gpAttemptSchema),
  solved: z.boolean(),
  done: z.boolean(),
  totalReward: z.number(),
  attemptsLeft: z.number().int(),
  verificationLimit: z.number().int(),
  /** What an in-app model would read next (after the attempts). */
  compactPrompt: z.string(),
  /** The paper's chat so far, as an external model would read it. */
  paperMessages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string(), image: z.boolean().optional() })),
  /** Answers sent after the episode had ended (solved or truncated); not played. */
  ignoredAnswers: z.number().int(),
});
export type GpPlayResult = z.infer<typeof gpPlayResponseSchema>;

export const gpChannels = {
  'gp:deal': {
    method: 'gpDeal',
    summary: 'GeneralPoints: deal the hand of a seed under a variant; cards, values, solutions, prompts and the vision image.',
    request: gpDealSpecSchema,
    response: gpDealResponseSchema,
  },
  'gp:play': {
    method: 'gpPlay',
    summary: 'GeneralPoints: replay answers against the environment from its seed; verdict, reward and feedback per attempt.',
    request: z
      .object({
        deal: gpDealSpecSchema,
        /** Verified attempts per episode (the paper's verify_iter). */
        verificationLimit: z.number().int('verificationLimit must be an integer').min(1, 'verificationLimit must be from 1 to 10').max(10, 'verificationLimit must be from 1 to 10'),
        /** The reference code's verifier (summed penalties, +1 partial, float evaluation). */
        referenceQuirks: z.boolean(),
        answers: z
          .array(z.string().max(GP_MAX_ANSWER_CHARS, `an answer is longer than ${GP_MAX_ANSWER_CHARS} characters`))
          .max(GP_MAX_ANSWERS, `at most ${GP_MAX_ANSWERS} answers (the verification limit plus one)`),
      })
      .strict(),
    response: gpPlayResponseSchema,
  },
} as const;
