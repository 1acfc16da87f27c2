import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, ShapeError } from '@face/core';

export interface LayerNormOptions {
  /** How many trailing axes are normalized together (PyTorch's `len(normalized_shape)`). */
  normalizedRank?: number;
  /** Added to the variance before the square root. PyTorch's default. */
  eps?: number;
  /** Scale, shaped like the normalized trailing axes. */
  gamma?: tf.Tensor;
  /** Shift, shaped like the normalized trailing axes. */
  beta?: tf.Tensor;
}

/**
 * Layer normalization (Ba et al. 2016): y = (x - mean) / sqrt(var + eps) * gamma + beta, with the
 * mean and the biased variance taken over the last `normalizedRank` axes of each sample, as
 * `torch.nn.functional.layer_norm`.
 */
export function layerNorm<T extends tf.Tensor>(x: T, options: LayerNormOptions = {}): T {
  const { normalizedRank = 1, eps = 1e-5, gamma, beta } = options;
  checkInteger('layerNorm', 'normalizedRank', normalizedRank, { min: 1 });
  checkNumber('layerNorm', 'eps', eps, { min: 0 });
  if (x.rank < normalizedRank) {
    throw new ShapeError('layerNorm', 'x', x.shape, `rank >= normalizedRank (${normalizedRank})`);
  }
  const normalizedShape = x.shape.slice(x.rank - normalizedRank);
  for (const [name, p] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (p && p.shape.join(',') !== normalizedShape.join(',')) {
      throw new ShapeError(
        'layerNorm',
        name,
        p.shape,
        `shape [${normalizedShape.join(', ')}] (the normalized axes of x)`,
      );
    }
  }
  return tf.tidy(() => {
    const axes = Array.from({ length: normalizedRank }, (_, i) => x.rank - normalizedRank + i);
    const { mean, variance } = tf.moments(x, axes, true);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    if (gamma) y = tf.mul(y, gamma);
    if (beta) y = tf.add(y, beta);
    return y as T;
  });
}
