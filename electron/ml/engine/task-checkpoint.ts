/**
 * Checkpoints carry the task they were trained for and the vocabulary their token ids mean, and
 * are refused by name when loaded for another task or another vocabulary: a GeneralPoints model
 * read as a V-IRL policy (or over a changed word list) would run, and silently mean nothing.
 * Checkpoints written before these fields existed load on their model shape alone.
 */
import type { StoredCheckpoint } from '../../runs/checkpoints';
import { loadCheckpoint, unpackCheckpoint, type AdamWState, type CheckpointMeta, type PolicyModel } from '../model';
import type { TrainingTask } from './task';

export type { StoredCheckpoint };

export function taskCheckpointMeta(task: Pick<TrainingTask, 'id' | 'codec'>): CheckpointMeta {
  return { task: task.id, vocabulary: task.codec.tokenizer.toJSON() };
}

/** Why a checkpoint cannot serve this task, or null when it can. */
export function checkpointMismatch(meta: Partial<CheckpointMeta>, task: Pick<TrainingTask, 'id' | 'codec'>, name: string): string | null {
  if (meta.task !== undefined && meta.task !== task.id) return `checkpoint ${name} was trained on the task "${meta.task}", not "${task.id}"`;
  if (meta.vocabulary !== undefined) {
    const want = task.codec.tokenizer.toJSON();
    const have = meta.vocabulary as { version?: unknown; words?: unknown };
    const words = Array.isArray(have.words) ? (have.words as unknown[]) : null;
    if (have.version !== want.version || !words) return `checkpoint ${name} has a vocabulary this version cannot read`;
    const at = want.words.findIndex((w, i) => words[i] !== w);
    if (at >= 0 || words.length !== want.words.length) {
      const i = at >= 0 ? at : Math.min(words.length, want.words.length);
      return `checkpoint ${name} was trained with another vocabulary (${words.length} words; word ${i + 1} is ${JSON.stringify(words[i] ?? null)} there, ${JSON.stringify(want.words[i] ?? null)} here)`;
    }
  }
  return null;
}

/** Unpacks and loads a stored checkpoint for `task`, refusing one of another task or vocabulary. */
export function loadTaskCheckpoint(stored: StoredCheckpoint, task: Pick<TrainingTask, 'id' | 'codec' | 'imageSize'>, name: string): { model: PolicyModel; optimizer?: AdamWState; extra: unknown } {
  const ckpt = unpackCheckpoint(stored.json, stored.data);
  const problem = checkpointMismatch(ckpt.manifest, task, name);
  if (problem) throw new Error(problem);
  const img = ckpt.manifest.model.image;
  const want = task.imageSize;
  if (want && !img) throw new Error(`checkpoint ${name} is a language-only model; this task shows ${want.width}×${want.height} images`);
  if (img && !want) throw new Error(`checkpoint ${name} reads ${img.width}×${img.height} images; this task shows none (was it trained on the vision-language variant?)`);
  if (img && want && (img.width !== want.width || img.height !== want.height)) throw new Error(`checkpoint ${name} reads ${img.width}×${img.height} images; this task shows ${want.width}×${want.height}`);
  const vocab = task.codec.tokenizer.vocabSize;
  if (ckpt.manifest.model.vocabSize !== vocab) throw new Error(`checkpoint ${name} has ${ckpt.manifest.model.vocabSize} token ids; the ${task.id} tokenizer has ${vocab}`);
  const { model, optimizer } = loadCheckpoint(ckpt);
  return { model, ...(optimizer ? { optimizer } : {}), extra: ckpt.manifest.extra };
}
