/**
 * Compute accounting the paper's way (Kaplan et al.): training costs 6·N·D FLOPs and generation
 * 2·N·D, with N the parameter count and D the tokens processed. N counts every parameter,
 * embeddings and heads included (at this model size the tables are a large share, and they do
 * run as matmuls here: see dense.ts's one-hot embedding).
 */
import type { ModelConfig } from './model/config';
import { paramSpecs } from './model/params';

/** Number of parameters of a model with this config. */
export function paramCount(cfg: ModelConfig): number {
  return paramSpecs(cfg).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** FLOPs of training on `tokens` tokens (forward + backward): 6·N·D. */
export function trainingFlops(nParams: number, tokens: number): number {
  return 6 * nParams * tokens;
}

/** FLOPs of generating (or scoring without gradient) `tokens` tokens: 2·N·D. */
export function generationFlops(nParams: number, tokens: number): number {
  return 2 * nParams * tokens;
}
