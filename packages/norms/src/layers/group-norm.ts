import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { checkInteger, checkNumber, ShapeError } from '@face/core';
import { groupNorm } from '../ops/group-norm';
import {
  type BaseLayerArgs,
  channelsOf,
  checkBoolean,
  singleInput,
  singleShape,
} from './layer-support';

export interface GroupNormArgs extends BaseLayerArgs {
  /** Number of channel groups; must divide the channels. */
  groups: number;
  /** Channel axis: -1 (channels-last) by default. */
  axis?: number;
  eps?: number;
  /** Learn a per-channel shift (PyTorch `affine`). Default true. */
  center?: boolean;
  /** Learn a per-channel scale (PyTorch `affine`). Default true. */
  scale?: boolean;
}

/** Group normalization ({@link groupNorm}); the same computation in training and inference. */
export class GroupNorm extends layers.Layer {
  static className = 'GroupNorm';
  readonly groups: number;
  readonly axis: number;
  readonly eps: number;
  readonly center: boolean;
  readonly scale: boolean;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;

  constructor(args: GroupNormArgs) {
    super(args);
    const fn = 'GroupNorm';
    this.groups = checkInteger(fn, 'groups', args?.groups, { min: 1 });
    this.axis = checkInteger(fn, 'axis', args.axis ?? -1);
    this.eps = checkNumber(fn, 'eps', args.eps ?? 1e-5, { min: 0 });
    this.center = checkBoolean(fn, 'center', args.center ?? true);
    this.scale = checkBoolean(fn, 'scale', args.scale ?? true);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    const { axis, channels } = channelsOf('GroupNorm', shape, this.axis, 2);
    if (channels % this.groups !== 0) {
      throw new ShapeError(
        'GroupNorm',
        'input',
        shape.map((d) => d ?? -1),
        `a channel count (axis ${axis}) divisible by groups = ${this.groups}`,
      );
    }
    if (this.scale)
      this.gamma = this.addWeight('gamma', [channels], 'float32', initializers.ones());
    if (this.center)
      this.beta = this.addWeight('beta', [channels], 'float32', initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return groupNorm(singleInput('GroupNorm', inputs), {
      groups: this.groups,
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
      groups: this.groups,
      axis: this.axis,
      eps: this.eps,
      center: this.center,
      scale: this.scale,
    };
  }
}
tf.serialization.registerClass(GroupNorm);
