/**
 * How much one forward (or forward + tape) pass may hold. Attention's activations grow with rows ×
 * (tokens per row)², and a WebAssembly heap cannot pass 4 GB: a V = 10 GeneralPoints batch (128
 * rows of ~211 tokens) aborted it in the base's multi-turn step and in the evaluation's policy
 * diagnostics. Passes are cut to at most this many row·length² cells. Every GeneralPoints batch
 * of up to 5 attempts (≤ 111 tokens) and every GP-VL batch stays one pass: the uncut step, bit for bit.
 */
export const MAX_PASS_CELLS = 2 ** 21;

/** Rows of `length` tokens one pass may hold, at most `maxRows` and at least 1. */
export function rowsPerPass(length: number, maxRows: number, maxCells = MAX_PASS_CELLS): number {
  return Math.max(1, Math.min(maxRows, Math.floor(maxCells / Math.max(1, length * length))));
}
