/** Shared fixtures for the ML tests: a tiny model config and a fixed toy batch. */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../../electron/ml/model/config';

export const PAD = 0;
export const EOS = 1;

export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return { vocabSize: 12, dModel: 16, nLayers: 2, nHeads: 2, contextLength: 16, ffnMult: 2, activation: 'gelu', dropout: 0, initSeed: 1, ...overrides };
}

/** Uses the pure-JS backend: always available and deterministic. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Toy SFT examples: the answer counts up from the prompt's last token. */
export function toyExamples(): { prompt: number[]; answer: number[] }[] {
  return [
    { prompt: [2, 3, 4], answer: [5, 6, EOS] },
    { prompt: [7, 8], answer: [9, 10, 11, EOS] },
    { prompt: [3, 5, 7, 9], answer: [11, EOS] },
    { prompt: [4], answer: [5, 6, 7, EOS] },
  ];
}
