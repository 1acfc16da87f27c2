import type * as tf from '@tensorflow/tfjs-core';
import { checkInteger, ShapeError } from '@face/core';

/**
 * Resolves a channel axis (negative counts from the end, -1 = channels-last) for a tensor of
 * rank `rank`. The batch axis 0 cannot be the channel axis.
 */
export function resolveChannelAxis(fn: string, axis: number, shape: readonly number[]): number {
  const rank = shape.length;
  checkInteger(fn, 'axis', axis, { min: -rank, max: rank - 1 });
  const resolved = axis < 0 ? rank + axis : axis;
  if (resolved === 0) {
    throw new ShapeError(
      fn,
      'x',
      shape,
      `a channel axis other than the batch axis 0 (axis ${axis})`,
    );
  }
  return resolved;
}

/** Every axis except those listed: the axes a statistic is reduced over. */
export function axesExcept(rank: number, keep: readonly number[]): number[] {
  return Array.from({ length: rank }, (_, i) => i).filter((i) => !keep.includes(i));
}

/** The shape a per-channel vector takes to broadcast against a rank-`rank` tensor. */
export function channelShape(rank: number, axis: number, channels: number): number[] {
  return Array.from({ length: rank }, (_, i) => (i === axis ? channels : 1));
}

/** Asserts an optional per-channel parameter has shape [channels]. */
export function checkChannelParam(
  fn: string,
  name: string,
  param: tf.Tensor | undefined,
  channels: number,
  axis: number,
): void {
  if (param && (param.rank !== 1 || param.shape[0] !== channels)) {
    throw new ShapeError(
      fn,
      name,
      param.shape,
      `shape [${channels}] (the channels of x along axis ${axis})`,
    );
  }
}
