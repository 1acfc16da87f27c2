import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';
import {
  checkFinite,
  checkMetric,
  l2Normalize,
  squaredNorms,
  toTensor2D,
  type Embeddings,
  type SimilarityMetric,
} from './embeddings';

export interface SimilarityOptions {
  /** Default `cosine`. */
  metric?: SimilarityMetric;
}

/**
 * The full `[a.rows, b.rows]` similarity matrix on the current backend (for small sets; a large
 * gallery goes through `searchGallery`, which never holds the whole matrix). The caller owns
 * (and disposes) the result. NaN or infinite embeddings are refused, as by `searchGallery`. Euclidean uses `||a||^2 + ||b||^2 - 2 a.b`, clamped at 0.
 */
export function similarityMatrix(
  a: Embeddings,
  b: Embeddings,
  options: SimilarityOptions = {},
): tf.Tensor2D {
  const fn = 'similarityMatrix';
  const metric = checkMetric(fn, options.metric ?? 'cosine');
  const A = toTensor2D(fn, 'a', a);
  const B = toTensor2D(fn, 'b', b);
  try {
    checkSameDim(fn, A.tensor, B.tensor, 'b');
    checkFinite(fn, 'a', A.tensor);
    checkFinite(fn, 'b', B.tensor);
    return tf.tidy(() => similarityBlock(metric, A.tensor, B.tensor));
  } finally {
    if (A.owned) A.tensor.dispose();
    if (B.owned) B.tensor.dispose();
  }
}

/**
 * Similarity of each pair of rows, `a[i]` with `b[i]` (1:1 verification pairs), shape `[n]`.
 * Euclidean is computed from the differences, so identical rows give exactly 0. NaN or infinite
 * embeddings are refused, as by `searchGallery`.
 */
export function pairSimilarity(
  a: Embeddings,
  b: Embeddings,
  options: SimilarityOptions = {},
): tf.Tensor1D {
  const fn = 'pairSimilarity';
  const metric = checkMetric(fn, options.metric ?? 'cosine');
  const A = toTensor2D(fn, 'a', a);
  const B = toTensor2D(fn, 'b', b);
  try {
    checkSameDim(fn, A.tensor, B.tensor, 'b');
    if (A.tensor.shape[0] !== B.tensor.shape[0]) {
      throw new InvalidArgumentError(
        fn,
        'b.shape[0]',
        B.tensor.shape[0],
        `${A.tensor.shape[0]} (one row per row of a)`,
      );
    }
    checkFinite(fn, 'a', A.tensor);
    checkFinite(fn, 'b', B.tensor);
    return tf.tidy(() =>
      metric === 'cosine'
        ? (tf.sum(tf.mul(l2Normalize(A.tensor), l2Normalize(B.tensor)), 1) as tf.Tensor1D)
        : (tf.neg(tf.sqrt(tf.sum(tf.square(tf.sub(A.tensor, B.tensor)), 1))) as tf.Tensor1D),
    );
  } finally {
    if (A.owned) A.tensor.dispose();
    if (B.owned) B.tensor.dispose();
  }
}

/** Unnormalized block: call inside tf.tidy. */
export function similarityBlock(
  metric: SimilarityMetric,
  a: tf.Tensor2D,
  b: tf.Tensor2D,
): tf.Tensor2D {
  if (metric === 'cosine') return tf.matMul(l2Normalize(a), l2Normalize(b), false, true);
  return negDistanceFromDots(tf.matMul(a, b, false, true), squaredNorms(a), squaredNorms(b));
}

/** -sqrt(max(0, |a|^2 + |b|^2 - 2 a.b)) from the dot products and squared norms. */
export function negDistanceFromDots(
  dots: tf.Tensor2D,
  aSq: tf.Tensor1D,
  bSq: tf.Tensor1D,
): tf.Tensor2D {
  const sq = tf.add(tf.sub(tf.expandDims(aSq, 1), tf.mul(dots, 2)), tf.expandDims(bSq, 0));
  return tf.neg(tf.sqrt(tf.relu(sq))) as tf.Tensor2D;
}

export function checkSameDim(fn: string, a: tf.Tensor2D, b: tf.Tensor2D, argument: string): void {
  if (a.shape[1] !== b.shape[1]) {
    throw new InvalidArgumentError(
      fn,
      `${argument}.shape[1]`,
      b.shape[1],
      `${a.shape[1]} (the embedding size)`,
    );
  }
}
