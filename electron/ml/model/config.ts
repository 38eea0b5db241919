/**
 * Configuration of the policy model: a small causal transformer language model with an optional
 * convolutional image encoder (visual tokens prepended to the text) and a value head for PPO.
 * Every field carries a doc comment because the type also drives the launcher form.
 */

/** A small conv net that turns an RGB image into a grid of visual tokens. */
export interface ImageEncoderConfig {
  /** Image height in pixels (input is RGB Uint8, row-major H×W×3). */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** Output channels of each 2×2 stride-2 ReLU convolution, in order (one conv per entry; each halves H and W). */
  channels: number[];
  /** Visual tokens per image along the height: the last feature map is pooled to gridH×gridW. */
  gridH: number;
  /** Visual tokens per image along the width. */
  gridW: number;
  /**
   * How each token's cells of the last feature map become one token: `mean` averages them
   * (the default), `concat` keeps each cell's features in its own slice before the projection, so
   * where in the token's region a detail sits survives (a sign's emblem bits, which averaging mixes).
   */
  pool?: 'mean' | 'concat';
}

/** Cells of the last feature map that make one visual token (fh × fw). */
export function cellsPerToken(img: ImageEncoderConfig): number {
  const { h, w } = encoderFeatureSize(img);
  return (h / img.gridH) * (w / img.gridW);
}

export interface ModelConfig {
  /** Vocabulary size (the tokenizer's `vocabSize`). */
  vocabSize: number;
  /** Model width d (embedding and residual stream size). */
  dModel: number;
  /** Number of transformer blocks. */
  nLayers: number;
  /** Attention heads per block; must divide dModel. */
  nHeads: number;
  /** Maximum number of text tokens (size of the learned position table); visual tokens have their own. */
  contextLength: number;
  /** Hidden width of the MLP as a multiple of dModel (4 in the recipe). */
  ffnMult: number;
  /** MLP nonlinearity: tanh-approximated GELU (as the PyTorch prototype) or ReLU (cheaper). */
  activation: 'gelu' | 'relu';
  /** Dropout rate. Only 0 is supported: the recipe trains without dropout and 0 keeps runs bit-exact. */
  dropout: number;
  /** Seed of the deterministic weight initialisation (same seed, same weights, on every backend). */
  initSeed: number;
  /** Optional image encoder; when absent the model is language-only. */
  image?: ImageEncoderConfig;
}

/** The recipe's model (RECIPE.md: d=96, 3 layers, 4 heads, MLP 4×); the vocabulary comes from the tokenizer. */
export function recipeModelConfig(vocabSize: number, contextLength = 112): ModelConfig {
  return { vocabSize, dModel: 96, nLayers: 3, nHeads: 4, contextLength, ffnMult: 4, activation: 'gelu', dropout: 0, initSeed: 0 };
}

/** Number of visual tokens the image encoder prepends (0 without an encoder). */
export function visualTokenCount(cfg: ModelConfig): number {
  return cfg.image ? cfg.image.gridH * cfg.image.gridW : 0;
}

/** Spatial size of the last conv feature map (each 2×2 stride-2 conv halves both sides). */
export function encoderFeatureSize(img: ImageEncoderConfig): { h: number; w: number } {
  const f = 2 ** img.channels.length;
  return { h: img.height / f, w: img.width / f };
}

/** Throws a researcher-readable message when the config cannot build a model. */
export function validateModelConfig(cfg: ModelConfig): void {
  const posInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`model config: ${name} must be a positive integer, got ${v}`);
  };
  posInt(cfg.vocabSize, 'vocabSize');
  posInt(cfg.dModel, 'dModel');
  posInt(cfg.nLayers, 'nLayers');
  posInt(cfg.nHeads, 'nHeads');
  posInt(cfg.contextLength, 'contextLength');
  if (!(cfg.ffnMult > 0) || !Number.isInteger(cfg.ffnMult * cfg.dModel)) {
    throw new Error(`model config: ffnMult × dModel must be a positive integer, got ${cfg.ffnMult} × ${cfg.dModel}`);
  }
  if (cfg.dModel % cfg.nHeads !== 0) {
    throw new Error(`model config: nHeads (${cfg.nHeads}) must divide dModel (${cfg.dModel})`);
  }
  if (cfg.dropout !== 0) throw new Error(`model config: only dropout 0 is supported, got ${cfg.dropout}`);
  if (cfg.image) {
    const img = cfg.image;
    posInt(img.height, 'image.height');
    posInt(img.width, 'image.width');
    posInt(img.gridH, 'image.gridH');
    posInt(img.gridW, 'image.gridW');
    if (img.channels.length === 0) throw new Error('model config: image.channels needs at least one conv layer');
    img.channels.forEach((c, i) => posInt(c, `image.channels[${i}]`));
    if (img.pool !== undefined && img.pool !== 'mean' && img.pool !== 'concat') throw new Error(`model config: image.pool must be "mean" or "concat", not ${JSON.stringify(img.pool)}`);
    const f = 2 ** img.channels.length;
    if (img.height % f !== 0 || img.width % f !== 0) {
      throw new Error(`model config: image ${img.height}×${img.width} must be divisible by ${f} for ${img.channels.length} stride-2 convs`);
    }
    const { h, w } = encoderFeatureSize(img);
    if (h % img.gridH !== 0 || w % img.gridW !== 0) {
      throw new Error(
        `model config: the conv feature map is ${h}×${w}, which the ${img.gridH}×${img.gridW} token grid must divide evenly`,
      );
    }
  }
}
