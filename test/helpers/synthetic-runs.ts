/**
 * SYNTHETIC run folders for the dashboard's tests and benchmark: a seeded stochastic process
 * written in the exact run-store format the engine writes (electron/ml/engine/runner.ts):
 * an `<exp>-init` run and branch runs `<exp>-sft`, `<exp>-rl` starting at the init's compute,
 * with train lines (`seq, stage, phase, step, lr, compute/flops, …`) and eval lines. The numbers
 * are not results of training; they only follow the paper's qualitative shape (RL's OOD success
 * rises, SFT's falls) so the figures have something recognisable to draw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { acquireRunLock } from '../../electron/runs/lock';
import { createRun, updateManifest } from '../../electron/runs/store';
import { createRng } from '../../shared/util/rng';

export interface SyntheticOptions {
  presets?: string[];
  seeds?: number[];
  branches?: ('sft' | 'rl')[];
  /** Training steps per branch (one metrics line each). */
  steps?: number;
  /** Evaluate every this many steps. */
  evalEvery?: number;
  /** Leave the last branch of the last experiment `running` (for live-update tests). */
  lastRunning?: boolean;
}

const SETTINGS: Record<string, { task: string; variant: string; modality: string; idStart: number; oodStart: number; flops: number }> = {
  'gp-rule': { task: 'generalpoints', variant: 'rule', modality: 'language', idStart: 0.3, oodStart: 0.115, flops: 2e6 },
  'gp-visual': { task: 'generalpoints', variant: 'visual', modality: 'vision-language', idStart: 0.2, oodStart: 0.236, flops: 8e6 },
  'virl-rule': { task: 'virl', variant: 'rule', modality: 'language', idStart: 0.7, oodStart: 0.808, flops: 1e6 },
  'virl-visual': { task: 'virl', variant: 'visual', modality: 'vision-language', idStart: 0.69, oodStart: 0.167, flops: 6e6 },
};

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/** Writes the runs; returns their ids (init runs first within each experiment). */
export function writeSyntheticRuns(dataDir: string, options: SyntheticOptions = {}): string[] {
  const { presets = ['gp-rule'], seeds = [0, 1, 2], branches = ['sft', 'rl'], steps = 40, evalEvery = 5, lastRunning = false } = options;
  const ids: string[] = [];
  // Lines are buffered per run and written once (same bytes as appendMetrics, much faster for the
  // benchmark's 500k lines).
  const buffers = new Map<string, string[]>();
  const appendMetrics = (dir: string, rec: Record<string, number | string>) => {
    const b = buffers.get(dir) ?? [];
    b.push(JSON.stringify(rec));
    buffers.set(dir, b);
  };
  const running: string[] = [];
  const now = '2026-11-25T10:00:00.000Z';
  presets.forEach((preset, pi) => {
    const s = SETTINGS[preset] ?? SETTINGS['gp-rule']!;
    for (const seed of seeds) {
      const rng = createRng(1000 * pi + seed + 1);
      const noise = (scale: number) => (rng.next() - 0.5) * 2 * scale;
      const experiment = `synthetic-${preset}-s${seed}`;
      const base = { preset, task: s.task, variant: s.variant, modality: s.modality, seed, experiment, synthetic: true };
      const make = (method: string, parent: string | null) => {
        const id = `${experiment}-${method}`;
        const manifest = { format: 1 as const, id, name: `${preset} · ${method} · seed ${seed} (synthetic)`, createdAt: now, updatedAt: now, status: 'completed' as const, task: s.task === 'virl' ? 'VirlNav-v0' : 'GeneralPoints-v0', method, seed, config: { ...base, parent }, versions: { generator: 'test/helpers/synthetic-runs.ts' } };
        ids.push(id);
        return path.join(dataDir, path.basename(createRun(dataDir, manifest)));
      };
      // Init run: pretraining then initial SFT, evaluated once at its end.
      const initDir = make('init', null);
      let flops = 0;
      let seq = 0;
      const initSteps = Math.max(4, Math.round(steps / 4));
      for (let step = 1; step <= initSteps; step++) {
        flops += s.flops;
        appendMetrics(initDir, { seq: seq++, stage: 'init', phase: step <= initSteps / 2 ? 'base' : 'init-sft', step, lr: 1e-3, 'compute/flops': flops, 'train/loss': 2 * Math.exp(-step / initSteps) + noise(0.05) });
      }
      const id0 = clamp(s.idStart + noise(0.02));
      const ood0 = clamp(s.oodStart + noise(0.02));
      appendMetrics(initDir, { seq: seq++, stage: 'init', step: initSteps, 'compute/flops': flops, 'eval/id/success': id0, 'eval/ood/success': ood0, 'eval/id/success_first': id0 * 0.8 });
      const initFlops = flops;
      branches.forEach((method, bi) => {
        const dir = make(method, `${experiment}-init`);
        let f = initFlops;
        let q = 0;
        const rate = method === 'rl' ? 1.4 : 1; // RL also pays for generation (λ·D, PAPER §3.3)
        const oodSlope = method === 'rl' ? 0.06 + noise(0.02) : -0.08 + noise(0.02);
        const evalAt = (step: number) => {
          const t = step / steps;
          const id = clamp(id0 + (1 - id0) * 0.6 * (1 - Math.exp(-3 * t)) + noise(0.03));
          const ood = clamp(ood0 + oodSlope * Math.sqrt(t) + noise(0.02));
          appendMetrics(dir, { seq: q++, stage: method, step, 'compute/flops': f, 'eval/id/success': id, 'eval/ood/success': ood, 'eval/id/success_first': id * 0.8 });
        };
        evalAt(0);
        const last = lastRunning && pi === presets.length - 1 && seed === seeds[seeds.length - 1] && bi === branches.length - 1;
        const until = last ? Math.floor(steps / 2) : steps;
        for (let step = 1; step <= until; step++) {
          f += s.flops * rate;
          const t = step / steps;
          const rec: Record<string, number | string> = { seq: q++, stage: method, phase: method, step, lr: 1e-4, 'compute/flops': f, 'train/loss': Math.exp(-2 * t) + noise(0.08), 'perf/tokens_per_s': 900 + noise(100) };
          if (method === 'rl') Object.assign(rec, { 'rl/reward': 0.2 + 0.5 * t + noise(0.15), 'rl/approx_kl': 0.01 * (1 + noise(0.5)), 'rl/clipfrac': 0.1 + noise(0.05), 'rl/entropy': 1.5 - t + noise(0.1) });
          appendMetrics(dir, rec);
          if (step % evalEvery === 0 || step === steps) evalAt(step);
        }
        if (last) running.push(dir);
      });
    }
  });
  for (const [dir, lines] of buffers) fs.writeFileSync(path.join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  // A live writer holds the lock (this process), so readers show it running, not interrupted.
  for (const dir of running) {
    updateManifest(dir, { status: 'running' });
    acquireRunLock(dir);
  }
  return ids;
}
