/**
 * The V-IRL-VL image encoder does not collapse to a constant: a tiny model must tell four
 * landmarks apart from the street views alone (the same place, the same prompt, only the sign
 * beside the agent differs), which a model whose visual tokens were the same for every grid
 * cannot do. On the wasm backend, like the GP-VL check.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCitySpec } from '../../../../../shared/tasks/virl/catalog';
import { landmarkBucket } from '../../../../../shared/tasks/virl/render/emblem';
import { renderStreetViews } from '../../../../../shared/tasks/virl/render/views';
import type { Scene } from '../../../../../shared/tasks/virl/types';
import { ensureBackend } from '../../../../../electron/ml/backend';
import { supervisedUpdate } from '../../../../../electron/ml/engine/sft';
import { signAnswer, signPrompt } from '../../../../../electron/ml/tasks/virl/curriculum-vl';
import { disposeAdamW, disposeModel, encodeImages, imagesToTensor } from '../../../../../electron/ml/model';
import { tinyVirlVlModel, virlVlTask as task } from '../../engine/virl-vl-fixtures';

beforeAll(async () => {
  expect((await ensureBackend('wasm')).name).toBe('wasm');
});

describe('the V-IRL-VL image encoder does not collapse to a constant', () => {
  it('learns to tell four landmarks beside the agent apart from the street views alone (same prompt)', () => {
    const codec = task.codec;
    const { model, optimizer } = tinyVirlVlModel(9);
    const style = findCitySpec('nyc')!.style;
    // Four names with four different emblems, each alone 11 m to the agent's right, facing north.
    const names: string[] = [];
    for (let i = 1; names.length < 4; i++) if (!names.some((n) => landmarkBucket(n) === landmarkBucket(`Place ${i}`))) names.push(`Place ${i}`);
    const examples = names.map((name) => {
      const scene: Scene = {
        style, segments: [[{ x: 0, y: -200 }, { x: 0, y: 200 }]],
        landmarks: [{ id: 0, name, kind: 'shop', position: { x: 11, y: 0 }, streetPoint: { x: 0, y: 0 }, edge: -1 }],
      };
      const image = renderStreetViews(scene, { x: 0, y: 0 }, 0, { viewSize: 16, gap: 0, layout: 'prompt' });
      return { prompt: signPrompt(codec), answer: signAnswer(codec, [null, name, null, null]), image };
    });
    let loss = Infinity;
    for (let s = 0; s < 300 && loss > 0.05; s++) loss = supervisedUpdate({ model, optimizer, task, lr: 1e-2, maxGradNorm: 1 }, examples).metrics['train/loss']!;
    // Loss is the mean over the answer's 9 tokens, one of them the landmark's: a model blind to the image stays at ≥ ln(4)/9 ≈ 0.15.
    expect(loss).toBeLessThan(0.05);
    const spread = tf.tidy(() => {
      const v = encodeImages(model, imagesToTensor(model.config, examples.map((e) => e.image.data)));
      const across = tf.moments(v, 0).variance.mean().dataSync()[0]!;
      const mean = tf.abs(v).mean().dataSync()[0]!;
      return across / (mean * mean);
    });
    expect(spread).toBeGreaterThan(1e-3);
    disposeAdamW(optimizer);
    disposeModel(model);
  }, 180_000);
});
