import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf, InvalidArgumentError, ShapeError } from '@face/core';

/** Embeddings, one row per face: a float32 tensor `[n, d]`, or rows (`number[][]`, `Float32Array[]`). */
export type Embeddings = tf.Tensor2D | readonly ArrayLike<number>[];

/**
 * How two embeddings compare, higher always meaning more alike: `cosine` similarity, or
 * `euclidean` as the negated L2 distance `-||a - b||` (negate it back for the distance).
 */
export type SimilarityMetric = 'cosine' | 'euclidean';

export const METRICS: readonly SimilarityMetric[] = ['cosine', 'euclidean'];

/** The embeddings as a float32 tensor, and whether this call created it (and must dispose it). */
export function toTensor2D(
  fn: string,
  argument: string,
  x: Embeddings,
): { tensor: tf.Tensor2D; owned: boolean } {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) throw new ShapeError(fn, argument, x.shape, 'rank 2 ([n, d])');
    if (x.dtype !== 'float32') {
      throw new InvalidArgumentError(fn, `${argument}.dtype`, x.dtype, "'float32'");
    }
    return { tensor: x, owned: false };
  }
  const rows = x as readonly ArrayLike<number>[];
  if (!Array.isArray(rows) || rows.length === 0 || typeof rows[0]?.length !== 'number') {
    throw new InvalidArgumentError(fn, argument, x, 'a [n, d] tensor or a non-empty array of rows');
  }
  const d = rows[0].length;
  const flat = new Float32Array(rows.length * d);
  rows.forEach((row, i) => {
    if (row?.length !== d)
      throw new InvalidArgumentError(fn, `${argument}[${i}].length`, row?.length, `${d}`);
    for (let j = 0; j < d; j++) flat[i * d + j] = row[j];
  });
  return { tensor: tf.tensor2d(flat, [rows.length, d]), owned: true };
}

/**
 * Throws on NaN or +-Infinity anywhere in `x`: a non-finite embedding has no meaningful
 * similarity, and a NaN score would sort or threshold silently wrong downstream. One reduction
 * on the backend and one scalar read back.
 */
export function checkFinite(fn: string, argument: string, x: tf.Tensor2D): void {
  const ok = tf.tidy(() => tf.all(tf.isFinite(x)));
  const finite = ok.dataSync()[0];
  ok.dispose();
  if (!finite)
    throw new InvalidArgumentError(fn, argument, x, 'finite values (no NaN or Infinity)');
}

export function checkMetric(fn: string, metric: unknown): SimilarityMetric {
  return checkOneOf(fn, 'metric', metric, METRICS);
}

/** `F.normalize`'s floor on the norm (PyTorch's default eps), so a zero row stays zero. */
export const NORM_EPS = 1e-12;

/**
 * Rows scaled to unit L2 norm: x / max(||x||, eps), as @face/losses' `l2Normalize`. Kept here, not
 * imported: @face/metrics must install without TF.js for its plain-number metrics, and depending on
 * @face/losses would pull tfjs-core in as that package's required peer (the publish test checks).
 */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), NORM_EPS)));
}

/** Squared row norms, shape [n]. */
export function squaredNorms(x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.square(x), 1) as tf.Tensor1D);
}
