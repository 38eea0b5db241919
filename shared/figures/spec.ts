/**
 * The view spec: everything needed to redraw a figure (runs, grouping, smoothing, style). It is
 * saved next to every export so a figure can be reopened and regenerated (ANCHORS A.3 #10).
 * Pure data and zod only: the renderer, the exporters and the tests share it.
 */
import { z } from 'zod';
import { runIdSchema } from '../api/runs';

/** Metric keys and config field paths: namespaced words, never paths or markup. */
export const fieldKeySchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/, 'must be a metric key or config field like "eval/ood/success" or "preset"');

export const PALETTES = {
  /** Okabe & Ito (2008): the usual colour-blind-safe qualitative palette. */
  'okabe-ito': ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'],
  /** Paul Tol's "bright" scheme, also colour-blind safe. */
  'tol-bright': ['#4477AA', '#EE6677', '#228833', '#CCBB44', '#66CCEE', '#AA3377', '#BBBBBB'],
  /** Tol "muted", for many groups. */
  'tol-muted': ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499'],
} as const;
export type PaletteName = keyof typeof PALETTES;
export const PALETTE_NAMES = Object.keys(PALETTES) as PaletteName[];

export const smoothingSchema = z
  .object({
    kind: z.enum(['none', 'ema', 'savgol']),
    /** EMA weight in [0, 1). */
    weight: z.number().min(0).max(0.999),
    /** Savitzky–Golay window (odd, points); order 3 as in the paper (App. C.3). */
    window: z.number().int().min(5).max(501).refine((w) => w % 2 === 1, 'window must be odd'),
  })
  .strict();
export type Smoothing = z.infer<typeof smoothingSchema>;

export const styleSchema = z
  .object({
    widthIn: z.number().min(1).max(20),
    heightIn: z.number().min(1).max(20),
    fontFamily: z.string().min(1).max(100).regex(/^[A-Za-z0-9 ,'-]+$/, 'font family: letters, digits, spaces, commas'),
    /** Points (1/72 in). */
    fontSize: z.number().min(4).max(40),
    lineWidth: z.number().min(0.25).max(8),
    legend: z.enum(['right', 'bottom', 'top-left', 'none']),
    palette: z.enum(PALETTE_NAMES as [PaletteName, ...PaletteName[]]),
    /** `print`: white background, black axes, no grid tint; `light`: the screen look. */
    theme: z.enum(['light', 'print']),
    dpi: z.number().int().min(72).max(1200),
  })
  .strict();
export type FigureStyle = z.infer<typeof styleSchema>;

export const X_AXES = ['compute/flops', 'step', 'seq'] as const;

export const viewSpecSchema = z
  .object({
    format: z.literal(1),
    /**
     * `curves`: metric against x; `ood-change`: bars of final minus initial (paper Fig. 1/6/7);
     * `gain-vs`: each branch's gain from its starting checkpoint at matched compute, against the
     * config field `xField` (paper Fig. 10: OOD gain against verification iterations).
     */
    kind: z.enum(['curves', 'ood-change', 'gain-vs']),
    /** `gain-vs`: the numeric config field on the x axis (e.g. `ran.rl.verificationLimit`). */
    xField: fieldKeySchema.nullable().default(null),
    runs: z.array(runIdSchema).max(500),
    x: z.enum(X_AXES),
    /** One panel row per metric. */
    metrics: z.array(fieldKeySchema).min(1).max(8),
    /** Config field that splits panels into columns (e.g. `preset`), or null. */
    facet: fieldKeySchema.nullable(),
    /** Config fields whose values form a group (e.g. `method`); empty: every run on its own. */
    groupBy: z.array(fieldKeySchema).max(4),
    statistic: z.enum(['mean', 'iqm']),
    band: z.enum(['ci95', 'none']),
    showSeeds: z.boolean(),
    showRaw: z.boolean(),
    smoothing: smoothingSchema,
    style: styleSchema,
    /** Bootstrap seed, so the band is reproducible. */
    bootstrapSeed: z.number().int().min(0).max(2 ** 31),
    title: z.string().max(200),
  })
  .strict();
export type ViewSpec = z.infer<typeof viewSpecSchema>;

export const DEFAULT_STYLE: FigureStyle = {
  widthIn: 7, heightIn: 4, fontFamily: 'DejaVu Sans, Arial, sans-serif', fontSize: 9, lineWidth: 1.5,
  legend: 'bottom', palette: 'okabe-ito', theme: 'print', dpi: 300,
};

export const DEFAULT_SMOOTHING: Smoothing = { kind: 'ema', weight: 0.6, window: 9 };

export function defaultViewSpec(patch: Partial<ViewSpec> = {}): ViewSpec {
  return {
    format: 1, kind: 'curves', xField: null, runs: [], x: 'compute/flops', metrics: ['eval/ood/success'], facet: null, groupBy: ['method'],
    statistic: 'mean', band: 'ci95', showSeeds: false, showRaw: true, smoothing: DEFAULT_SMOOTHING, style: DEFAULT_STYLE,
    bootstrapSeed: 0, title: '', ...patch,
  };
}

/**
 * What the paper presets plot per split: success (GeneralPoints' figures; V-IRL's route success),
 * or per-step accuracy (the paper's V-IRL measure, `eval/{split}/per_step_accuracy`).
 */
export const PRESET_MEASURES = ['success', 'per_step_accuracy'] as const;
export type PresetMeasure = (typeof PRESET_MEASURES)[number];

/** The measure the presets use for these runs' tasks: V-IRL's per-step accuracy when every run is V-IRL. */
export function presetMeasureFor(tasks: readonly (string | undefined)[]): PresetMeasure {
  return tasks.length > 0 && tasks.every((t) => t === 'VirlNav-v0') ? 'per_step_accuracy' : 'success';
}

const MEASURE_TITLE: Record<PresetMeasure, string> = { success: 'Success', per_step_accuracy: 'Per-step accuracy' };

/** The paper's Figures 5–7 layout: columns per setting, ID row over OOD row, SFT vs RL. */
export function paperCurvesPreset(runs: string[], base: ViewSpec, measure: PresetMeasure = 'success'): ViewSpec {
  return { ...base, kind: 'curves', runs, x: 'compute/flops', metrics: [`eval/id/${measure}`, `eval/ood/${measure}`], facet: 'preset', groupBy: ['method'], smoothing: { ...base.smoothing, kind: 'savgol' }, title: `${MEASURE_TITLE[measure]} vs training compute: SFT vs RL` };
}

/** The paper's Figure 1/6/7 summary: OOD change from the initial checkpoint, per setting. */
export function paperOodChangePreset(runs: string[], base: ViewSpec, measure: PresetMeasure = 'success'): ViewSpec {
  return { ...base, kind: 'ood-change', runs, metrics: [`eval/ood/${measure}`], facet: 'preset', groupBy: ['method'], title: measure === 'success' ? 'OOD change from the initial checkpoint' : 'OOD per-step accuracy change from the initial checkpoint' };
}

/** GP-VL's recognition accuracy (all four cards read right at the first attempt; issue 11), per split. */
export const RECOGNITION_METRICS = ['eval/id/recognition', 'eval/ood/recognition'] as const;

/** Runs the Fig. 8 preset takes: branches (as Fig. 5, not the init) that logged recognition accuracy, i.e. GP-VL's. */
export function isRecognitionBranch(method: string | undefined, keys: readonly string[]): boolean {
  return method !== undefined && method !== 'init' && RECOGNITION_METRICS.some((k) => keys.includes(k));
}

/**
 * The paper's Figure 8 (GP-VL): recognition accuracy (top rows) and success (bottom rows), ID and
 * OOD, against training compute, SFT vs RL; one column per setting (gp-visual, gp-vl-rule).
 */
export function recognitionPreset(runs: string[], base: ViewSpec): ViewSpec {
  return {
    ...base, kind: 'curves', runs, x: 'compute/flops', metrics: [...RECOGNITION_METRICS, 'eval/id/success', 'eval/ood/success'], facet: 'preset', groupBy: ['method'],
    smoothing: { ...base.smoothing, kind: 'savgol' }, title: 'Recognition accuracy and success vs training compute: SFT vs RL',
    // Four panel rows: at the default 4 in each row is too short for its axis title.
    style: { ...base.style, heightIn: Math.max(base.style.heightIn, 8) },
  };
}

/** The config field of the training verification limit, as the run catalog flattens `ran` (what the run trained with). */
export const VERIFICATION_FIELD = 'ran.rl.verificationLimit';

/** The paper's Figure 10: OOD gain from the starting checkpoint against training verification iterations, at matched compute. */
export function verificationGainPreset(runs: string[], base: ViewSpec, measure: PresetMeasure = 'success'): ViewSpec {
  return {
    ...base, kind: 'gain-vs', xField: VERIFICATION_FIELD, runs, metrics: [`eval/ood/${measure}`], facet: null, groupBy: ['preset'],
    title: `OOD ${measure === 'success' ? 'success' : 'per-step accuracy'} gain vs verification iterations (matched compute)`,
  };
}

/** Methods the Fig. 10 preset takes: RL branches from the init (`rl`, `rl-single-turn`, `rl-vN`), not `rl-no-sft` or SFT. */
export function isVerificationSweepMethod(method: string | undefined): boolean {
  return method !== undefined && /^rl(-v\d+|-single-turn)?$/.test(method);
}
