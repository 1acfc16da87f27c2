import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkInteger, checkOneOf } from '@face/core';
import {
  activationLayer,
  chain,
  channelsOf,
  dropBlockLayer,
  inherited,
  normLayer,
} from './block-options';
import type { ResidualBlockOptions } from './basic-block';
import { convLayer } from './conv-norm-act';
import { addResidual, shortcut } from './shortcut';

export interface BottleneckBlockOptions extends ResidualBlockOptions {
  /** Output channels = filters * expansion. Default 4 (He et al. 2016). */
  expansion?: number;
}

/**
 * Residual bottleneck: 1x1 reduce to `filters`, 3x3 (with the stride, as torchvision's
 * ResNet v1.5), 1x1 expand to `filters * expansion`. 'original': conv-norm-act, conv-norm-act,
 * conv-norm, add, act. 'improved': a leading norm, no activation after the add (the IResNet
 * ordering). Layers `<name>.norm0` (improved), `.conv1..3`, `.norm1..3`, `.act1`, `.act2`,
 * `.act3` (original), `.downsample.*`, `.add`, `.dropblock`.
 */
export function bottleneckBlock(
  x: SymbolicTensor,
  options: BottleneckBlockOptions,
): SymbolicTensor {
  const fn = 'bottleneckBlock';
  const { name, norm = 'batch' } = options;
  const filters = checkInteger(fn, 'filters', options.filters, { min: 1 });
  const expansion = checkInteger(fn, 'expansion', options.expansion ?? 4, { min: 1 });
  const strides = checkInteger(fn, 'strides', options.strides ?? 1, { min: 1 });
  const variant = checkOneOf(fn, 'variant', options.variant ?? 'improved', [
    'improved',
    'original',
  ]);
  channelsOf(fn, x);
  const improved = variant === 'improved';
  const activation = options.activation ?? (improved ? 'prelu' : 'relu');
  const bias = norm === 'none';
  const conv = (id: string, out: number, kernelSize: number, s: number) =>
    convLayer(
      {
        ...inherited(options),
        filters: out,
        kernelSize,
        strides: s,
        padding: Math.floor(kernelSize / 2),
      },
      `${name}.${id}`,
      bias,
    );
  const out = filters * expansion;
  const identity = shortcut(x, out, strides, options);
  const branch = chain(
    x,
    improved ? normLayer(norm, `${name}.norm0`) : null,
    conv('conv1', filters, 1, 1),
    normLayer(norm, `${name}.norm1`),
    activationLayer(activation, `${name}.act1`),
    conv('conv2', filters, 3, strides),
    normLayer(norm, `${name}.norm2`),
    activationLayer(activation, `${name}.act2`),
    conv('conv3', out, 1, 1),
    normLayer(norm, `${name}.norm3`),
  );
  return chain(
    addResidual(branch, identity, name),
    improved ? null : activationLayer(activation, `${name}.act3`),
    dropBlockLayer(options.dropBlock, `${name}.dropblock`),
  );
}
