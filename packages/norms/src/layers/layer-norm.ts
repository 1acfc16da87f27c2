import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { checkInteger, checkNumber, ShapeError } from '@face/core';
import { layerNorm } from '../ops/layer-norm';
import { type BaseLayerArgs, checkBoolean, singleInput, singleShape } from './layer-support';

export interface LayerNormArgs extends BaseLayerArgs {
  /**
   * How many trailing axes are normalized together (PyTorch's `len(normalized_shape)`), or
   * `'all'`: every axis but the batch axis, as `nn.LayerNorm(x.shape[1:])`. Default 1.
   */
  normalizedRank?: number | 'all';
  eps?: number;
  /** Learn an elementwise shift over the normalized axes (PyTorch `elementwise_affine`). Default true. */
  center?: boolean;
  /** Learn an elementwise scale over the normalized axes (PyTorch `elementwise_affine`). Default true. */
  scale?: boolean;
}

/**
 * Layer normalization ({@link layerNorm}) with PyTorch's elementwise affine: gamma and beta have
 * the shape of the normalized trailing axes (for a feature map normalized over `'all'`, that is
 * [H, W, C]; `GroupNorm` with `groups: 1` is the per-channel-affine variant).
 */
export class LayerNorm extends layers.Layer {
  static className = 'LayerNorm';
  readonly normalizedRank: number | 'all';
  readonly eps: number;
  readonly center: boolean;
  readonly scale: boolean;
  private rank = 1;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;

  constructor(args: LayerNormArgs = {}) {
    super(args);
    const fn = 'LayerNorm';
    const r = args.normalizedRank ?? 1;
    if (r !== 'all') checkInteger(fn, 'normalizedRank', r, { min: 1 });
    this.normalizedRank = r;
    this.eps = checkNumber(fn, 'eps', args.eps ?? 1e-5, { min: 0 });
    this.center = checkBoolean(fn, 'center', args.center ?? true);
    this.scale = checkBoolean(fn, 'scale', args.scale ?? true);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    this.rank = this.normalizedRank === 'all' ? shape.length - 1 : this.normalizedRank;
    const normalized = shape.slice(shape.length - this.rank);
    if (this.rank < 1 || this.rank >= shape.length || normalized.some((d) => d == null)) {
      throw new ShapeError(
        'LayerNorm',
        'input',
        shape.map((d) => d ?? -1),
        `rank > normalizedRank (${String(this.normalizedRank)}) and known sizes on the normalized axes`,
      );
    }
    const size = normalized as number[];
    if (this.scale) this.gamma = this.addWeight('gamma', size, 'float32', initializers.ones());
    if (this.center) this.beta = this.addWeight('beta', size, 'float32', initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return layerNorm(singleInput('LayerNorm', inputs), {
      normalizedRank: this.rank,
      eps: this.eps,
      gamma: this.gamma?.read(),
      beta: this.beta?.read(),
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      normalizedRank: this.normalizedRank,
      eps: this.eps,
      center: this.center,
      scale: this.scale,
    };
  }
}
tf.serialization.registerClass(LayerNorm);
