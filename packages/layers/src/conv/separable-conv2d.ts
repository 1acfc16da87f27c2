import * as tf from '@tensorflow/tfjs-core';
import { checkInteger } from '@face/core';
import { Convolution, type ConvolutionArgs, type KernelSpec } from './convolution';

export interface SeparableConv2dArgs extends ConvolutionArgs {
  /** Output channels N. */
  filters: number;
  /** K filters per input channel in the depthwise stage. Default 1. */
  depthMultiplier?: number;
}

/**
 * Depthwise-separable convolution: a depthwise k x k convolution (with the stride and padding)
 * then a pointwise 1x1 one, with nothing in between (as Keras' SeparableConv2D; put a norm and an
 * activation between them with the `depthwiseSeparable` block instead). Kernels [k, k, M, K] and
 * [1, 1, M*K, N]: M*K*k^2 + N*M*K weights; the bias, if any, is the pointwise stage's.
 */
export class SeparableConv2d extends Convolution {
  static className = 'SeparableConv2d';
  readonly filters: number;
  readonly depthMultiplier: number;

  constructor(args: SeparableConv2dArgs) {
    super('SeparableConv2d', args);
    this.filters = checkInteger('SeparableConv2d', 'filters', args.filters, { min: 1 });
    this.depthMultiplier = checkInteger(
      'SeparableConv2d',
      'depthMultiplier',
      args.depthMultiplier ?? 1,
      {
        min: 1,
      },
    );
  }

  protected kernelSpecs(inChannels: number): KernelSpec[] {
    const k = this.kernelSize;
    const k2 = inChannels * this.depthMultiplier;
    return [
      {
        name: 'depthwise_kernel',
        shape: [k, k, inChannels, this.depthMultiplier],
        fanInCorrection: inChannels,
      },
      { name: 'pointwise_kernel', shape: [1, 1, k2, this.filters] },
    ];
  }

  outputChannels(): number {
    return this.filters;
  }

  protected convolve(x: tf.Tensor4D, [depthwise, pointwise]: tf.Tensor4D[]): tf.Tensor4D {
    const d = tf.depthwiseConv2d(x, depthwise, this.strides, this.padding);
    return tf.conv2d(d, pointwise, 1, 'valid');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, depthMultiplier: this.depthMultiplier };
  }
}
tf.serialization.registerClass(SeparableConv2d);
