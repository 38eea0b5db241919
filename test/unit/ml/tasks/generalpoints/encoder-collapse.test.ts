/**
 * The image encoder does not collapse to a constant: a tiny GP-VL model must tell four single
 * cards apart from the image alone (the prompt is identical), which a model whose visual tokens
 * were the same for every image cannot do. On the wasm backend (about 3× the cpu backend here).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../../../../shared/tasks/generalpoints/cards';
import { renderCards } from '../../../../../shared/tasks/generalpoints/image';
import { ensureBackend } from '../../../../../electron/ml/backend';
import { supervisedUpdate } from '../../../../../electron/ml/engine/sft';
import { recognitionPrompt } from '../../../../../electron/ml/tasks/generalpoints/curriculum-vl';
import { disposeAdamW, disposeModel, encodeImages, imagesToTensor } from '../../../../../electron/ml/model';
import { tinyVlModel, vlCodec as codec, vlTask, VL_IMAGE } from '../../engine/vl-fixtures';

beforeAll(async () => {
  expect((await ensureBackend('wasm')).name).toBe('wasm');
});

describe('the image encoder does not collapse to a constant', () => {
  it('learns to tell four single cards apart from the image alone (same prompt), which a constant encoder cannot', () => {
    const { model, optimizer } = tinyVlModel(9);
    // Four black cards of different ranks, each alone in slot 1: the prompt is identical, only the image differs.
    const cards: Card[] = [2, 5, 9, 13].map((rank) => ({ rank, suit: 'S' }) as Card);
    const examples = cards.map((c) => {
      const image = renderCards([null, c, null, null], VL_IMAGE);
      return { prompt: recognitionPrompt(codec), answer: [codec.id(`c${c.rank === 13 ? 'K' : c.rank}`), codec.tokenizer.eos], image };
    });
    let loss = Infinity;
    for (let s = 0; s < 250 && loss > 0.3; s++) loss = supervisedUpdate({ model, optimizer, task: vlTask, lr: 1e-2, maxGradNorm: 1 }, examples).metrics['train/loss']!;
    // Loss is the mean over the card token and <eos>: a model blind to the image stays at ≥ ln(4)/2 ≈ 0.69.
    expect(loss).toBeLessThan(0.3);
    // The visual tokens of the four images differ from one another as much as they vary within one.
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
