import * as tf from '@tensorflow/tfjs-core';
import { checkInteger } from '@face/core';
import { Convolution, type ConvolutionArgs, type KernelSpec } from './convolution';

export interface PointwiseConv2dArgs extends Omit<ConvolutionArgs, 'kernelSize' | 'padding'> {
  /** Output channels N. */
  filters: number;
}

/**
 * Pointwise (1x1) convolution: mixes channels at each position, a matrix product per pixel.
 * Kernel [1, 1, M, N], N*M weights.
 */
export class PointwiseConv2d extends Convolution {
  static className = 'PointwiseConv2d';
  readonly filters: number;

  constructor(args: PointwiseConv2dArgs) {
    super('PointwiseConv2d', { ...args, kernelSize: 1, padding: 'valid' });
    this.filters = checkInteger('PointwiseConv2d', 'filters', args.filters, { min: 1 });
  }

  protected kernelSpecs(inChannels: number): KernelSpec[] {
    return [{ name: 'kernel', shape: [1, 1, inChannels, this.filters] }];
  }

  outputChannels(): number {
    return this.filters;
  }

  protected convolve(x: tf.Tensor4D, [kernel]: tf.Tensor4D[]): tf.Tensor4D {
    return tf.conv2d(x, kernel, this.strides, 'valid');
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { kernelSize: _k, padding: _p, ...config } = super.getConfig();
    return { ...config, filters: this.filters };
  }
}
tf.serialization.registerClass(PointwiseConv2d);
