import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  gae, grpoAdvantages, k3Kl, maskedCrossEntropy, maskedEntropy, normalizeAdvantages, policyGradientLoss, ppoPolicyLoss, valueLoss,
} from '../../../electron/ml/model';
import { useCpu } from './tiny';

beforeAll(useCpu);

const num = (t: tf.Tensor) => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};
const close = (a: readonly number[], b: readonly number[], digits = 6) => {
  expect(a).toHaveLength(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, digits));
};

describe('advantage estimators (hand-computed)', () => {
  it('GAE with a terminal last step', () => {
    // δ2 = 2 − 1.5 = 0.5; δ1 = 0.9·1.5 − 1 = 0.35, A1 = 0.35 + 0.72·0.5 = 0.71; δ0 = 1 + 0.9 − 0.5 = 1.4, A0 = 1.4 + 0.72·0.71
    const r = gae({ rewards: [1, 0, 2], values: [0.5, 1, 1.5], dones: [false, false, true], lastValue: 3, gamma: 0.9, lambda: 0.8 });
    close(r.advantages, [1.9112, 0.71, 0.5]);
    close(r.returns, [2.4112, 1.71, 2.0]);
  });

  it('GAE bootstraps from lastValue and does not cross episode ends', () => {
    close(gae({ rewards: [0, 1], values: [1, 2], dones: [false, false], lastValue: 4, gamma: 0.5, lambda: 1 }).advantages, [0.5, 1]);
    close(gae({ rewards: [1, 1], values: [0, 0], dones: [true, false], lastValue: 10, gamma: 1, lambda: 1 }).advantages, [1, 11]);
  });

  it('advantage normalisation uses the unbiased std', () => {
    close(normalizeAdvantages([1, 2, 3, 4]), [-1.161895, -0.387298, 0.387298, 1.161895]);
    expect(normalizeAdvantages([5])).toEqual([0]);
  });

  it('GRPO group baselines, with and without std scaling', () => {
    close(grpoAdvantages([1, 0, 0, 1, 1, 1, 1, 1], 4), [0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0]);
    close(grpoAdvantages([1, 0, 0, 1, 1, 1, 1, 1], 4, { scaleByStd: true }), [1, -1, -1, 1, 0, 0, 0, 0], 5);
    expect(() => grpoAdvantages([1, 2, 3], 2)).toThrow(/groups of 2/);
  });
});

describe('PPO / GRPO loss terms (hand-computed)', () => {
  it('clipped surrogate, approx_kl and clipfrac', () => {
    const ratio = [1.5, 0.5, 1.1, 1.0];
    const out = tf.tidy(() =>
      ppoPolicyLoss({
        newLogProbs: tf.log(tf.tensor2d([ratio])),
        oldLogProbs: tf.zeros([1, 4]),
        advantages: tf.tensor2d([[1, 1, -2, 3]]),
        mask: tf.tensor2d([[1, 1, 1, 0]]),
        clip: 0.2,
      }),
    );
    // max(−A·ρ, −A·clip(ρ)) = [−1.2, −0.5, 2.2] → 0.5/3
    expect(num(out.loss)).toBeCloseTo(0.5 / 3, 6);
    // (ρ−1) − ln ρ = [0.0945349, 0.1931472, 0.0046898]
    expect(num(out.approxKl)).toBeCloseTo((0.0945349 + 0.1931472 + 0.0046898) / 3, 6);
    expect(num(out.clipfrac)).toBeCloseTo(2 / 3, 6);
  });

  it('value loss, plain and clipped', () => {
    const args = () => ({ newValues: tf.tensor1d([1, 2, 3]), oldValues: tf.tensor1d([1.5, 1.5, 1.5]), returns: tf.tensor1d([2, 2, 2]), mask: tf.ones([3]) });
    expect(num(tf.tidy(() => valueLoss(args())))).toBeCloseTo(1 / 3, 6);
    // clipped values [1.3, 1.7, 1.7] → errors [0.49, 0.09, 0.09]; max with [1, 0, 1] → [1, 0.09, 1]
    expect(num(tf.tidy(() => valueLoss({ ...args(), clip: 0.2 })))).toBeCloseTo(0.5 * (2.09 / 3), 6);
  });

  it('k3 KL, entropy, policy-gradient and cross-entropy', () => {
    // r = ∓ln2 → e^r − r − 1 = 0.1931472 and 0.3068528
    expect(num(tf.tidy(() => k3Kl(tf.tensor1d([0, Math.log(0.5)]), tf.tensor1d([Math.log(0.5), 0]), tf.ones([2]))))).toBeCloseTo(0.25, 6);
    expect(num(tf.tidy(() => maskedEntropy(tf.tensor3d([[[0, 0, 0, 0], [100, 0, 0, 0]]]), tf.ones([1, 2]) as tf.Tensor2D)))).toBeCloseTo(Math.log(4) / 2, 5);
    expect(num(tf.tidy(() => policyGradientLoss(tf.tensor1d([-1, -2]), tf.tensor1d([1, -1]), tf.ones([2]))))).toBeCloseTo(-0.5, 6);
    const ce = tf.tidy(() =>
      maskedCrossEntropy(tf.tensor3d([[[0, 0], [Math.log(3), 0], [5, 5]]]), tf.tensor2d([[0, 0, 1]], [1, 3], 'int32'), tf.tensor2d([[1, 1, 0]])),
    );
    expect(num(ce)).toBeCloseTo((Math.log(2) - Math.log(0.75)) / 2, 6);
  });
});
