/**
 * The embedding on the WebAssembly backend (the one training uses here). tfjs-backend-wasm 4.22
 * returns garbage for a float32 oneHot; this caught a model that silently never saw its input.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { embed } from '../../../electron/ml/model/dense';

describe('embedding on wasm', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  });

  it('selects the rows of the table, as on cpu', () => {
    const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const ids = tf.tensor2d([[2, 0], [1, 1]], undefined, 'int32');
    const out = embed(table, ids);
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(out.dataSync())).toEqual([5, 6, 1, 2, 3, 4, 3, 4]);
    tf.dispose([table, ids, out]);
  });

  it('passes gradients to the selected rows only', () => {
    const table = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    const ids = tf.tensor1d([2, 2, 0], 'int32');
    const { grads } = tf.variableGrads(() => tf.sum(embed(table, ids)) as tf.Scalar, [table]);
    expect(Array.from((grads[table.name] as tf.Tensor).dataSync())).toEqual([1, 1, 0, 0, 2, 2]);
    tf.dispose([table, ids, ...Object.values(grads)]);
  });
});
