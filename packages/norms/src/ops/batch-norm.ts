import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, InvalidArgumentError, ShapeError } from '@face/core';
import { axesExcept, channelShape, checkChannelParam, resolveChannelAxis } from './axis';
import { batchNormTraining } from './batch-norm-training';
import { normalize } from './normalize';

export interface BatchNormOptions {
  /** Batch statistics (and a running-statistics update) when true; running statistics when false. */
  training?: boolean;
  /** Per-channel running mean, shape [C]. */
  runningMean?: tf.Tensor;
  /** Per-channel running (unbiased) variance, shape [C]. */
  runningVariance?: tf.Tensor;
  /** Per-channel scale, shape [C]. */
  gamma?: tf.Tensor;
  /** Per-channel shift, shape [C]. */
  beta?: tf.Tensor;
  /** Weight of the new batch statistic in the running average (PyTorch's convention). */
  momentum?: number;
  /** Added to the variance before the square root. */
  eps?: number;
  /** The channel axis; -1 (channels-last, NHWC) by default. */
  axis?: number;
}

export type BatchNormOutput<T extends tf.Tensor> = {
  y: T;
  /** Updated running mean; only in training mode with running statistics given. */
  runningMean?: tf.Tensor1D;
  /** Updated running variance; only in training mode with running statistics given. */
  runningVariance?: tf.Tensor1D;
};

/**
 * Batch normalization (Ioffe & Szegedy 2015) with `torch.nn.functional.batch_norm` semantics,
 * but functional: the updated running statistics are returned instead of written in place.
 *
 * Training (or no running statistics): y = (x - mean_B) / sqrt(var_B + eps) * gamma + beta, with
 * mean_B and the biased var_B over every axis but the channel axis. Then
 *   running_mean <- (1 - momentum) * running_mean + momentum * mean_B
 *   running_var  <- (1 - momentum) * running_var  + momentum * var_B * n / (n - 1)
 * (n values per channel: PyTorch keeps the unbiased variance). Inference: the running statistics
 * replace mean_B and var_B.
 */
export function batchNorm<T extends tf.Tensor>(
  x: T,
  options: BatchNormOptions = {},
): BatchNormOutput<T> {
  const fn = 'batchNorm';
  const { training = false, runningMean, runningVariance, gamma, beta } = options;
  const { momentum = 0.1, eps = 1e-5, axis = -1 } = options;
  checkNumber(fn, 'momentum', momentum, { min: 0, max: 1 });
  checkNumber(fn, 'eps', eps, { min: 0 });
  if (x.rank < 2) throw new ShapeError(fn, 'x', x.shape, 'rank >= 2 (batch, ..., channels)');
  const channelAxis = resolveChannelAxis(fn, axis, x.shape);
  const channels = x.shape[channelAxis];
  for (const [name, p] of [
    ['runningMean', runningMean],
    ['runningVariance', runningVariance],
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    checkChannelParam(fn, name, p, channels, channelAxis);
  }
  if ((runningMean === undefined) !== (runningVariance === undefined)) {
    const missing = runningMean ? 'runningVariance' : 'runningMean';
    throw new InvalidArgumentError(fn, missing, undefined, 'given with its partner statistic');
  }
  const useBatchStats = training || runningMean === undefined;
  const count = x.size / Math.max(channels, 1);
  if (useBatchStats && x.shape[0] === 0) {
    throw new ShapeError(fn, 'x', x.shape, 'a non-empty batch to take batch statistics from');
  }
  if (training && count <= 1) {
    throw new ShapeError(
      fn,
      'x',
      x.shape,
      `more than one value per channel in training mode (got ${count})`,
    );
  }
  const paramShape = channelShape(x.rank, channelAxis, channels);
  return tf.tidy(() => {
    if (!useBatchStats) {
      const mean = tf.reshape(runningMean!, paramShape);
      const variance = tf.reshape(runningVariance!, paramShape);
      return { y: normalize(x, mean, variance, eps, paramShape, gamma, beta) as T };
    }
    const axes = axesExcept(x.rank, [channelAxis]);
    const { y, mean, variance } = batchNormTraining(x, axes, paramShape, eps, gamma, beta);
    try {
      if (!training || !runningMean || !runningVariance) return { y: y as T };
      const unbiased = tf.mul(variance, count / (count - 1));
      return {
        y: y as T,
        runningMean: runningAverage(runningMean, mean, momentum),
        runningVariance: runningAverage(runningVariance, unbiased, momentum),
      };
    } finally {
      tf.dispose([mean, variance]); // kept by batchNormTraining past its own scope
    }
  });
}

/** (1 - momentum) * running + momentum * observed. */
function runningAverage(running: tf.Tensor, observed: tf.Tensor, momentum: number): tf.Tensor1D {
  return tf.add(tf.mul(running, 1 - momentum), tf.mul(observed, momentum)) as tf.Tensor1D;
}
