import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkInteger } from '@face/core';
import {
  type ActivationKind,
  type BlockOptions,
  chain,
  channelsOf,
  dropBlockLayer,
  inherited,
} from './block-options';
import { convNormAct } from './conv-norm-act';
import { addResidual } from './shortcut';

export interface InvertedResidualOptions extends BlockOptions {
  /** Output channels. */
  filters: number;
  /** Expansion factor t: the hidden width is t * input channels. Default 6 (MobileNetV2). */
  expansion?: number;
  strides?: number;
  /** Depthwise kernel. Default 3. */
  kernelSize?: number;
  /** Default 'relu6' (MobileNetV2); MobileFaceNet uses 'prelu'. */
  activation?: ActivationKind;
}

/**
 * Inverted residual with linear bottleneck (Sandler et al. 2018, Table 1): 1x1 expand to t*C
 * (skipped when t = 1) -> depthwise kxk (stride) -> 1x1 linear projection, each followed by a
 * norm; the input is added back when stride is 1 and the channels match. Layers
 * `<name>.expand.*`, `<name>.depthwise.*`, `<name>.project.*`, `<name>.add`, `<name>.dropblock`.
 */
export function invertedResidual(
  x: SymbolicTensor,
  options: InvertedResidualOptions,
): SymbolicTensor {
  const fn = 'invertedResidual';
  const { name, activation = 'relu6' } = options;
  const filters = checkInteger(fn, 'filters', options.filters, { min: 1 });
  const t = checkInteger(fn, 'expansion', options.expansion ?? 6, { min: 1 });
  const strides = checkInteger(fn, 'strides', options.strides ?? 1, { min: 1 });
  const kernelSize = checkInteger(fn, 'kernelSize', options.kernelSize ?? 3, { min: 1 });
  const inChannels = channelsOf(fn, x);
  const unit = { ...inherited(options), activation };
  let y = x;
  if (t !== 1) {
    y = convNormAct(y, {
      ...unit,
      name: `${name}.expand`,
      conv: 'pointwise',
      filters: inChannels * t,
    });
  }
  y = convNormAct(y, {
    ...unit,
    name: `${name}.depthwise`,
    conv: 'depthwise',
    kernelSize,
    strides,
  });
  y = convNormAct(y, {
    ...unit,
    name: `${name}.project`,
    conv: 'pointwise',
    filters,
    activation: 'linear',
  });
  if (strides === 1 && inChannels === filters) y = addResidual(y, x, name);
  return chain(y, dropBlockLayer(options.dropBlock, `${name}.dropblock`));
}
