import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf } from '@face/core';

/**
 * How per-sample losses become the returned value. 'mean' and 'sum' give a scalar, 'none' the
 * vector. 'meanNonZero' averages over the strictly positive entries only (pytorch-metric-learning's
 * AvgNonZeroReducer: the default of its triplet and contrastive losses), 0 when there are none.
 */
export type Reduction = 'mean' | 'sum' | 'none';
export type PairReduction = Reduction | 'meanNonZero';

/** A scalar unless the reduction is 'none'. */
export type Reduced<R> = R extends 'none' ? tf.Tensor1D : tf.Scalar;

export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];
export const PAIR_REDUCTIONS: readonly PairReduction[] = ['mean', 'sum', 'none', 'meanNonZero'];

export function checkReduction<R extends string>(
  fn: string,
  value: R | undefined,
  allowed: readonly R[],
  fallback: R,
): R {
  return value === undefined ? fallback : checkOneOf(fn, 'options.reduction', value, allowed);
}

/**
 * Reduces per-sample losses. An empty batch (no mined triplets, no pairs) gives 0 for 'mean' and
 * 'meanNonZero' instead of 0/0.
 */
export function reduceLosses(values: tf.Tensor1D, reduction: PairReduction): tf.Tensor {
  return tf.tidy(() => {
    if (reduction === 'none') return tf.clone(values);
    const total = tf.sum(values);
    if (reduction === 'sum') return total;
    const count = reduction === 'mean' ? tf.scalar(values.shape[0]) : tf.sum(tf.step(values)); // step: 1 where > 0, and a zero gradient (Greater has none)
    return tf.div(total, tf.maximum(count, 1));
  });
}
