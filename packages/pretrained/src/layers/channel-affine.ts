import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { ShapeError } from '@face/core';
import {
  type BaseLayerArgs,
  type LayerShape as Shape,
  singleInput,
  singleShape,
} from '@face/norms';

/**
 * Per-channel affine transform over the last (channels) axis: y = x * gamma + beta.
 *
 * This is dlib's `affine` layer (`dlib/dnn/layers.h`): a batch normalization whose statistics
 * were folded into a scale and a shift after training, as Caffe's `Scale` layer with a bias term.
 */
export function channelAffine<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D): T {
  const channels = x.shape[x.rank - 1];
  for (const [name, p] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (p.rank !== 1 || p.shape[0] !== channels) {
      throw new ShapeError(
        'channelAffine',
        name,
        p.shape,
        `shape [${channels}] (the channels of x)`,
      );
    }
  }
  return tf.tidy(() => tf.add(tf.mul(x, gamma), beta));
}

/**
 * Layer form of {@link channelAffine}: trainable `gamma` (ones) and `beta` (zeros), one per
 * channel, channels last.
 */
export class ChannelAffine extends layers.Layer {
  static className = 'ChannelAffine';
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;

  constructor(args: BaseLayerArgs = {}) {
    super(args);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    const channels = shape[shape.length - 1];
    if (channels === null || channels === undefined) {
      throw new ShapeError(
        'ChannelAffine',
        'inputShape',
        shape.map((d) => d ?? -1),
        'a known channel (last) dimension',
      );
    }
    this.gamma = this.addWeight('gamma', [channels], 'float32', initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = singleInput('ChannelAffine', inputs);
    if (!this.gamma || !this.beta) throw new Error('ChannelAffine: call() before build()');
    return channelAffine(x, this.gamma.read() as tf.Tensor1D, this.beta.read() as tf.Tensor1D);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}

tf.serialization.registerClass(ChannelAffine);
