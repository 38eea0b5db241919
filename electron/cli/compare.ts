/**
 * `sftrl compare`: paired per-hand comparison of two groups of runs evaluated on the same hands
 * (`sftrl eval --seed S` writes `episodes/manual-<checkpoint>-<split>-seed<S>.jsonl` in each run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEpisodesJsonl, type EpisodeRecord } from '../../shared/api/episode';
import { pairedComparison, type PairedResult } from '../../shared/stats/paired';
import { readRunManifest } from '../runs/store';
import { parseFlags, UsageError, type CliCommand } from './command';
import { isManualEvalFile } from './eval';

const SPLITS = ['id', 'ood'] as const;
type Split = (typeof SPLITS)[number];

interface Group {
  label: string;
  dirs: string[];
}

/** A hand is the env seed under its variant: the same key in every run evaluated with one eval seed. */
const handKey = (e: EpisodeRecord) => `${e.seed}|${JSON.stringify(e.variant)}`;

function manualFiles(dir: string, split: Split): string[] {
  const folder = path.join(dir, 'episodes');
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder).filter((f) => isManualEvalFile(f, split)).sort();
}

/** A run's training-time evaluation files of a split (eval-<split>-stepNNNNNN.jsonl), by step. */
function trainingEvalFiles(dir: string, split: Split): string[] {
  const folder = path.join(dir, 'episodes');
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder).filter((f) => new RegExp(`^eval-${split}-step\\d{6}\\.jsonl$`).test(f)).sort();
}

/**
 * Each run's evaluation file for the split. `first` / `last`: each run's first or last
 * evaluation during training (a branch's starting checkpoint, or its final one; runs that end at
 * different steps, e.g. under a compute budget, are still read on the same hands). Otherwise the
 * file named, or the only "sftrl eval" file they share.
 */
function runFiles(dirs: string[], split: Split, wanted?: string): { files: Map<string, string>; label: string } {
  if (wanted === 'first' || wanted === 'last') {
    const files = new Map<string, string>();
    for (const d of dirs) {
      const all = trainingEvalFiles(d, split);
      if (all.length === 0) throw new UsageError(`${d} has no training-time ${split.toUpperCase()} evaluation (episodes/eval-${split}-stepNNNNNN.jsonl) for --file ${wanted}`);
      files.set(d, (wanted === 'first' ? all[0] : all.at(-1)) as string);
    }
    const names = [...new Set(files.values())];
    return { files, label: names.length === 1 ? (names[0] as string) : `${wanted} evaluation: ${names.join(', ')}` };
  }
  const file = commonFile(dirs, split, wanted);
  return { files: new Map(dirs.map((d) => [d, file])), label: file };
}

/** The evaluation file every run has for the split: the one named, or the only one they share. */
function commonFile(dirs: string[], split: Split, wanted?: string): string {
  if (wanted) {
    const name = wanted.replaceAll('{split}', split);
    const missing = dirs.filter((d) => !fs.existsSync(path.join(d, 'episodes', name)));
    if (missing.length > 0) throw new UsageError(`no episodes/${name} in ${missing.join(', ')} (run "sftrl eval" on them with the same --seed)`);
    return name;
  }
  let shared = manualFiles(dirs[0] as string, split);
  for (const d of dirs.slice(1)) shared = shared.filter((f) => manualFiles(d, split).includes(f));
  if (shared.length === 1) return shared[0] as string;
  if (shared.length === 0) throw new UsageError(`the runs share no ${split.toUpperCase()} evaluation file: evaluate each with "sftrl eval --run DIR --seed S" (same S for all)`);
  throw new UsageError(`the runs share several ${split.toUpperCase()} evaluation files (${shared.join(', ')}): choose one with --file, e.g. --file ${shared[0]?.replace(`-${split}-`, '-{split}-')}`);
}

/**
 * What a run scores on one episode: success (0/1), the share of its steps answered right (V-IRL's
 * per-step accuracy), or GP-VL's recognition: the first answer's card list names the four cards in
 * the image (the paper's Fig. 8 measure; the verifier's `wrong_cards` verdict is exactly that check).
 */
export type CompareMetric = 'success' | 'per-step' | 'recognition';
const METRICS: readonly CompareMetric[] = ['success', 'per-step', 'recognition'];

function episodeScore(e: EpisodeRecord, metric: CompareMetric, file: string): number {
  if (metric === 'success') return e.success ? 1 : 0;
  if (metric === 'per-step') return e.steps.length === 0 ? 0 : e.steps.filter((s) => s.verdict === 'correct').length / e.steps.length;
  if (!e.variant.vision) throw new UsageError(`${file}: --metric recognition reads card lists of GeneralPoints episodes from card images (gp-visual, gp-vl-rule); these episodes are ${e.envId} without images`);
  const first = e.steps[0];
  return first !== undefined && first.verdict !== 'wrong_cards' ? 1 : 0;
}

/** Per-hand (per-route) score of one run, keyed by hand. */
function runScores(dir: string, file: string, metric: CompareMetric): Map<string, number> {
  const full = path.join(dir, 'episodes', file);
  const { episodes, errors } = parseEpisodesJsonl(fs.readFileSync(full, 'utf8'));
  if (errors.length > 0) throw new UsageError(`${full}: ${errors.length} unreadable line(s), first: ${errors[0]}`);
  const scores = new Map<string, number>();
  for (const e of episodes) {
    const k = handKey(e);
    if (scores.has(k)) throw new UsageError(`${full}: hand ${k} appears twice; an evaluation set has each hand once`);
    scores.set(k, episodeScore(e, metric, full));
  }
  return scores;
}

/** Per-hand success averaged over a group's runs, in one hand order shared by both groups. */
function groupScores(group: Group, files: Map<string, string>, order: string[] | undefined, metric: CompareMetric): { keys: string[]; scores: number[]; perRun: number[] } {
  const runs = group.dirs.map((d) => ({ dir: d, file: files.get(d) as string, scores: runScores(d, files.get(d) as string, metric) }));
  const keys = order ?? [...(runs[0]?.scores.keys() ?? [])].sort();
  for (const r of runs) {
    if (r.scores.size !== keys.length || keys.some((k) => !r.scores.has(k))) {
      throw new UsageError(`${path.join(r.dir, 'episodes', r.file)} holds other hands than the first run's (${r.scores.size} vs ${keys.length}): evaluate every run with the same --seed and --episodes`);
    }
  }
  const scores = keys.map((k) => runs.reduce((s, r) => s + (r.scores.get(k) as number), 0) / runs.length);
  const perRun = runs.map((r) => [...r.scores.values()].reduce((s, x) => s + x, 0) / r.scores.size);
  return { keys, scores, perRun };
}

function groupOf(list: string, name: string | undefined, flag: string): Group {
  const dirs = list.split(',').map((d) => path.resolve(d.trim())).filter((d) => d.length > 0);
  if (dirs.length === 0) throw new UsageError(`--${flag} needs one or more run folders, comma-separated`);
  const methods = new Set<string>();
  for (const d of dirs) {
    const m = readRunManifest(d);
    if (!m) throw new UsageError(`${d} is not a readable run folder (run.json missing or invalid)`);
    methods.add(m.method);
  }
  return { label: name ?? `${[...methods].join('+')} ×${dirs.length}`, dirs };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'paired per-hand comparison of two groups of runs evaluated on the same hands (bootstrap CI, permutation test)',
  usage: `sftrl compare --a DIRS --b DIRS [--split id|ood|both] [--metric success|per-step|recognition] [--file NAME|first|last] [--file-a …] [--file-b …] [--name-a TEXT] [--name-b TEXT] [--resamples N] [--json]

  --a DIRS, --b DIRS  run folders, comma-separated (e.g. the seeds of one branch); a group's
                      score on a hand (a route) is its score averaged over its runs
  --metric            success (default; route success for V-IRL); per-step: the share of an
                      episode's steps answered right, retries included (V-IRL's per-step accuracy);
                      recognition (GP-VL): the first answer lists the four cards in the image
  --split             id, ood or both (default both)
  --file NAME         evaluation file in each run's episodes/ folder, {split} standing for the
                      split (default: the one "sftrl eval" file the runs share), or first / last:
                      each run's first or last evaluation during training (runs that ended at
                      different steps, e.g. under rl.computeBudget, are still read on the same hands)
  --file-a, --file-b  the same for one group, e.g. branches at their start and at their end:
                      --a RUNS --file-a first --b RUNS --file-b last
  --resamples N       bootstrap resamples and permutation draws (default 10000)

Reports B − A in percentage points with a 95% paired-bootstrap CI over hands and a two-sided
sign-flip permutation p; with one run per side also McNemar's exact test.`,
  async run(args, io) {
    const { flags } = parseFlags(args, { a: 'string', b: 'string', split: 'string', metric: 'string', file: 'string', 'file-a': 'string', 'file-b': 'string', 'name-a': 'string', 'name-b': 'string', resamples: 'number', json: 'boolean' });
    const metricFlag = String(flags.metric ?? 'success');
    if (!(METRICS as readonly string[]).includes(metricFlag)) throw new UsageError(`--metric must be success, per-step or recognition (got "${metricFlag}")`);
    const metric = metricFlag as CompareMetric;
    if (!flags.a || !flags.b) throw new UsageError('--a and --b are required (run folders, comma-separated)');
    const splitFlag = String(flags.split ?? 'both');
    if (!['id', 'ood', 'both'].includes(splitFlag)) throw new UsageError(`--split must be id, ood or both (got "${splitFlag}")`);
    const resamples = (flags.resamples as number | undefined) ?? 10_000;
    if (!Number.isInteger(resamples) || resamples < 100 || resamples > 1_000_000) throw new UsageError('--resamples must be an integer from 100 to 1000000');
    const a = groupOf(String(flags.a), flags['name-a'] as string | undefined, 'a');
    const b = groupOf(String(flags.b), flags['name-b'] as string | undefined, 'b');
    const splits: Split[] = splitFlag === 'both' ? [...SPLITS] : [splitFlag as Split];
    const report: Record<string, PairedResult & { file: string; perRunA: number[]; perRunB: number[] }> = {};
    for (const split of splits) {
      const fileA = (flags['file-a'] ?? flags.file) as string | undefined;
      const fileB = (flags['file-b'] ?? flags.file) as string | undefined;
      // One resolution when both groups read the same kind of file, so the shared-file default sees every run.
      const both = fileA === fileB ? runFiles([...a.dirs, ...b.dirs], split, fileA) : null;
      const fa = both ?? runFiles(a.dirs, split, fileA);
      const fb = both ?? runFiles(b.dirs, split, fileB);
      const file = fa.label === fb.label ? fa.label : `A: ${fa.label}; B: ${fb.label}`;
      const ga = groupScores(a, fa.files, undefined, metric);
      const gb = groupScores(b, fb.files, ga.keys, metric);
      const r = pairedComparison(ga.scores, gb.scores, { resamples, seed: 0, runsPerSide: { a: ga.perRun.length, b: gb.perRun.length } });
      report[split] = { ...r, file, perRunA: ga.perRun, perRunB: gb.perRun };
      if (flags.json) continue;
      io.out(`${split.toUpperCase()} — ${r.hands} hands (${file})`);
      io.out(`  A ${a.label}: ${pct(r.meanA)}  [runs ${ga.perRun.map(pct).join(' ')}]`);
      io.out(`  B ${b.label}: ${pct(r.meanB)}  [runs ${gb.perRun.map(pct).join(' ')}]`);
      io.out(`  B − A: ${pts(r.diff)} points, 95% CI [${pts(r.ci.low)}, ${pts(r.ci.high)}] (paired bootstrap over hands), permutation p = ${r.pPermutation.toPrecision(2)}`);
      if (r.mcnemar) io.out(`  McNemar: ${r.mcnemar.onlyA} hands only A ${metric === 'recognition' ? 'read right' : 'solved'}, ${r.mcnemar.onlyB} only B, exact p = ${r.mcnemar.p.toPrecision(2)}`);
    }
    if (flags.json) io.out(JSON.stringify({ a, b, metric, splits: report }, null, 2));
    return 0;
  },
};
