import type * as tf from '@tensorflow/tfjs-core';
import type { layers, Shape } from '@tensorflow/tfjs-layers';
import { ShapeError } from '@face/core';

/** The arguments every tfjs-layers `Layer` takes (`name`, `trainable`, `inputShape`, ...). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** tfjs-layers passes one input either bare or in a one-element list (as the model executor does). */
export function singleInput(fn: string, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) {
    throw new ShapeError(fn, 'inputs', [inputs.length], 'exactly one input tensor');
  }
  return inputs[0];
}

/** The one input shape a single-input layer is built with. */
export function singleShape(inputShape: Shape | Shape[]): Shape {
  return Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape);
}

/** The training flag as tfjs-layers passes it: `model.apply(x, { training: true })`, `fit()`. */
export function isTraining(kwargs: Record<string, unknown> | undefined): boolean {
  return kwargs?.training === true;
}

export { checkBoolean } from '@face/core';

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
