/**
 * Checkpoints as plain data: a JSON manifest plus one Float32Array per tensor (weights and
 * AdamW moments), and a packed form (JSON string + one byte buffer) for writing to disk.
 * Restoring gives bit-identical parameters and optimizer state, so training resumes exactly.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from './config';
import { type AdamWConfig, type AdamWState, createAdamW } from './optimizer';
import { createModel, type PolicyModel } from './params';

export const CHECKPOINT_FORMAT = 'sftrl-policy-v1';

export interface TensorEntry {
  /** `param/<name>`, `adam.m/<name>` or `adam.v/<name>`. */
  name: string;
  shape: number[];
  /** Offset in float32 elements within the packed buffer. */
  offset: number;
}

/** What a checkpoint was trained for: its task and the exact vocabulary its token ids mean. */
export interface CheckpointMeta {
  /** The experiment's task id (`generalpoints`, `virl`). */
  task: string;
  /** The tokenizer spec (tokenizer.ts `toJSON`). */
  vocabulary: unknown;
}

export interface CheckpointManifest extends Partial<CheckpointMeta> {
  format: typeof CHECKPOINT_FORMAT;
  model: ModelConfig;
  optimizer?: { config: AdamWConfig; step: number };
  tensors: TensorEntry[];
  /** Caller's JSON state (RNG state, data cursor, stage step...). */
  extra?: unknown;
}

export interface Checkpoint {
  manifest: CheckpointManifest;
  tensors: Record<string, Float32Array>;
}

/** Snapshot of the model (and optimizer) as plain arrays; copies, so training may continue. */
export function saveCheckpoint(model: PolicyModel, opt?: AdamWState, extra?: unknown, meta?: CheckpointMeta): Checkpoint {
  const tensors: Record<string, Float32Array> = {};
  const entries: TensorEntry[] = [];
  let offset = 0;
  const add = (name: string, t: tf.Tensor) => {
    tensors[name] = Float32Array.from(t.dataSync() as Float32Array);
    entries.push({ name, shape: t.shape.slice(), offset });
    offset += t.size;
  };
  for (const n of model.names) add(`param/${n}`, model.params[n] as tf.Variable);
  if (opt) {
    for (const n of model.names) add(`adam.m/${n}`, opt.m[n] as tf.Variable);
    for (const n of model.names) add(`adam.v/${n}`, opt.v[n] as tf.Variable);
  }
  const manifest: CheckpointManifest = { format: CHECKPOINT_FORMAT, model: structuredClone(model.config), tensors: entries };
  if (meta) Object.assign(manifest, { task: meta.task, vocabulary: structuredClone(meta.vocabulary) });
  if (opt) manifest.optimizer = { config: { ...opt.config }, step: opt.step };
  if (extra !== undefined) manifest.extra = structuredClone(extra);
  return { manifest, tensors };
}

function assignFrom(ckpt: Checkpoint, name: string, target: tf.Variable): void {
  const data = ckpt.tensors[name];
  const entry = ckpt.manifest.tensors.find((e) => e.name === name);
  if (!data || !entry) throw new Error(`checkpoint has no tensor "${name}"`);
  if (entry.shape.join('x') !== target.shape.join('x')) {
    throw new Error(`checkpoint tensor "${name}" has shape [${entry.shape}], the model expects [${target.shape}]`);
  }
  tf.tidy(() => target.assign(tf.tensor(data, target.shape, 'float32')));
}

/** Builds a model (and its optimizer, if saved) from a checkpoint. */
export function loadCheckpoint(ckpt: Checkpoint): { model: PolicyModel; optimizer?: AdamWState } {
  if (ckpt.manifest.format !== CHECKPOINT_FORMAT) {
    throw new Error(`unknown checkpoint format "${String(ckpt.manifest.format)}" (expected ${CHECKPOINT_FORMAT})`);
  }
  const model = createModel(ckpt.manifest.model);
  for (const n of model.names) assignFrom(ckpt, `param/${n}`, model.params[n] as tf.Variable);
  const o = ckpt.manifest.optimizer;
  if (!o) return { model };
  const optimizer = createAdamW(model, o.config);
  for (const n of model.names) {
    assignFrom(ckpt, `adam.m/${n}`, optimizer.m[n] as tf.Variable);
    assignFrom(ckpt, `adam.v/${n}`, optimizer.v[n] as tf.Variable);
  }
  optimizer.step = o.step;
  return { model, optimizer };
}

/** One JSON string and one little-endian float32 buffer (tensors at their manifest offsets). */
export function packCheckpoint(ckpt: Checkpoint): { json: string; data: Uint8Array } {
  const total = ckpt.manifest.tensors.reduce((s, e) => s + e.shape.reduce((a, b) => a * b, 1), 0);
  const all = new Float32Array(total);
  for (const e of ckpt.manifest.tensors) all.set(ckpt.tensors[e.name] as Float32Array, e.offset);
  return { json: JSON.stringify(ckpt.manifest), data: new Uint8Array(all.buffer) };
}

export function unpackCheckpoint(json: string, data: Uint8Array): Checkpoint {
  const manifest = JSON.parse(json) as CheckpointManifest;
  // Copy into an aligned buffer: a Uint8Array read from disk may start at any byte offset.
  const all = new Float32Array(new Uint8Array(data).buffer);
  const tensors: Record<string, Float32Array> = {};
  for (const e of manifest.tensors) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (e.offset + size > all.length) throw new Error(`checkpoint data is truncated at tensor "${e.name}"`);
    tensors[e.name] = all.slice(e.offset, e.offset + size);
  }
  return { manifest, tensors };
}
