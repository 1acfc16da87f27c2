import type { layers, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkOneOf, InvalidArgumentError } from '@face/core';
import { Conv2d } from '../conv/conv2d';
import { CONV_KINDS, type ConvKind } from '../conv/count';
import { DepthwiseConv2d } from '../conv/depthwise-conv2d';
import type { Padding } from '../conv/padding';
import { PointwiseConv2d } from '../conv/pointwise-conv2d';
import { SeparableConv2d } from '../conv/separable-conv2d';
import {
  activationLayer,
  type ActivationKind,
  type BlockOptions,
  chain,
  dropBlockLayer,
  layerSeed,
  normLayer,
} from './block-options';

export interface ConvOptions {
  /** 'conventional' (default), 'depthwise', 'pointwise' or 'separable'. */
  conv?: ConvKind;
  /** Output channels; for depthwise, use depthMultiplier instead. */
  filters?: number;
  /** Default 3 (1 for pointwise). */
  kernelSize?: number;
  strides?: number;
  /** Default floor(kernelSize / 2): PyTorch-style symmetric "same" for odd kernels. */
  padding?: Padding;
  /** Depthwise and separable: filters per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default: false when a norm follows (its shift makes a bias redundant), else true. */
  useBias?: boolean;
}

/** One convolution layer of the given kind, named `name`. */
export function convLayer(
  options: ConvOptions & Pick<BlockOptions, 'kernelInitializer' | 'seed'>,
  name: string,
  defaultBias: boolean,
): layers.Layer {
  const fn = 'convLayer';
  const kind = checkOneOf(fn, 'conv', options.conv ?? 'conventional', CONV_KINDS);
  const kernelSize = kind === 'pointwise' ? 1 : (options.kernelSize ?? 3);
  const common = {
    name,
    strides: options.strides,
    useBias: options.useBias ?? defaultBias,
    kernelInitializer: options.kernelInitializer,
    seed: layerSeed(options.seed, name),
  };
  const padding = options.padding ?? Math.floor(kernelSize / 2);
  if (kind !== 'depthwise' && options.filters === undefined) {
    throw new InvalidArgumentError(
      fn,
      'filters',
      undefined,
      `a channel count for a ${kind} convolution`,
    );
  }
  const filters = options.filters!;
  switch (kind) {
    case 'conventional':
      return new Conv2d({ ...common, filters, kernelSize, padding });
    case 'pointwise':
      return new PointwiseConv2d({ ...common, filters });
    case 'depthwise':
      return new DepthwiseConv2d({
        ...common,
        kernelSize,
        padding,
        depthMultiplier: options.depthMultiplier,
      });
    case 'separable':
      return new SeparableConv2d({
        ...common,
        filters,
        kernelSize,
        padding,
        depthMultiplier: options.depthMultiplier,
      });
  }
}

export interface ConvNormActOptions extends BlockOptions, ConvOptions {
  /** Default 'relu'. */
  activation?: ActivationKind;
}

/**
 * conv -> norm -> activation (-> DropBlock): the unit every backbone is made of. Layers:
 * `<name>.conv`, `<name>.norm`, `<name>.act`, `<name>.dropblock`.
 */
export function convNormAct(x: SymbolicTensor, options: ConvNormActOptions): SymbolicTensor {
  const { name, norm = 'batch', activation = 'relu' } = options;
  return chain(
    x,
    convLayer(options, `${name}.conv`, norm === 'none'),
    normLayer(norm, `${name}.norm`),
    activationLayer(activation, `${name}.act`),
    dropBlockLayer(options.dropBlock, `${name}.dropblock`),
  );
}
