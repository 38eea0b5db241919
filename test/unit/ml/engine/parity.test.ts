/**
 * Engine parity: the task-neutral engine trains GeneralPoints exactly as the GeneralPoints-only
 * trainer it replaced did (test/fixtures/engine-parity, produced by that trainer): same data
 * streams, same branch semantics, same metrics at every step, on the deterministic cpu backend.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { planExperiment } from '../../../../shared/experiments/plan';
import { GP_RULE, RECIPE_V1_RL } from '../../../../shared/experiments/presets';
import { runOne } from '../../../../electron/ml/engine/runner';
import { createGpTask } from '../../../../electron/ml/tasks/generalpoints/task';
import { readMetrics } from '../../../../electron/runs/store';
import { tempDir } from '../../../helpers/tmp';
import { useCpu } from '../tiny';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/engine-parity');

beforeAll(useCpu);

function parityConfig() {
  const c = structuredClone(GP_RULE);
  c.seed = 3;
  c.model = { width: 16, layers: 1, heads: 2, context: 80, ffnMult: 2 };
  c.base = { ...c.base, steps: 3, multiTurnSteps: 2, batch: 4 };
  c.initSft = { ...c.initSft, steps: 2, batch: 4 };
  c.sft = { ...c.sft, steps: 3, batch: 4 };
  // The recipe the old trainer had (the preset's RL has moved on since).
  c.rl = { ...RECIPE_V1_RL, steps: 3, promptsPerStep: 2, groupSize: 3, klBeta: 0.05 };
  c.eval = { ...c.eval, everySteps: 2, idEpisodes: 4, oodEpisodes: 4 };
  c.branches = ['sft', 'rl', 'sft-diverse', 'rl-single-turn'];
  c.checkpointEvery = 100;
  return c;
}

const wallClock = (k: string) => k.startsWith('perf/') || k.endsWith('episodes_per_s');
/** Diagnostics logged since the old trainer (issue #12: entropy, distinct answers, KL to the init, dead groups; Fig. 10: success within k attempts); they describe the run and change none of it. */
const addedSince = (k: string) =>
  /^eval\/(id|ood)\/(distinct_ratio|entropy|kl_init|success_within_\d+)$/.test(k) || /^rl\/(dead_groups|groups_used|sample_rounds)$/.test(k);

describe('engine parity with the GeneralPoints trainer it replaced', () => {
  it('reproduces every metric of every run of a tiny experiment with all four branches', async () => {
    const tmp = tempDir();
    const dir = tmp.dir;
    const config = parityConfig();
    const task = createGpTask();
    for (const plan of planExperiment(config, 'parity')) {
      await runOne(dir, 'parity', plan, config, task, { progress: () => {}, log: () => {}, cancelled: () => false, versions: {} });
    }
    for (const method of ['init', 'sft', 'rl', 'sft-diverse', 'rl-single-turn']) {
      const want = fs.readFileSync(path.join(FIXTURE, `${method}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const text = fs.readFileSync(path.join(dir, `parity-${method}`, 'metrics.jsonl'), 'utf8');
      const got = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !wallClock(k) && !addedSince(k))));
      expect(got.length, method).toBe(want.length);
      // Bit for bit: the cpu backend is deterministic, and the same data and updates give the same floats.
      got.forEach((g, i) => expect(g, `${method} line ${i + 1}`).toEqual(want[i]));
      expect(readMetrics(path.join(dir, `parity-${method}`)).records.length).toBe(want.length);
    }
    tmp.cleanup();
  }, 180_000);
});
