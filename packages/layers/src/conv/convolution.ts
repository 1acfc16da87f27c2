import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { checkBoolean, checkInteger } from '@face/core';
import { type BaseLayerArgs, singleInput, singleShape } from '@face/norms';
import { channelsLast4d } from '../support/layer-support';
import { kernelInitializer, type KernelInitializer } from './initializers';
import { checkPadding, convOutputLength, type Padding } from './padding';

export interface ConvolutionArgs extends BaseLayerArgs {
  /** Square kernel size k. */
  kernelSize: number;
  /** Same stride on both spatial axes. Default 1. */
  strides?: number;
  /** Default `'valid'` (no padding, as both PyTorch and tfjs-layers default). */
  padding?: Padding;
  /** One bias per output channel. Default true (PyTorch's default). */
  useBias?: boolean;
  /** Default `'heNormal'` (He et al. 2015, truncated normal, fan-in). */
  kernelInitializer?: KernelInitializer;
  /** Seed of the kernel initializer, for reproducible models. */
  seed?: number | null;
}

/** A kernel a convolution layer owns: its weight name, shape, and depthwise fan-in correction. */
export interface KernelSpec {
  name: string;
  shape: number[];
  fanInCorrection?: number;
}

/**
 * Shared machinery of the NHWC convolution layers: weights created in `build`, optional bias,
 * PyTorch-style explicit padding, output shape, and config. A subclass says which kernels it has
 * and how it convolves.
 */
export abstract class Convolution extends layers.Layer {
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly useBias: boolean;
  readonly kernelInitializer: KernelInitializer;
  readonly seed: number | null;
  protected kernels: LayerVariable[] = [];
  protected bias?: LayerVariable;

  constructor(fn: string, args: ConvolutionArgs) {
    super(args);
    this.kernelSize = checkInteger(fn, 'kernelSize', args?.kernelSize, { min: 1 });
    this.strides = checkInteger(fn, 'strides', args.strides ?? 1, { min: 1 });
    this.padding = checkPadding(fn, args.padding ?? 'valid');
    this.useBias = checkBoolean(fn, 'useBias', args.useBias ?? true);
    this.kernelInitializer = args.kernelInitializer ?? 'heNormal';
    kernelInitializer(fn, this.kernelInitializer, undefined);
    this.seed = args.seed == null ? null : checkInteger(fn, 'seed', args.seed);
  }

  /** The kernels for `inChannels` input channels, in weight order. */
  protected abstract kernelSpecs(inChannels: number): KernelSpec[];
  /** Output channels for `inChannels` input channels. */
  abstract outputChannels(inChannels: number): number;
  /** The convolution proper, without bias. */
  protected abstract convolve(x: tf.Tensor4D, kernels: tf.Tensor4D[]): tf.Tensor4D;

  override build(inputShape: Shape | Shape[]): void {
    const fn = this.getClassName();
    const inChannels = channelsLast4d(fn, singleShape(inputShape));
    this.kernels = this.kernelSpecs(inChannels).map(({ name, shape, fanInCorrection }, i) =>
      this.addWeight(
        name,
        shape,
        'float32',
        kernelInitializer(
          fn,
          this.kernelInitializer,
          this.seed == null ? undefined : this.seed + i,
          fanInCorrection,
        ),
      ),
    );
    if (this.useBias) {
      const out = this.outputChannels(inChannels);
      this.bias = this.addWeight('bias', [out], 'float32', initializers.zeros());
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(this.getClassName(), inputs) as tf.Tensor4D;
      const y = this.convolve(
        x,
        this.kernels.map((k) => k.read() as tf.Tensor4D),
      );
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    const inChannels = channelsLast4d(this.getClassName(), shape);
    const length = (size: number | null) =>
      convOutputLength(size, this.kernelSize, this.strides, this.padding);
    return [shape[0], length(shape[1]), length(shape[2]), this.outputChannels(inChannels)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      seed: this.seed,
    };
  }
}
