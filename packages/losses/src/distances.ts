import * as tf from '@tensorflow/tfjs-core';
import {
  checkOneOf,
  InvalidArgumentError,
  ShapeError,
  checkBoolean,
  checkOptions,
} from '@face/core';
import { checkMatrix, checkSameShape, l2Normalize, safeSqrt } from './util/tensors';

export type DistanceKind = 'euclidean' | 'squaredEuclidean' | 'cosine';
const KINDS: readonly DistanceKind[] = ['euclidean', 'squaredEuclidean', 'cosine'];

/**
 * Pairwise distances between the rows of `a` [n, d] and `b` [m, d] -> [n, m].
 * squaredEuclidean: |a|^2 - 2 a.b + |b|^2 (clamped at 0 against round-off);
 * euclidean: its square root, with gradient 0 where the distance is 0 (so the diagonal of a
 * self-distance matrix never turns gradients into NaN);
 * cosine: 1 - a.b / (max(|a|, 1e-12) max(|b|, 1e-12)): a zero row is at distance 1 from everything.
 */
export function pairwiseDistance(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  kind: DistanceKind = 'euclidean',
): tf.Tensor2D {
  const fn = 'pairwiseDistance';
  checkOneOf(fn, 'kind', kind, KINDS);
  checkMatrix(fn, 'a', a);
  checkMatrix(fn, 'b', b);
  if (a.shape[1] !== b.shape[1]) {
    throw new ShapeError(fn, 'b', b.shape, `${a.shape[1]} columns, as a`);
  }
  return tf.tidy((): tf.Tensor2D => {
    if (kind === 'cosine') {
      return tf.sub(1, tf.matMul(l2Normalize(a, 1), l2Normalize(b, 1), false, true));
    }
    const aa = tf.sum(tf.square(a), 1, true);
    const bb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
    const sq = tf.relu(tf.add(tf.sub(aa, tf.mul(2, tf.matMul(a, b, false, true))), bb));
    return (kind === 'squaredEuclidean' ? sq : safeSqrt(sq)) as tf.Tensor2D;
  });
}

/**
 * Row-by-row distances between `a` [n, d] and `b` [n, d] -> [n]: the distance of each anchor to its
 * own positive or negative. Computed from the difference a - b, which is exact for close rows where
 * the |a|^2 - 2 a.b + |b|^2 expansion of {@link pairwiseDistance} cancels.
 */
export function pairedDistance(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  kind: DistanceKind = 'euclidean',
): tf.Tensor1D {
  const fn = 'pairedDistance';
  checkOneOf(fn, 'kind', kind, KINDS);
  checkMatrix(fn, 'a', a);
  checkMatrix(fn, 'b', b);
  checkSameShape(fn, 'b', b, a, 'a');
  return tf.tidy((): tf.Tensor1D => {
    if (kind === 'cosine') {
      return tf.sub(1, tf.sum(tf.mul(l2Normalize(a, 1), l2Normalize(b, 1)), 1));
    }
    const sq = tf.sum(tf.square(tf.sub(a, b)), 1) as tf.Tensor1D;
    return kind === 'squaredEuclidean' ? sq : safeSqrt(sq);
  });
}

export interface DistanceOptions {
  /** L2-normalize rows before measuring (FaceNet's embeddings live on the unit sphere). Default false. */
  normalize?: boolean;
}

export interface DistanceConfig {
  kind: DistanceKind;
  normalize: boolean;
}

/**
 * A distance to inject into losses and miners (smaller = closer, for every kind). `pairwise` gives
 * the [n, m] matrix, `paired` the row-by-row [n] vector.
 */
export interface Distance {
  readonly kind: DistanceKind;
  readonly normalize: boolean;
  pairwise(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D;
  paired(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D;
  getConfig(): DistanceConfig;
}

/** Makes a {@link Distance}: `distance('euclidean', { normalize: true })`. */
export function distance(kind: DistanceKind = 'euclidean', options?: DistanceOptions): Distance {
  const fn = 'distance';
  checkOneOf(fn, 'kind', kind, KINDS);
  const opts = checkOptions(fn, options, ['normalize']);
  const normalize = checkBoolean(fn, 'options.normalize', opts.normalize, false);
  const prepare = (x: tf.Tensor2D): tf.Tensor2D => (normalize ? l2Normalize(x, 1) : x);
  return {
    kind,
    normalize,
    pairwise: (a, b) => tf.tidy(() => pairwiseDistance(prepare(a), prepare(b), kind)),
    paired: (a, b) => tf.tidy(() => pairedDistance(prepare(a), prepare(b), kind)),
    getConfig: () => ({ kind, normalize }),
  };
}

/** Accepts a Distance or a kind name (plain, not normalized); `fallback` when absent. */
export function resolveDistance(
  fn: string,
  argument: string,
  value: Distance | DistanceKind | undefined,
  fallback: DistanceKind = 'euclidean',
): Distance {
  if (value === undefined) return distance(fallback);
  if (typeof value === 'string') {
    return distance(checkOneOf(fn, argument, value, KINDS));
  }
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof value.pairwise !== 'function' ||
    typeof value.paired !== 'function'
  ) {
    throw new InvalidArgumentError(
      fn,
      argument,
      value,
      `a Distance (from distance()) or one of ${KINDS.map((k) => `'${k}'`).join(', ')}`,
    );
  }
  return value;
}
