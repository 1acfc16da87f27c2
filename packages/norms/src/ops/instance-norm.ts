import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, ShapeError } from '@face/core';
import { axesExcept, channelShape, checkChannelParam, resolveChannelAxis } from './axis';
import { normalize } from './normalize';

export interface InstanceNormOptions {
  /** Per-channel scale, shape [C]. */
  gamma?: tf.Tensor;
  /** Per-channel shift, shape [C]. */
  beta?: tf.Tensor;
  eps?: number;
  /** The channel axis; -1 (channels-last, NHWC) by default. */
  axis?: number;
}

/**
 * Instance normalization (Ulyanov et al. 2016): each channel of each sample is normalized by its
 * own mean and biased variance over the spatial positions, then a per-channel affine. As
 * `torch.nn.functional.instance_norm` without running statistics (PyTorch's default), which
 * also refuses a single spatial position.
 */
export function instanceNorm<T extends tf.Tensor>(x: T, options: InstanceNormOptions = {}): T {
  const fn = 'instanceNorm';
  const { gamma, beta, eps = 1e-5, axis = -1 } = options;
  checkNumber(fn, 'eps', eps, { min: 0 });
  if (x.rank < 3) {
    throw new ShapeError(fn, 'x', x.shape, 'rank >= 3 (batch, spatial..., channels)');
  }
  const channelAxis = resolveChannelAxis(fn, axis, x.shape);
  const channels = x.shape[channelAxis];
  const spatial = x.size / Math.max(x.shape[0] * channels, 1);
  if (x.size > 0 && spatial <= 1) {
    throw new ShapeError(fn, 'x', x.shape, 'more than one spatial position per channel');
  }
  checkChannelParam(fn, 'gamma', gamma, channels, channelAxis);
  checkChannelParam(fn, 'beta', beta, channels, channelAxis);
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, axesExcept(x.rank, [0, channelAxis]), true);
    const paramShape = channelShape(x.rank, channelAxis, channels);
    return normalize(x, mean, variance, eps, paramShape, gamma, beta) as T;
  });
}
