import * as tf from '@tensorflow/tfjs-core';
import { checkLabels, InvalidArgumentError, ShapeError } from '@face/core';

/**
 * Class labels: a plain array, a typed array or a rank-1 tensor of integers. Tensors are read back
 * to the CPU to validate them (a synchronous read), so pass arrays in hot loops on GPU backends.
 */
export type Labels = ArrayLike<number> | tf.Tensor1D;

/**
 * Reads and validates labels: integers >= 0 (and < numClasses when given), one per row.
 * Out-of-range labels would otherwise give an all-zero one-hot row and a silently wrong loss.
 */
export function readLabels(
  fn: string,
  argument: string,
  labels: Labels,
  { numClasses, length }: { numClasses?: number; length?: number } = {},
): Int32Array {
  let values: ArrayLike<number>;
  if (labels instanceof tf.Tensor) {
    if (labels.rank !== 1) throw new ShapeError(fn, argument, labels.shape, 'rank 1');
    values = labels.dataSync();
  } else if (
    labels !== null &&
    typeof labels === 'object' &&
    typeof (labels as ArrayLike<number>).length === 'number'
  ) {
    values = labels;
  } else {
    throw new InvalidArgumentError(fn, argument, labels, 'an array or rank-1 tensor of integers');
  }
  if (length !== undefined && values.length !== length) {
    throw new ShapeError(fn, argument, [values.length], `${length} entries, one per embedding`);
  }
  checkLabels(fn, argument, values, numClasses);
  return Int32Array.from(values);
}

/** One-hot float32 rows [n, numClasses] of validated labels. */
export function oneHotRows(labels: Int32Array, numClasses: number): tf.Tensor2D {
  return tf.tidy(() =>
    tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses), 'float32'),
  ) as tf.Tensor2D;
}
