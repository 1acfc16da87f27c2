import * as tf from '@tensorflow/tfjs-core';
import { checkInteger } from '@face/core';
import { Convolution, type ConvolutionArgs, type KernelSpec } from './convolution';

export interface Conv2dArgs extends ConvolutionArgs {
  /** Output channels N. */
  filters: number;
}

/**
 * Conventional convolution: every output channel sees every input channel. Kernel [k, k, M, N]
 * (tfjs HWIO; PyTorch's weight is [N, M, k, k]), N*M*k^2 weights.
 */
export class Conv2d extends Convolution {
  static className = 'Conv2d';
  readonly filters: number;

  constructor(args: Conv2dArgs) {
    super('Conv2d', args);
    this.filters = checkInteger('Conv2d', 'filters', args.filters, { min: 1 });
  }

  protected kernelSpecs(inChannels: number): KernelSpec[] {
    return [
      { name: 'kernel', shape: [this.kernelSize, this.kernelSize, inChannels, this.filters] },
    ];
  }

  outputChannels(): number {
    return this.filters;
  }

  protected convolve(x: tf.Tensor4D, [kernel]: tf.Tensor4D[]): tf.Tensor4D {
    return tf.conv2d(x, kernel, this.strides, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters };
  }
}
tf.serialization.registerClass(Conv2d);
