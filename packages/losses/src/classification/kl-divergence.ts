import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf, checkBoolean, checkOptions } from '@face/core';
import { atMost, checkMatrix, checkSameShape } from '../util/tensors';

export type KlReduction = 'batchmean' | 'mean' | 'sum' | 'none';
const KL_REDUCTIONS: readonly KlReduction[] = ['batchmean', 'mean', 'sum', 'none'];

export interface KlDivergenceOptions<R extends KlReduction = KlReduction> {
  /**
   * 'batchmean' (default): sum / batch size, the true mean KL per sample. 'mean' averages over
   * every element (PyTorch's default, which it warns is not the KL divergence), 'sum', 'none'.
   */
  reduction?: R;
  /** The target is given as log-probabilities (PyTorch's `log_target`). Default false. */
  logTarget?: boolean;
}

/**
 * KL(target || prediction) with PyTorch's `F.kl_div(input, target)` argument order: `logProbs`
 * [n, C] are the model's log-probabilities (e.g. tf.logSoftmax), `target` [n, C] probabilities.
 * Elementwise t * (log t - input), with 0 where t = 0 (0 log 0 = 0; Kullback & Leibler 1951).
 */
export function klDivergence<R extends KlReduction = 'batchmean'>(
  logProbs: tf.Tensor2D,
  target: tf.Tensor2D,
  options?: KlDivergenceOptions<R>,
): R extends 'none' ? tf.Tensor2D : tf.Scalar {
  const fn = 'klDivergence';
  const opts = checkOptions(fn, options, ['reduction', 'logTarget']);
  const reduction =
    opts.reduction === undefined
      ? 'batchmean'
      : checkOneOf(fn, 'options.reduction', opts.reduction, KL_REDUCTIONS);
  const logTarget = checkBoolean(fn, 'options.logTarget', opts.logTarget, false);
  checkMatrix(fn, 'logProbs', logProbs);
  checkMatrix(fn, 'target', target);
  checkSameShape(fn, 'target', target, logProbs, 'logProbs');
  return tf.tidy(() => {
    let pointwise: tf.Tensor;
    if (logTarget) {
      pointwise = tf.mul(tf.exp(target), tf.sub(target, logProbs));
    } else {
      // xlogy: log of 1 where t = 0 keeps the value 0 and the gradient finite.
      const zero = atMost(target, 0);
      const logT = tf.log(tf.where(zero, tf.onesLike(target), target));
      pointwise = tf.where(zero, tf.zerosLike(target), tf.mul(target, tf.sub(logT, logProbs)));
    }
    if (reduction === 'none') return pointwise;
    if (reduction === 'sum') return tf.sum(pointwise);
    if (reduction === 'mean') return tf.mean(pointwise);
    return tf.div(tf.sum(pointwise), logProbs.shape[0]);
  }) as R extends 'none' ? tf.Tensor2D : tf.Scalar;
}
