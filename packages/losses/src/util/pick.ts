import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows `x[indices]` along axis 0 (entries of a vector, rows of a matrix), differentiable on every
 * backend. tf.gather's registered gradient needs the UnsortedSegmentSum kernel, which the wasm
 * backend (4.22) lacks; the gradient here is its exact transpose written with ScatterNd, which
 * sums repeated indices (a label recurs in a batch, a pair (a, p) in every triplet that shares
 * it) on cpu, wasm and webgl alike.
 */
export function gatherRows<T extends tf.Tensor>(x: T, indices: ArrayLike<number>): T {
  const index = tf.tensor2d(Int32Array.from(indices), [indices.length, 1], 'int32');
  const picked = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([index]);
    return {
      value: tf.gatherND(input, index),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(saved[0], dy, input.shape),
    };
  })(x) as T;
  index.dispose();
  return picked;
}
