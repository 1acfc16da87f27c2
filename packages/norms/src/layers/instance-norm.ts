import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { checkInteger, checkNumber } from '@face/core';
import { instanceNorm } from '../ops/instance-norm';
import {
  type BaseLayerArgs,
  channelsOf,
  checkBoolean,
  singleInput,
  singleShape,
} from './layer-support';

export interface InstanceNormArgs extends BaseLayerArgs {
  /** Channel axis: -1 (channels-last) by default. */
  axis?: number;
  eps?: number;
  /** Learn a per-channel shift. Default false, as PyTorch's `affine=False`. */
  center?: boolean;
  /** Learn a per-channel scale. Default false, as PyTorch's `affine=False`. */
  scale?: boolean;
}

/**
 * Instance normalization ({@link instanceNorm}), PyTorch's `InstanceNorm2d` defaults: no affine,
 * no running statistics, so training and inference compute the same thing.
 */
export class InstanceNorm extends layers.Layer {
  static className = 'InstanceNorm';
  readonly axis: number;
  readonly eps: number;
  readonly center: boolean;
  readonly scale: boolean;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;

  constructor(args: InstanceNormArgs = {}) {
    super(args);
    const fn = 'InstanceNorm';
    this.axis = checkInteger(fn, 'axis', args.axis ?? -1);
    this.eps = checkNumber(fn, 'eps', args.eps ?? 1e-5, { min: 0 });
    this.center = checkBoolean(fn, 'center', args.center ?? false);
    this.scale = checkBoolean(fn, 'scale', args.scale ?? false);
  }

  override build(inputShape: Shape | Shape[]): void {
    const { channels } = channelsOf('InstanceNorm', singleShape(inputShape), this.axis, 3);
    if (this.scale)
      this.gamma = this.addWeight('gamma', [channels], 'float32', initializers.ones());
    if (this.center)
      this.beta = this.addWeight('beta', [channels], 'float32', initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return instanceNorm(singleInput('InstanceNorm', inputs), {
      gamma: this.gamma?.read(),
      beta: this.beta?.read(),
      eps: this.eps,
      axis: this.axis,
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      eps: this.eps,
      center: this.center,
      scale: this.scale,
    };
  }
}
tf.serialization.registerClass(InstanceNorm);
