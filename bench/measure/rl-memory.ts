/**
 * Peak memory of one RL step (rollout, then the update) of a run's checkpoint under the run's own
 * RL config: the measurement behind the RL update's micro-batch limits.
 *
 *   node bin/run-ts.mjs bench/measure/rl-memory.ts RUN_DIR [CHECKPOINT=final] [MICRO_ROWS]
 *   PROBE_BACKEND=cpu … (default wasm)
 *
 * Measured on the V-IRL-VL init of virl-visual seed 0 (one step: 543 attempts): micro-batches of
 * 32 rows peaked at 745 MB of wasm heap, 128 rows at 2651 MB, 256 rows aborted it; V-IRL-L's base
 * (185 attempts) at 128 rows peaked at 1564 MB.
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { ensureBackend } from '../../electron/ml/backend';
import { readCheckpoint } from '../../electron/runs/checkpoints';
import { readRunManifest } from '../../electron/runs/store';
import { loadTaskCheckpoint } from '../../electron/ml/engine/task-checkpoint';
import { loadTask } from '../../electron/ml/tasks';
import { rollout } from '../../electron/ml/engine/rollout';
import { rlUpdate } from '../../electron/ml/engine/rl';
import { createAdamW, RECIPE_ADAMW } from '../../electron/ml/model/optimizer';
import { experimentOfRun } from '../../shared/experiments/plan';
import { createRng } from '../../shared/util/rng';

const mem = (what: string) => {
  const b = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  console.log(what, 'rss MB', Math.round(process.memoryUsage().rss / 1e6), 'wasm heap MB', b.wasm ? Math.round(b.wasm.HEAPU8.length / 1e6) : '-', 'tensors', tf.memory().numTensors, 'tensor MB', Math.round(tf.memory().numBytes / 1e6));
};
const [dir, name = 'final', micro] = process.argv.slice(2);
if (!dir) throw new Error('usage: rl-memory.ts RUN_DIR [CHECKPOINT] [MICRO_ROWS]');
await ensureBackend((process.env.PROBE_BACKEND ?? 'wasm') as never);
const manifest = readRunManifest(path.resolve(dir));
const config = manifest ? experimentOfRun(manifest.config)?.config : undefined;
if (!config) throw new Error(`${dir}: no experiment config`);
const task = await loadTask(config);
const { model } = loadTaskCheckpoint(readCheckpoint(dir, name), task as never, name);
const optimizer = createAdamW(model, RECIPE_ADAMW);
mem('loaded');
const rl = config.rl;
const rng = createRng(7);
const specs = task.trainingEpisodes(rng, rl.promptsPerStep).flatMap((s) => Array.from({ length: rl.groupSize }, () => s));
const t0 = performance.now();
const ro = rollout(model, task as never, { episodes: specs, verificationLimit: rl.verificationLimit, temperature: rl.temperature, rng, actor: { kind: 'checkpoint', name: 'x' } } as never);
mem(`rollout (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
console.log('attempts', ro.episodes.reduce((s: number, e: { record: { steps: unknown[] } }) => s + e.record.steps.length, 0));
const t1 = performance.now();
rlUpdate(model, optimizer, task as never, ro.episodes as never, rl, { lr: 1e-5, maxGradNorm: 1, pad: task.codec.tokenizer.pad, ...(micro ? { maxMicroRows: Number(micro) } : {}) });
mem(`update (${((performance.now() - t1) / 1000).toFixed(1)} s)`);
