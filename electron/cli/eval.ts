/** `sftrl eval`: evaluates a run's checkpoint on fresh or fixed ID/OOD sets, writing the episodes beside it. */
import fs from 'node:fs';
import path from 'node:path';
import { experimentOfRun } from '../../shared/experiments/plan';
import { ensureBackend } from '../ml/backend';
import { blindTask } from '../ml/engine/blind';
import { trainingDifference } from '../ml/engine/same-training';
import { evaluate, evaluatePassAtK } from '../ml/engine/eval';
import { loadTaskCheckpoint } from '../ml/engine/task-checkpoint';
import { disposeModel } from '../ml/model';
import { loadTask } from '../ml/tasks';
import { listCheckpoints, newestVerifiedCheckpoint, readCheckpoint } from '../runs/checkpoints';
import { readRunManifest, writeFileAtomic } from '../runs/store';
import { openSettingsStore } from '../settings/store';
import { parseFlags, UsageError, type CliCommand } from './command';
import { BASE_CHECKPOINT } from '../../shared/experiments/plan';

/** The episodes file `sftrl eval` writes for one checkpoint, split and evaluation seed (in `<run>/episodes/`). */
export function manualEvalFile(checkpoint: string, split: 'id' | 'ood', seed: number, asVariant?: string): string {
  return `manual-${checkpoint}${asVariant ? `-as-${asVariant}` : ''}-${split}-seed${seed}.jsonl`;
}

/** The episodes file of a blind evaluation (image zeroed): named apart, so `sftrl compare` never pairs it with a seeing one. */
export function blindEvalFile(checkpoint: string, split: 'id' | 'ood', seed: number, asVariant?: string): string {
  return `blind-${checkpoint}${asVariant ? `-as-${asVariant}` : ''}-${split}-seed${seed}.jsonl`;
}

/** Whether a file name is one `manualEvalFile` gives for this split. */
export function isManualEvalFile(name: string, split: 'id' | 'ood'): boolean {
  return new RegExp(`^manual-.+-${split}-seed-?\\d+\\.jsonl$`).test(name);
}

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'evaluate a run checkpoint in and out of distribution; episodes are written to the run folder',
  usage: `sftrl eval --run DIR [--checkpoint NAME] [--episodes N] [--limit V] [--seed S] [--variant rule|visual] [--blind] [--json]

  --run DIR         the run folder
  --checkpoint NAME a checkpoint of the run (default: its latest, e.g. "final")
  --episodes N      episodes (hands, routes) per split (default: the run's eval config)
  --limit V         attempts per episode (default: the run's eval config)
  --seed S          seed of the evaluation set (default: the run's; a new seed gives a fresh set)
  --pass-at-k K     also sample K single attempts per episode at temperature 1 and report pass@1, 2, 4 … K
  --no-reference    skip KL to the branch's init (read by default from the parent run beside this one)
  --variant V       evaluate under the other variant's ID and OOD sets (rule or visual), as the paper reads one
                    GP-VL or V-IRL-VL training on both (refused unless both variants train on the same data);
                    the episodes go to episodes/manual-<checkpoint>-as-<V>-<split>-seed<S>.jsonl
  --blind           vision-language runs: the blind ablation, every image zeroed (black); the episodes go to
                    episodes/blind-<checkpoint>-<split>-seed<S>.jsonl and --json says "blind": true
  --backend NAME    TensorFlow.js backend preference (default: the setting)`,
  async run(args, io) {
    const { flags } = parseFlags(args, { run: 'string', checkpoint: 'string', episodes: 'number', limit: 'number', seed: 'number', json: 'boolean', backend: 'string', 'pass-at-k': 'number', 'no-reference': 'boolean', blind: 'boolean', variant: 'string' });
    if (!flags.run) throw new UsageError('--run DIR is required');
    const dir = path.resolve(String(flags.run));
    const manifest = readRunManifest(dir);
    if (!manifest) throw new UsageError(`${dir} is not a readable run folder (run.json missing or invalid)`);
    const found = experimentOfRun(manifest.config);
    if (!found) throw new UsageError(`${dir}/run.json holds no experiment config this version can evaluate`);
    const base = found.config;
    // Without --checkpoint: the newest one that verifies (a lost latest.json or a damaged newest one falls back).
    const newest = flags.checkpoint ? null : newestVerifiedCheckpoint(dir);
    const name = flags.checkpoint ? String(flags.checkpoint) : newest?.name;
    if (!name) throw new UsageError(`${dir} has no checkpoint yet`);
    if (!listCheckpoints(dir).includes(name)) throw new UsageError(`no checkpoint "${name}" in ${dir} (have: ${listCheckpoints(dir).join(', ') || 'none'})`);
    for (const why of newest?.skipped ?? []) io.err(`skipped a damaged checkpoint: ${why}`);
    const n = flags.episodes as number | undefined;
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 100_000)) throw new UsageError('--episodes must be an integer from 1 to 100000');
    const limit = flags.limit as number | undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 10)) throw new UsageError('--limit must be an integer from 1 to 10');
    const wanted = flags.variant as string | undefined;
    if (wanted !== undefined && wanted !== 'rule' && wanted !== 'visual') throw new UsageError(`--variant must be rule or visual, got "${wanted}"`);
    // Only a variant other than the run's own changes anything (and names the files apart).
    const asVariant = wanted !== undefined && wanted !== base.variant ? (wanted as typeof base.variant) : undefined;
    const config = {
      ...base,
      ...(asVariant ? { variant: asVariant } : {}),
      eval: {
        ...base.eval,
        ...(n ? { idEpisodes: n, oodEpisodes: n } : {}),
        ...(limit ? { verificationLimit: limit } : {}),
        ...(flags.seed !== undefined ? { seed: Math.trunc(flags.seed as number) } : {}),
      },
    };
    const settings = openSettingsStore().get();
    const backend = await ensureBackend(((flags.backend as string) ?? settings.backend) as 'auto', undefined, { wasmThreads: settings.wasmThreads });
    // A variant the run's task cannot take (e.g. visual for a language-only run) is the user's flag, named as such.
    const seeing = await loadTask(config).catch((e: Error) => {
      throw asVariant ? new UsageError(`--variant ${asVariant}: ${e.message}`) : e;
    });
    if (asVariant) {
      const why = trainingDifference(await loadTask(base), seeing);
      if (why) throw new UsageError(`--variant ${asVariant}: ${manifest.id} trained as the ${base.variant} variant, and the ${asVariant} variant does not train on the same data: ${why}`);
    }
    const blind = flags.blind === true;
    if (blind && !seeing.imageSize) throw new UsageError(`--blind zeroes the image a vision-language policy reads; ${manifest.id} is a ${config.modality} run`);
    const task = blind ? blindTask(seeing) : seeing;
    const stored = newest?.stored ?? readCheckpoint(dir, name);
    const { model } = loadTaskCheckpoint(stored, seeing, `${manifest.id}/${name}`);
    const passK = flags['pass-at-k'] as number | undefined;
    if (passK !== undefined && (!Number.isInteger(passK) || passK < 1 || passK > 256)) throw new UsageError('--pass-at-k must be an integer from 1 to 256');
    // A branch's starting checkpoint (its parent run's final one, or for rl-no-sft the base the
    // parent kept, beside it in the data directory) is the reference of kl_init.
    const parent = typeof manifest.config?.parent === 'string' ? path.join(path.dirname(dir), manifest.config.parent) : null;
    const start = manifest.config?.parentCheckpoint === BASE_CHECKPOINT ? BASE_CHECKPOINT : 'final';
    let reference: ReturnType<typeof loadTaskCheckpoint>['model'] | undefined;
    if (parent && !flags['no-reference'] && listCheckpoints(parent).includes(start)) reference = loadTaskCheckpoint(readCheckpoint(parent, start), seeing, `${path.basename(parent)}/${start}`).model;
    const startName = start === 'final' ? 'init' : 'its start (the base)';
    const out: Record<string, number> = {};
    try {
      for (const split of ['id', 'ood'] as const) {
        const res = evaluate(model, task, config.eval, split, { kind: 'checkpoint', name: `${manifest.id}@${name}${asVariant ? ` as ${asVariant}` : ''}${blind ? ' (blind)' : ''}`, runId: manifest.id }, reference ? { reference } : {});
        if (passK) Object.assign(res.metrics, evaluatePassAtK(model, task, config.eval, split, res.episodes.length, passK));
        Object.assign(out, res.metrics);
        const file = path.join(dir, 'episodes', (blind ? blindEvalFile : manualEvalFile)(name, split, config.eval.seed, asVariant));
        fs.mkdirSync(path.dirname(file), { recursive: true }); // a shipped base has no episodes folder
        writeFileAtomic(file, res.episodes.map((e) => JSON.stringify(e)).join('\n') + '\n');
        const m = (k: string) => (100 * (res.metrics[`eval/${split}/${k}`] ?? 0)).toFixed(1);
        const perStep = res.metrics[`eval/${split}/per_step_accuracy`] !== undefined ? `, per-step accuracy ${m('per_step_accuracy')}%` : '';
        const kl = res.metrics[`eval/${split}/kl_init`] !== undefined ? `, KL to ${startName} ${(res.metrics[`eval/${split}/kl_init`] as number).toFixed(4)} nats/token` : '';
        const pk = passK ? `, pass@k (T=1): ${Object.entries(res.metrics).filter(([k]) => k.startsWith(`eval/${split}/pass@`)).map(([k, v]) => `${k.split('/').pop()} ${(100 * v).toFixed(1)}%`).join(' ')}` : '';
        // GP-VL: the paper's recognition accuracy, and the probe of the same hands in red suits.
        const recognition = res.metrics[`eval/${split}/recognition`] !== undefined ? `, recognition ${m('recognition')}%` : '';
        const red = res.metrics[`eval/${split}/red/recognition`] !== undefined ? `, in red: recognition ${m('red/recognition')}% success ${m('red/success')}%` : '';
        // V-IRL: first tries by kind of point (turns are readable from the text; stops need the destination seen).
        const kinds = res.metrics[`eval/${split}/stop_accuracy`] !== undefined ? `, first tries: turns ${m('turn_accuracy')}% forwards ${m('forward_accuracy')}% stops ${m('stop_accuracy')}%` : '';
        if (!flags.json) io.out(`${asVariant ? `${asVariant.toUpperCase()} VARIANT ` : ''}${blind ? 'BLIND (image zeroed) ' : ''}${split.toUpperCase()}: success within ${config.eval.verificationLimit} attempts ${m('success')}%, first attempt ${m('success_first')}%${perStep}${kinds}${recognition}${red}${kl}${pk} (${res.episodes.length} episodes) → ${path.relative(process.cwd(), file)}`);
        // V-IRL-VL visual: each OOD city style, and the 18-route mini benchmark.
        if (!flags.json) {
          for (const [k, v] of Object.entries(res.metrics)) {
            const st = new RegExp(`^eval/${split}/style/([^/]+)/success$`).exec(k);
            if (st) io.out(`  ${st[1]}: route success ${(100 * v).toFixed(1)}%, per-step accuracy ${m(`style/${st[1]}/per_step_accuracy`)}% (${res.metrics[`eval/${split}/style/${st[1]}/episodes`]} routes)`);
          }
          if (res.metrics[`eval/${split}/mini/success`] !== undefined) io.out(`  mini benchmark: route success ${m('mini/success')}% (${res.metrics[`eval/${split}/mini/episodes`]} routes), per-step accuracy ${m('mini/per_step_accuracy')}%`);
        }
      }
    } finally {
      disposeModel(model);
      if (reference) disposeModel(reference);
    }
    if (flags.json) io.out(JSON.stringify({ run: manifest.id, checkpoint: name, backend: backend.name, variant: config.variant, blind, eval: config.eval, metrics: out }, null, 2));
    return 0;
  },
};
