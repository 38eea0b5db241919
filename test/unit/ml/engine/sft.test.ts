import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseStep, lengthGroups, sftStep, supervisedUpdate } from '../../../../electron/ml/engine/sft';
import { stepRng } from '../../../../electron/ml/engine/seed';
import { disposeAdamW, disposeModel, loadCheckpoint, saveCheckpoint, type AdamWState, type PolicyModel } from '../../../../electron/ml/model';
import { useCpu } from '../tiny';
import { smallConfig, stable, stepInput, task, tinyModel } from './fixtures';

beforeAll(useCpu);

const input = (model: PolicyModel, optimizer: AdamWState, step: number, stageId = 'sft') => stepInput(model, optimizer, step, stageId, 7, 1e-2);

describe('SFT and base steps', () => {
  it('SFT loss decreases over a few steps and reports the step metrics', () => {
    const cfg = smallConfig().sft;
    const { model, optimizer } = tinyModel();
    const losses: number[] = [];
    let last: Record<string, number> = {};
    for (let s = 0; s < 8; s++) {
      last = sftStep(input(model, optimizer, s), cfg).metrics;
      losses.push(last['train/loss']!);
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    expect(losses.at(-1)!).toBeLessThan(Math.min(...losses.slice(0, 3)));
    expect(Object.keys(last).sort()).toEqual(
      ['perf/step_s', 'perf/tokens_per_s', 'train/answer_tokens', 'train/grad_norm', 'train/loss', 'train/lr', 'train/tokens'].sort(),
    );
    // 8 single-turn examples: prompt 14 + answer 10..17, minus the last token of each.
    expect(last['train/tokens']).toBeGreaterThanOrEqual(8 * 23);
    expect(last['train/tokens']).toBeLessThanOrEqual(8 * 30);
    expect(last['train/lr']).toBe(1e-2);
    disposeAdamW(optimizer);
    disposeModel(model);
  });

  it('same (seed, step) gives the same metrics; the step trains at the runner\'s learning rate', () => {
    const cfg = smallConfig().base;
    const run = () => {
      const { model, optimizer } = tinyModel();
      const out = [0, 1].map((s) => stable(baseStep(input(model, optimizer, s, 'base-mt'), cfg, { multiTurn: true, maxAttempts: 3 }).metrics));
      disposeAdamW(optimizer);
      disposeModel(model);
      return out;
    };
    expect(run()).toEqual(run());
    const { model, optimizer } = tinyModel();
    expect(baseStep({ ...input(model, optimizer, 0, 'base'), lr: 1.25e-4 }, cfg, { multiTurn: false, maxAttempts: 1 }).metrics['train/lr']).toBe(1.25e-4);
    disposeAdamW(optimizer);
    disposeModel(model);
  });

  it('resuming from a checkpoint at step k gives the same next step as an uninterrupted run', () => {
    const cfg = smallConfig().sft;
    const { model, optimizer } = tinyModel();
    for (let s = 0; s < 3; s++) sftStep(input(model, optimizer, s), cfg);
    const ckpt = saveCheckpoint(model, optimizer);
    const next = stable(sftStep(input(model, optimizer, 3), cfg).metrics);
    const restored = loadCheckpoint(ckpt);
    const resumed = stable(sftStep(input(restored.model, restored.optimizer!, 3), cfg).metrics);
    expect(resumed).toEqual(next);
    for (const m of [model, restored.model]) disposeModel(m);
    disposeAdamW(optimizer);
    disposeAdamW(restored.optimizer!);
  });

  it('does not leak tensors across steps', () => {
    const cfg = smallConfig().sft;
    const { model, optimizer } = tinyModel();
    sftStep(input(model, optimizer, 0), cfg);
    const before = tf.memory().numTensors;
    for (let s = 1; s < 4; s++) sftStep(input(model, optimizer, s), cfg);
    expect(tf.memory().numTensors).toBe(before);
    disposeAdamW(optimizer);
    disposeModel(model);
  });

  it('a batch too long for one tape (rows × length² above the limit) is split into micro-batches: the same update', () => {
    // Multi-turn examples of uneven length, as V = 10's base batches are.
    const examples = task.curriculumExamples(stepRng(7, 'base-mt', 0), 9, { multiTurn: true, maxAttempts: 3 });
    const run = (maxCells?: number) => {
      const { model, optimizer } = tinyModel();
      const before = tf.memory().numTensors;
      const metrics = supervisedUpdate(input(model, optimizer, 0), examples, maxCells === undefined ? {} : { maxCells }).metrics;
      expect(tf.memory().numTensors).toBe(before);
      const weights = Float32Array.from(model.params[model.names[0]!]!.dataSync());
      disposeAdamW(optimizer);
      disposeModel(model);
      return { metrics, weights };
    };
    const one = run();
    const split = run(1); // one row per micro-batch
    expect(split.metrics['train/loss']).toBeCloseTo(one.metrics['train/loss']!, 5);
    expect(split.metrics['train/grad_norm']).toBeCloseTo(one.metrics['train/grad_norm']!, 4);
    expect(split.metrics['train/tokens']).toBe(one.metrics['train/tokens']);
    expect(Math.max(...split.weights.map((x, i) => Math.abs(x - one.weights[i]!)))).toBeLessThan(1e-5);
  });

  it('short rows beside long ones train in a pass of their own, not padded to the longest: the same update', () => {
    const long = task.curriculumExamples(stepRng(7, 'base-mt', 1), 4, { multiTurn: true, maxAttempts: 3 });
    const short = long.map((e) => ({ prompt: e.prompt.slice(0, 2), answer: e.answer.slice(0, 2) }));
    const examples = [long[0]!, short[0]!, short[1]!, long[1]!, short[2]!, short[3]!, long[2]!, long[3]!];
    const groups = lengthGroups(examples);
    expect(groups).toHaveLength(2);
    expect(new Set(groups[0])).toEqual(new Set(short));
    expect(new Set(groups[1])).toEqual(new Set(long));
    // Rows of similar lengths stay one group, as they are.
    expect(lengthGroups(long)).toEqual([long]);
    const run = (groupByLength: boolean) => {
      const { model, optimizer } = tinyModel();
      const before = tf.memory().numTensors;
      const metrics = supervisedUpdate(input(model, optimizer, 0), examples, { groupByLength }).metrics;
      expect(tf.memory().numTensors).toBe(before);
      const weights = Float32Array.from(model.params[model.names[0]!]!.dataSync());
      disposeAdamW(optimizer);
      disposeModel(model);
      return { metrics, weights };
    };
    const one = run(false);
    const grouped = run(true);
    expect(grouped.metrics['train/loss']).toBeCloseTo(one.metrics['train/loss']!, 5);
    expect(grouped.metrics['train/grad_norm']).toBeCloseTo(one.metrics['train/grad_norm']!, 4);
    expect(grouped.metrics['train/tokens']).toBe(one.metrics['train/tokens']);
    expect(Math.max(...grouped.weights.map((x, i) => Math.abs(x - one.weights[i]!)))).toBeLessThan(1e-5);
  });
});
