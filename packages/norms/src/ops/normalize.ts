import * as tf from '@tensorflow/tfjs-core';

/**
 * y = (x - mean) / sqrt(variance + eps) * gamma + beta, with `mean` and `variance` already shaped
 * to broadcast against x and gamma/beta reshaped to `paramShape`. Written in this order (not
 * x * scale + shift) so a large mean does not cancel away the float32 precision of the result.
 */
export function normalize(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  eps: number,
  paramShape: number[],
  gamma?: tf.Tensor,
  beta?: tf.Tensor,
): tf.Tensor {
  let inverseStd = tf.rsqrt(tf.add(variance, eps));
  if (gamma) inverseStd = tf.mul(inverseStd, tf.reshape(gamma, paramShape));
  const y = tf.mul(tf.sub(x, mean), inverseStd);
  return beta ? tf.add(y, tf.reshape(beta, paramShape)) : y;
}
