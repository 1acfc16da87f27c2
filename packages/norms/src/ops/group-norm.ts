import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, ShapeError } from '@face/core';
import { axesExcept, channelShape, checkChannelParam, resolveChannelAxis } from './axis';
import { normalize } from './normalize';

export interface GroupNormOptions {
  /** Number of channel groups G; the channels must divide by it. */
  groups: number;
  /** Per-channel scale, shape [C]. */
  gamma?: tf.Tensor;
  /** Per-channel shift, shape [C]. */
  beta?: tf.Tensor;
  eps?: number;
  /** The channel axis; -1 (channels-last, NHWC) by default. */
  axis?: number;
}

/**
 * Group normalization (Wu & He 2018, eq. 1-3): the C channels of each sample are split into G
 * groups of C/G consecutive channels, and each group is normalized by the mean and biased
 * variance over its channels and all spatial positions; then a per-channel affine. As
 * `torch.nn.functional.group_norm`; G = 1 is LayerNorm with per-channel affine, G = C is
 * InstanceNorm. Same in training and inference (no running statistics).
 */
export function groupNorm<T extends tf.Tensor>(x: T, options: GroupNormOptions): T {
  const fn = 'groupNorm';
  const { groups, gamma, beta, eps = 1e-5, axis = -1 } = options;
  checkInteger(fn, 'groups', groups, { min: 1 });
  checkNumber(fn, 'eps', eps, { min: 0 });
  if (x.rank < 2) throw new ShapeError(fn, 'x', x.shape, 'rank >= 2 (batch, ..., channels)');
  const channelAxis = resolveChannelAxis(fn, axis, x.shape);
  const channels = x.shape[channelAxis];
  if (channels % groups !== 0) {
    throw new ShapeError(
      fn,
      'x',
      x.shape,
      `a channel count (axis ${channelAxis}) divisible by groups = ${groups}`,
    );
  }
  checkChannelParam(fn, 'gamma', gamma, channels, channelAxis);
  checkChannelParam(fn, 'beta', beta, channels, channelAxis);
  return tf.tidy(() => {
    // [..., C, ...] -> [..., G, C/G, ...]: statistics over everything but the batch and G axes.
    const grouped = [
      ...x.shape.slice(0, channelAxis),
      groups,
      channels / groups,
      ...x.shape.slice(channelAxis + 1),
    ];
    const xg = tf.reshape(x, grouped);
    const { mean, variance } = tf.moments(xg, axesExcept(xg.rank, [0, channelAxis]), true);
    const yg = normalize(xg, mean, variance, eps, []);
    const paramShape = channelShape(x.rank, channelAxis, channels);
    let y = tf.reshape(yg, x.shape);
    if (gamma) y = tf.mul(y, tf.reshape(gamma, paramShape));
    if (beta) y = tf.add(y, tf.reshape(beta, paramShape));
    return y as T;
  });
}
