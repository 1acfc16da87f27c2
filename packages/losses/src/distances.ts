import * as tf from '@tensorflow/tfjs-core';
import { checkOneOf, checkRank, ShapeError } from '@face/core';

export type DistanceKind = 'euclidean' | 'squaredEuclidean' | 'cosine';
const KINDS: readonly DistanceKind[] = ['euclidean', 'squaredEuclidean', 'cosine'];

/**
 * Pairwise distances between the rows of `a` [n, d] and `b` [m, d] -> [n, m].
 * squaredEuclidean: |a|^2 - 2 a.b + |b|^2 (clamped at 0 against round-off);
 * euclidean: its square root; cosine: 1 - a.b / (|a| |b|) (rows of zero norm are an error).
 */
export function pairwiseDistance(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  kind: DistanceKind = 'euclidean',
): tf.Tensor2D {
  checkOneOf('pairwiseDistance', 'kind', kind, KINDS);
  checkRank('pairwiseDistance', 'a', a.shape, 2);
  checkRank('pairwiseDistance', 'b', b.shape, 2);
  if (a.shape[1] !== b.shape[1]) {
    throw new ShapeError('pairwiseDistance', 'b', b.shape, `${a.shape[1]} columns, as a`);
  }
  return tf.tidy((): tf.Tensor2D => {
    if (kind === 'cosine') {
      const an = tf.div(a, tf.norm(a, 'euclidean', 1, true));
      const bn = tf.div(b, tf.norm(b, 'euclidean', 1, true));
      return tf.sub(1, tf.matMul(an, bn, false, true)) as tf.Tensor2D;
    }
    const aa = tf.sum(tf.square(a), 1, true);
    const bb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
    const sq = tf.relu(tf.add(tf.sub(aa, tf.mul(2, tf.matMul(a, b, false, true))), bb));
    return (kind === 'squaredEuclidean' ? sq : tf.sqrt(sq)) as tf.Tensor2D;
  });
}
