import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { checkInteger, ShapeError } from '@face/core';
import {
  type BaseLayerArgs,
  type LayerShape as Shape,
  singleInput,
  singleShape,
} from '@face/norms';

/**
 * Appends zero channels to the last axis until it has `channels`. This is the parameter-free
 * shortcut for a residual block that widens its input: "identity mapping, with extra zero
 * entries padded for increasing dimensions" (He et al. 2016, Deep Residual Learning, option A).
 */
export function channelZeroPad<T extends tf.Tensor>(x: T, channels: number): T {
  checkInteger('channelZeroPad', 'channels', channels, { min: 1 });
  const have = x.shape[x.rank - 1];
  if (have > channels) {
    throw new ShapeError(
      'channelZeroPad',
      'x',
      x.shape,
      `at most ${channels} channels (last axis)`,
    );
  }
  if (have === channels) return tf.clone(x);
  const paddings = x.shape.map((_, axis): [number, number] =>
    axis === x.rank - 1 ? [0, channels - have] : [0, 0],
  );
  return tf.pad(x, paddings);
}

export interface ChannelZeroPaddingArgs extends BaseLayerArgs {
  /** Channels of the output; the input's channels are kept first, zeros follow. */
  channels: number;
}

/** Layer form of {@link channelZeroPad} (channels last). No weights. */
export class ChannelZeroPadding extends layers.Layer {
  static className = 'ChannelZeroPadding';
  readonly channels: number;

  constructor(args: ChannelZeroPaddingArgs) {
    super(args);
    this.channels = checkInteger('ChannelZeroPadding', 'channels', args?.channels, { min: 1 });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    const have = shape[shape.length - 1];
    if (have !== null && have > this.channels) {
      throw new ShapeError(
        'ChannelZeroPadding',
        'inputShape',
        shape.map((d) => d ?? -1),
        `at most ${this.channels} channels (last axis)`,
      );
    }
    return [...shape.slice(0, -1), this.channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return channelZeroPad(singleInput('ChannelZeroPadding', inputs), this.channels);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), channels: this.channels };
  }
}

tf.serialization.registerClass(ChannelZeroPadding);
