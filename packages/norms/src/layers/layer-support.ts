import type * as tf from '@tensorflow/tfjs-core';
import { type layers } from '@tensorflow/tfjs-layers';
import { ShapeError } from '@face/core';

// The small pieces every single-input tfjs-layers `Layer` of @face needs. They live here, in the
// lowest package that depends on tfjs-layers, and @face/layers and @face/pretrained import them,
// so a layer written in any package reads its inputs and shapes the same way.

/** The arguments every tfjs-layers `Layer` takes (`name`, `trainable`, `inputShape`, ...). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** A layer's shape as tfjs-layers gives it: `null` for an unknown (batch) dimension. */
export type LayerShape = (number | null)[];

/**
 * The one input of a single-input layer's `call()`: tfjs-layers passes it either bare or in a
 * one-element list (as the model executor does). More than one is a {@link ShapeError} naming `fn`.
 */
export function singleInput(fn: string, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) {
    throw new ShapeError(fn, 'inputs', [inputs.length], 'exactly one input tensor');
  }
  return inputs[0];
}

/** The one input shape a single-input layer's `build()` / `computeOutputShape()` receives. */
export function singleShape(inputShape: LayerShape | LayerShape[]): LayerShape {
  return Array.isArray(inputShape[0]) ? (inputShape[0] as LayerShape) : (inputShape as LayerShape);
}

/**
 * The training flag as tfjs-layers passes it: `model.apply(x, { training: true })`, `fit()`; the
 * default (`predict()`, `apply(x)`) is inference.
 */
export function isTraining(kwargs: Record<string, unknown> | undefined): boolean {
  return kwargs?.training === true;
}

/** A layer's input shape with the channel axis resolved, checked against a minimum rank. */
export function channelsOf(
  fn: string,
  inputShape: LayerShape,
  axis: number,
  minRank: number,
): { axis: number; channels: number } {
  const rank = inputShape.length;
  const shape = inputShape.map((d) => d ?? -1);
  if (rank < minRank) throw new ShapeError(fn, 'input', shape, `rank >= ${minRank}`);
  const resolved = axis < 0 ? rank + axis : axis;
  const channels = inputShape[resolved];
  if (resolved <= 0 || resolved >= rank || channels == null) {
    throw new ShapeError(fn, 'input', shape, `a known channel count on axis ${axis}`);
  }
  return { axis: resolved, channels };
}

export { checkBoolean } from '@face/core';
