/**
 * The experiment runner end to end at a tiny scale with the real GeneralPoints trainer: the run
 * graph is written to the run store, compute accumulates across runs, and a run cancelled and
 * resumed produces exactly the metrics of an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEpisodesJsonl } from '../../../../shared/api/episode';
import type { ExperimentConfig } from '../../../../shared/experiments/config';
import { planExperiment } from '../../../../shared/experiments/plan';
import { GP_RULE } from '../../../../shared/experiments/presets';
import { compareCommand } from '../../../../electron/cli/compare';
import { evalCommand } from '../../../../electron/cli/eval';
import { createGpTask } from '../../../../electron/ml/tasks/generalpoints/task';
import { runOne, type RunnerHooks } from '../../../../electron/ml/engine/runner';
import { latestCheckpoint, readCheckpoint } from '../../../../electron/runs/checkpoints';
import { unpackCheckpoint } from '../../../../electron/ml/model';
import { getRun, listRuns, readMetrics } from '../../../../electron/runs/store';
import { tempDir } from '../../../helpers/tmp';

function tinyExperiment(): ExperimentConfig {
  const c = structuredClone(GP_RULE);
  c.model = { width: 16, layers: 1, heads: 2, context: 80, ffnMult: 2 };
  c.base = { ...c.base, steps: 3, multiTurnSteps: 2, batch: 4 };
  c.initSft = { ...c.initSft, steps: 0 };
  c.sft = { ...c.sft, steps: 4, batch: 4 };
  c.rl = { ...c.rl, steps: 3, promptsPerStep: 2, groupSize: 2 };
  c.eval = { ...c.eval, everySteps: 2, idEpisodes: 3, oodEpisodes: 3 };
  c.checkpointEvery = 2;
  return c;
}

function hooks(cancelAt?: { run: string; calls: number }): RunnerHooks & { logs: string[] } {
  let calls = 0;
  const logs: string[] = [];
  return {
    logs,
    progress: () => {},
    log: (_l, m) => logs.push(m),
    cancelled: () => cancelAt !== undefined && ++calls > cancelAt.calls,
    versions: { test: '1' },
  };
}

/** Metrics without wall-clock timings, which legitimately differ between runs. */
function stableMetrics(dir: string): Record<string, number>[] {
  return readMetrics(dir).records.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('episodes_per_s'))));
}

describe('experiment runner', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('writes the run graph with evaluations, episodes, checkpoints and cumulative compute', async () => {
    const config = tinyExperiment();
    const trainer = createGpTask();
    for (const plan of planExperiment(config, 'exp')) {
      expect(await runOne(tmp.dir, 'exp', plan, config, trainer, hooks())).toBe('completed');
    }
    expect(listRuns(tmp.dir).map((r) => [r.id, r.status]).sort()).toEqual([['exp-init', 'completed'], ['exp-rl', 'completed'], ['exp-sft', 'completed']]);
    const init = readMetrics(path.join(tmp.dir, 'exp-init')).records;
    const sft = readMetrics(path.join(tmp.dir, 'exp-sft')).records;
    const initFlops = init.at(-1)?.['compute/flops'] as number;
    expect(initFlops).toBeGreaterThan(0);
    // Branches start at the init checkpoint's compute and only grow (the paper's x-axis).
    expect(sft[0]?.['compute/flops']).toBe(initFlops);
    const flops = sft.map((r) => r['compute/flops'] as number);
    expect(flops.every((f, i) => i === 0 || f >= (flops[i - 1] as number))).toBe(true);
    // Evaluated at step 0, every 2 steps and at the end, on both splits.
    expect(sft.filter((r) => r['eval/ood/success'] !== undefined).map((r) => r.step)).toEqual([0, 2, 4]);
    // Step 0 of a branch is its init's final evaluation (same checkpoint, hands and decoding; the
    // parity test shows it bit for bit equal to evaluating again), relabelled as the branch's.
    const initEval = init.find((r) => r['eval/ood/success'] !== undefined) as Record<string, number>;
    const evalKeys = Object.keys(initEval).filter((k) => k.startsWith('eval/'));
    expect(evalKeys.length).toBeGreaterThan(10);
    for (const k of evalKeys) expect(sft[0]?.[k], k).toBe(initEval[k]);
    expect(sft[0]?.['eval/ood/kl_init']).toBe(0);
    const step0 = parseEpisodesJsonl(fs.readFileSync(path.join(tmp.dir, 'exp-sft', 'episodes', 'eval-ood-step000000.jsonl'), 'utf8'));
    expect(step0.errors).toEqual([]);
    expect(step0.episodes).toHaveLength(3);
    expect(step0.episodes[0]?.actor).toMatchObject({ kind: 'checkpoint', runId: 'exp-sft', step: 0 });
    const detail = getRun(tmp.dir, 'exp-rl');
    expect(detail.episodeFiles).toContain('eval-ood-step000003.jsonl');
    const { episodes, errors } = parseEpisodesJsonl(fs.readFileSync(path.join(tmp.dir, 'exp-rl', 'episodes', 'eval-ood-step000003.jsonl'), 'utf8'));
    expect(errors).toEqual([]);
    expect(episodes).toHaveLength(3);
    expect(episodes[0]?.actor).toMatchObject({ kind: 'checkpoint', runId: 'exp-rl', step: 3 });
    expect(detail.lastMetrics['rl/approx_kl']).toBeDefined();
    expect(latestCheckpoint(path.join(tmp.dir, 'exp-rl'))).toBe('final');

    // `sftrl eval` on a checkpoint of the run: fresh hands from another seed, episodes beside the run.
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    // A shipped base (models/…) has no episodes folder: eval makes it.
    fs.rmSync(path.join(tmp.dir, 'exp-sft', 'episodes'), { recursive: true });
    const code = await evalCommand.run(['--run', path.join(tmp.dir, 'exp-sft'), '--episodes', '2', '--seed', '5', '--backend', 'cpu', '--json'], io);
    expect(code).toBe(0);
    const report = JSON.parse(out.join('\n')) as { checkpoint: string; metrics: Record<string, number> };
    expect(report.checkpoint).toBe('final');
    expect(report.metrics['eval/ood/episodes']).toBe(2);
    expect(fs.existsSync(path.join(tmp.dir, 'exp-sft', 'episodes', 'manual-final-ood-seed5.jsonl'))).toBe(true);
    await expect(evalCommand.run(['--run', path.join(tmp.dir, 'exp-sft'), '--checkpoint', 'nope'], io)).rejects.toThrow(/no checkpoint "nope".*have: final/);
    await expect(evalCommand.run(['--run', path.join(tmp.dir, 'exp-sft'), '--pass-at-k', '0'], io)).rejects.toThrow(/--pass-at-k must be an integer from 1 to 256/);

    // `sftrl compare`: the runs evaluated on the same hands, paired per hand.
    const rlDir = path.join(tmp.dir, 'exp-rl');
    const sftDir = path.join(tmp.dir, 'exp-sft');
    await expect(compareCommand.run(['--a', sftDir, '--b', rlDir], io)).rejects.toThrow(/share no ID evaluation file.*sftrl eval/);
    expect(await evalCommand.run(['--run', rlDir, '--episodes', '2', '--seed', '5', '--backend', 'cpu', '--json'], io)).toBe(0);
    out.length = 0;
    expect(await compareCommand.run(['--a', sftDir, '--b', rlDir, '--split', 'ood', '--resamples', '200', '--json'], io)).toBe(0);
    const cmp = JSON.parse(out.join('\n')) as { splits: Record<string, { hands: number; file: string; meanA: number; perRunA: number[]; mcnemar?: unknown }> };
    expect(cmp.splits.ood).toMatchObject({ hands: 2, file: 'manual-final-ood-seed5.jsonl' });
    expect(cmp.splits.ood?.perRunA).toEqual([cmp.splits.ood?.meanA]);
    expect(cmp.splits.ood?.mcnemar).toBeDefined(); // one run a side: binary scores
    // Bad input is named: a folder that is no run, a file a run lacks, runs evaluated on other hands.
    await expect(compareCommand.run(['--a', tmp.dir, '--b', rlDir], io)).rejects.toThrow(/is not a readable run folder/);
    await expect(compareCommand.run(['--a', sftDir, '--b', rlDir, '--file', 'manual-final-{split}-seed9.jsonl'], io)).rejects.toThrow(/no episodes\/manual-final-id-seed9.jsonl in .*sftrl eval/);
    expect(await evalCommand.run(['--run', rlDir, '--episodes', '3', '--seed', '6', '--backend', 'cpu', '--json'], io)).toBe(0);
    expect(await evalCommand.run(['--run', sftDir, '--episodes', '2', '--seed', '6', '--backend', 'cpu', '--json'], io)).toBe(0);
    await expect(compareCommand.run(['--a', sftDir, '--b', rlDir, '--file', 'manual-final-{split}-seed6.jsonl'], io)).rejects.toThrow(/holds other hands than the first run's \(3 vs 2\)/);
    // Each run's first and last training-time evaluation: the RL branch (ended at step 3) against
    // the init (evaluated at its step 5) on the same hands, and the RL branch against its own start.
    out.length = 0;
    const initDir = path.join(tmp.dir, 'exp-init');
    expect(await compareCommand.run(['--a', initDir, '--b', rlDir, '--file', 'last', '--split', 'ood', '--resamples', '200', '--json'], io)).toBe(0);
    const last = JSON.parse(out.join('\n')) as { splits: Record<string, { hands: number; file: string; meanA: number; meanB: number }> };
    expect(last.splits.ood).toMatchObject({ hands: 3, file: 'last evaluation: eval-ood-step000005.jsonl, eval-ood-step000003.jsonl' });
    expect(last.splits.ood?.meanB).toBe(readMetrics(rlDir).records.at(-1)?.['eval/ood/success']);
    out.length = 0;
    expect(await compareCommand.run(['--a', rlDir, '--file-a', 'first', '--b', rlDir, '--file-b', 'last', '--split', 'ood', '--resamples', '200', '--json'], io)).toBe(0);
    const own = JSON.parse(out.join('\n')) as { splits: Record<string, { file: string; meanA: number }> };
    expect(own.splits.ood?.file).toBe('A: eval-ood-step000000.jsonl; B: eval-ood-step000003.jsonl');
    expect(own.splits.ood?.meanA).toBe(readMetrics(rlDir).records[0]?.['eval/ood/success']);
    await expect(compareCommand.run(['--a', rlDir, '--b', sftDir, '--file', 'first'], io)).rejects.toThrow(/exp-sft has no training-time ID evaluation/);
  }, 180_000);

  it('resumes a cancelled run exactly where it stopped', async () => {
    const config = tinyExperiment();
    const trainer = createGpTask();
    const [initPlan, sftPlan] = planExperiment(config, 'exp');
    await runOne(tmp.dir, 'exp', initPlan!, config, trainer, hooks());
    // Reference: the SFT branch uninterrupted, in another data dir sharing the same init run.
    const other = tempDir();
    try {
      fs.cpSync(path.join(tmp.dir, 'exp-init'), path.join(other.dir, 'exp-init'), { recursive: true });
      expect(await runOne(other.dir, 'exp', sftPlan!, config, trainer, hooks())).toBe('completed');
      const h = hooks({ run: 'exp-sft', calls: 3 });
      expect(await runOne(tmp.dir, 'exp', sftPlan!, config, trainer, h)).toBe('cancelled');
      expect(listRuns(tmp.dir).find((r) => r.id === 'exp-sft')?.status).toBe('cancelled');
      // A crash leaves a half-written line behind, and may lose latest.json: resume must cope.
      fs.appendFileSync(path.join(tmp.dir, 'exp-sft', 'metrics.jsonl'), '{"seq": 99, "tr');
      fs.rmSync(path.join(tmp.dir, 'exp-sft', 'checkpoints', 'latest.json'));
      const resumed = hooks();
      expect(await runOne(tmp.dir, 'exp', sftPlan!, config, trainer, resumed)).toBe('completed');
      expect(resumed.logs.join('\n')).toMatch(/resuming at step 3/);
      expect(stableMetrics(path.join(tmp.dir, 'exp-sft'))).toEqual(stableMetrics(path.join(other.dir, 'exp-sft')));
      // Labels survive the resume byte for byte: the phase boundaries the figures draw.
      const labels = (dir: string) => fs.readFileSync(path.join(dir, 'exp-sft', 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => { const r = JSON.parse(l) as Record<string, unknown>; return `${String(r.stage)}/${String(r.phase)}`; });
      expect(labels(tmp.dir)).toEqual(labels(other.dir));
      expect(labels(tmp.dir)).toContain('sft/sft');
    } finally {
      other.cleanup();
    }
  }, 180_000);

  it('starts an experiment from a shipped base instead of pretraining', async () => {
    const config = tinyExperiment();
    const trainer = createGpTask();
    const [initPlan] = planExperiment(config, 'pre');
    await runOne(tmp.dir, 'pre', initPlan!, config, trainer, hooks());
    // Ship it: the init run folder becomes models/<name>/.
    const models = path.join(tmp.dir, 'models');
    fs.cpSync(path.join(tmp.dir, 'pre-init'), path.join(models, 'tiny-base'), { recursive: true });
    process.env.SFTRL_MODELS_DIR = models;
    try {
      const fromBase: ExperimentConfig = { ...config, base: { ...config.base, from: 'tiny-base', steps: 0, multiTurnSteps: 0 } };
      const [init] = planExperiment(fromBase, 'next');
      const h = hooks();
      expect(await runOne(tmp.dir, 'next', init!, fromBase, trainer, h)).toBe('completed');
      expect(h.logs.join('\n')).toMatch(/starting from the shipped base tiny-base/);
      // Same weights, and its compute carried over as the starting point of the curves.
      const weights = (dir: string) => {
        const stored = readCheckpoint(dir, 'final');
        const { tensors } = unpackCheckpoint(stored.json, stored.data);
        return Object.entries(tensors).filter(([k]) => k.startsWith('param/')).map(([k, v]) => `${k}:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}`).join('|');
      };
      expect(weights(path.join(tmp.dir, 'next-init')) === weights(path.join(models, 'tiny-base'))).toBe(true);
      const shippedFlops = readMetrics(path.join(models, 'tiny-base')).records.at(-1)?.['compute/flops'];
      expect(readMetrics(path.join(tmp.dir, 'next-init')).records.at(-1)?.['compute/flops']).toBe(shippedFlops);
      // A base of another shape is refused with the mismatch named.
      const wider: ExperimentConfig = { ...fromBase, model: { ...fromBase.model, width: 32 } };
      const [other] = planExperiment(wider, 'wide');
      await expect(runOne(tmp.dir, 'wide', other!, wider, trainer, hooks())).rejects.toThrow(/16-wide, 1-layer model .* match the model config to the base/);
      await expect(runOne(tmp.dir, 'none', planExperiment({ ...fromBase, base: { ...fromBase.base, from: 'nope' } }, 'none')[0]!, { ...fromBase, base: { ...fromBase.base, from: 'nope' } }, trainer, hooks())).rejects.toThrow(/no shipped base "nope"/);
    } finally {
      delete process.env.SFTRL_MODELS_DIR;
    }
  });

  it('finishes a run killed between its final checkpoint and the completed mark without a second final evaluation', async () => {
    const config = tinyExperiment();
    const trainer = createGpTask();
    const [initPlan] = planExperiment(config, 'exp');
    await runOne(tmp.dir, 'exp', initPlan!, config, trainer, hooks());
    const dir = path.join(tmp.dir, 'exp-init');
    const metrics = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8');
    // The kill: `final` is on disk, run.json still says running, and no process holds the run.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ ...manifest, status: 'running' }));
    expect(listRuns(tmp.dir)[0]?.status).toBe('interrupted');
    const h = hooks();
    expect(await runOne(tmp.dir, 'exp', initPlan!, config, trainer, h)).toBe('completed');
    expect(h.logs.join('\n')).toMatch(/resuming at step \d+ from checkpoint final/);
    expect(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')).toBe(metrics);
    expect(listRuns(tmp.dir)[0]?.status).toBe('completed');
  });

  it('refuses a second writer of a run and changes none of its files', async () => {
    const config = tinyExperiment();
    const trainer = createGpTask();
    const [initPlan] = planExperiment(config, 'exp');
    const dir = path.join(tmp.dir, 'exp-init');
    fs.mkdirSync(dir, { recursive: true });
    // Another process (here: a lock naming a live pid, this one's parent) is writing the run.
    fs.writeFileSync(path.join(dir, 'run.lock'), JSON.stringify({ pid: process.ppid, host: os.hostname(), startedAt: 'earlier', token: 'other' }));
    await expect(runOne(tmp.dir, 'exp', initPlan!, config, trainer, hooks())).rejects.toThrow(new RegExp(`is being written by process ${process.ppid} on ${os.hostname()}`));
    expect(fs.readdirSync(dir).sort()).toEqual(['checkpoints', 'episodes', 'run.json', 'run.lock']);
  });
});
