import * as tf from '@tensorflow/tfjs-core';
import { checkInteger } from '@face/core';
import { Convolution, type ConvolutionArgs, type KernelSpec } from './convolution';

export interface DepthwiseConv2dArgs extends ConvolutionArgs {
  /** K: filters per input channel, so `out = K * in`. Default 1. */
  depthMultiplier?: number;
}

/**
 * Depthwise convolution: each input channel is convolved with its own K filters and never mixed
 * with the others. Kernel [k, k, M, K] (PyTorch: groups = M, weight [M*K, 1, k, k]); output
 * channel c*K + j is filter j of input channel c, in both. M*K*k^2 weights.
 */
export class DepthwiseConv2d extends Convolution {
  static className = 'DepthwiseConv2d';
  readonly depthMultiplier: number;

  constructor(args: DepthwiseConv2dArgs) {
    super('DepthwiseConv2d', args);
    this.depthMultiplier = checkInteger(
      'DepthwiseConv2d',
      'depthMultiplier',
      args.depthMultiplier ?? 1,
      {
        min: 1,
      },
    );
  }

  protected kernelSpecs(inChannels: number): KernelSpec[] {
    const k = this.kernelSize;
    return [
      {
        name: 'depthwise_kernel',
        shape: [k, k, inChannels, this.depthMultiplier],
        fanInCorrection: inChannels,
      },
    ];
  }

  outputChannels(inChannels: number): number {
    return inChannels * this.depthMultiplier;
  }

  protected convolve(x: tf.Tensor4D, [kernel]: tf.Tensor4D[]): tf.Tensor4D {
    return tf.depthwiseConv2d(x, kernel, this.strides, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), depthMultiplier: this.depthMultiplier };
  }
}
tf.serialization.registerClass(DepthwiseConv2d);
