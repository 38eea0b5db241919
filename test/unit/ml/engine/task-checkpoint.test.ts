import { beforeAll, describe, expect, it } from 'vitest';
import { loadTaskCheckpoint, taskCheckpointMeta } from '../../../../electron/ml/engine/task-checkpoint';
import { disposeModel, packCheckpoint, saveCheckpoint } from '../../../../electron/ml/model';
import { createGpCodec } from '../../../../electron/ml/tasks/generalpoints/codec';
import { createGpTask } from '../../../../electron/ml/tasks/generalpoints/task';
import { tokenizerFromSpec } from '../../../../electron/ml/tokenizer';
import { useCpu } from '../tiny';
import { task, tinyModel } from './fixtures';

beforeAll(useCpu);

describe('checkpoints carry their task and vocabulary', () => {
  const { model, optimizer } = tinyModel();
  const stored = packCheckpoint(saveCheckpoint(model, optimizer, { step: 1 }, taskCheckpointMeta(task)));

  it('round-trips for the task that wrote it, with its optimizer and extra state', () => {
    expect(JSON.parse(stored.json)).toMatchObject({ task: 'generalpoints', vocabulary: task.codec.tokenizer.toJSON() });
    const loaded = loadTaskCheckpoint(stored, task, 'r/final');
    expect(loaded.extra).toEqual({ step: 1 });
    expect(loaded.optimizer?.step).toBe(optimizer.step);
    disposeModel(loaded.model);
  });

  it('refuses a checkpoint of another task by name', () => {
    const virl = { ...task, id: 'virl' as const };
    expect(() => loadTaskCheckpoint(stored, virl, 'gp-run/final')).toThrow('checkpoint gp-run/final was trained on the task "generalpoints", not "virl"');
  });

  it('refuses a checkpoint over another vocabulary, naming the first word that differs', () => {
    const words = task.codec.tokenizer.toJSON().words.slice();
    words[5] = 'zzz';
    const other = packCheckpoint(saveCheckpoint(model, optimizer, {}, { task: 'generalpoints', vocabulary: { version: 1, words } }));
    expect(() => loadTaskCheckpoint(other, task, 'x/step-2')).toThrow(/checkpoint x\/step-2 was trained with another vocabulary \(\d+ words; word 6 is "zzz" there, ".*" here\)/);
  });

  it('loads an older checkpoint without these fields on its shape alone, and refuses a vocabulary of another size', () => {
    const legacy = packCheckpoint(saveCheckpoint(model, optimizer));
    disposeModel(loadTaskCheckpoint(legacy, task, 'old/final').model);
    const bigger = createGpTask(createGpCodec(tokenizerFromSpec({ version: 1, words: [...task.codec.tokenizer.toJSON().words, 'extra-word'] })));
    expect(() => loadTaskCheckpoint(legacy, bigger, 'old/final')).toThrow(/token ids; the generalpoints tokenizer has/);
  });
});
