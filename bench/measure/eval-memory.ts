/**
 * Peak memory of one evaluation (rollout, then the policy diagnostics pass) of a checkpoint at
 * the gp-verification preset's limit of 10 attempts: the measurement behind pass-size.ts.
 *
 *   node bin/run-ts.mjs bench/measure/eval-memory.ts RUN_DIR [CHECKPOINT=final] [EPISODES=400]
 *   PROBE_BACKEND=cpu … (default wasm)
 *
 * Measured on a gp-verification base (step 700): 40 hands took the wasm heap to 648 MB; 400
 * hands aborted it ("memory access out of bounds") until a prefill was cut to row·length² cells,
 * after which 400 hands peak at 2.2 GB.
 */
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../../electron/ml/backend';
import { readCheckpoint } from '../../electron/runs/checkpoints';
import { loadTaskCheckpoint } from '../../electron/ml/engine/task-checkpoint';
import { loadTask } from '../../electron/ml/tasks';
import { evaluate } from '../../electron/ml/engine/eval';
import { GP_VERIFICATION } from '../../shared/experiments/presets';
import { rollout } from '../../electron/ml/engine/rollout';
import { policyDiagnostics } from '../../electron/ml/engine/diagnostics';

const mem = (what: string) => {
  const b = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  console.log(what, 'rss MB', Math.round(process.memoryUsage().rss / 1e6), 'wasm heap MB', b.wasm ? Math.round(b.wasm.HEAPU8.length / 1e6) : '-', 'tensors', tf.memory().numTensors);
};
await ensureBackend((process.env.PROBE_BACKEND ?? 'wasm') as never);
const task = await loadTask(GP_VERIFICATION);
const [dir, name = 'final', episodes = '400'] = process.argv.slice(2);
if (!dir) throw new Error('usage: eval-memory.ts RUN_DIR [CHECKPOINT] [EPISODES]');
const { model } = loadTaskCheckpoint(readCheckpoint(dir, name), task as never, name);
mem('loaded');
const specs = task.evalEpisodes(GP_VERIFICATION.eval, 'id', Number(episodes));
const ro = rollout(model, task as never, { episodes: specs, verificationLimit: 10, temperature: 0, actor: { kind: 'checkpoint', name: 'x' } } as never);
mem('rollout');
console.log('attempts', ro.episodes.reduce((s: number, e: { record: { steps: unknown[] } }) => s + e.record.steps.length, 0));
policyDiagnostics(model, ro.episodes, task.codec.tokenizer.pad);
mem('diagnostics');
