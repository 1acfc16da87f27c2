import type { Shape } from '@tensorflow/tfjs-layers';
import { ShapeError } from '@face/core';

// `BaseLayerArgs`, `singleInput`, `singleShape` and `isTraining` are @face/norms' (the lowest
// package with tfjs-layers); only what is particular to convolutions is here.

/** Asserts a rank-4 (NHWC) input shape with known channels; returns the channels. */
export function channelsLast4d(fn: string, shape: Shape): number {
  const channels = shape[3];
  if (shape.length !== 4 || channels == null) {
    throw new ShapeError(
      fn,
      'input',
      shape.map((d) => d ?? -1),
      'rank 4 (batch, height, width, channels) with known channels',
    );
  }
  return channels;
}
