import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError } from '@face/core';

/** Norms below this are treated as zero when dividing, exactly as PyTorch's F.normalize(eps=1e-12). */
export const NORM_EPSILON = 1e-12;

/**
 * Conditions inside differentiated code use only `greaterEqual`: tfjs registers a (zero) gradient
 * for GreaterEqual but none for Greater, Less or Equal, so a `where` on those throws during
 * backprop. `a > b` is written as the `else` branch of `b >= a`.
 */
export function atMost(a: tf.Tensor | number, b: tf.Tensor | number): tf.Tensor {
  return tf.greaterEqual(b, a);
}

/**
 * sqrt with a finite gradient at 0: the gradient of sqrt at 0 is infinite, and tfjs turns
 * 0 * inf into NaN even where the upstream gradient is 0 (e.g. the diagonal of a distance matrix).
 * The double `where` keeps both the value and, for x > zeroBelow, the gradient exact; at
 * x <= zeroBelow (default 0) the value is 0 and the gradient 0.
 */
export function safeSqrt<T extends tf.Tensor>(x: T, zeroBelow = 0): T {
  return tf.tidy(() => {
    const nonPositive = atMost(x, zeroBelow);
    return tf.where(
      nonPositive,
      tf.zerosLike(x),
      tf.sqrt(tf.where(nonPositive, tf.onesLike(x), x)),
    );
  }) as T;
}

/**
 * Euclidean norm along `axis` with the gradient of {@link safeSqrt}: 0, value and gradient, for a
 * zero vector or one no longer than `floor` (default 0).
 */
export function safeNorm(x: tf.Tensor, axis: number, keepDims = false, floor = 0): tf.Tensor {
  return tf.tidy(() => safeSqrt(tf.sum(tf.square(x), axis, keepDims), floor * floor));
}

/**
 * x / max(||x||, 1e-12) along `axis` (default 1, the rows): PyTorch's F.normalize. A zero vector
 * stays zero, so its cosine with anything is 0 (a defined value, not NaN); the norm's gradient is
 * {@link safeNorm}'s, so it is safe inside a loss as well as in evaluation.
 */
export function l2Normalize(x: tf.Tensor2D, axis = 1): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(safeNorm(x, axis, true), NORM_EPSILON)));
}

/** Asserts a float rank-2 tensor, optionally with a given number of columns / at least `minRows`. */
export function checkMatrix(
  fn: string,
  argument: string,
  x: unknown,
  { columns, minRows }: { columns?: number; minRows?: number } = {},
): asserts x is tf.Tensor2D {
  if (!(x instanceof tf.Tensor)) throw new InvalidArgumentError(fn, argument, x, 'a tf.Tensor');
  if (x.rank !== 2) throw new ShapeError(fn, argument, x.shape, 'rank 2 ([batch, features])');
  if (x.dtype !== 'float32') {
    throw new InvalidArgumentError(fn, `${argument}.dtype`, x.dtype, "'float32'");
  }
  if (columns !== undefined && x.shape[1] !== columns) {
    throw new ShapeError(fn, argument, x.shape, `${columns} columns`);
  }
  if (minRows !== undefined && x.shape[0] < minRows) {
    throw new ShapeError(fn, argument, x.shape, `at least ${minRows} rows`);
  }
}

/** Asserts two tensors have identical shapes. */
export function checkSameShape(
  fn: string,
  argument: string,
  x: tf.Tensor,
  reference: tf.Tensor,
  referenceName: string,
): void {
  if (x.shape.join(',') !== reference.shape.join(',')) {
    throw new ShapeError(
      fn,
      argument,
      x.shape,
      `the shape of ${referenceName}, [${reference.shape.join(', ')}]`,
    );
  }
}
