import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkInteger } from '@face/core';
import {
  type ActivationKind,
  type BlockOptions,
  chain,
  dropBlockLayer,
  inherited,
} from './block-options';
import { convNormAct } from './conv-norm-act';

export interface DepthwiseSeparableOptions extends BlockOptions {
  /** Output channels of the pointwise stage. */
  filters: number;
  /** Default 3. */
  kernelSize?: number;
  strides?: number;
  /** Filters per input channel in the depthwise stage. Default 1. */
  depthMultiplier?: number;
  /** Default 'relu' (MobileNet v1). */
  activation?: ActivationKind;
}

/**
 * Depthwise-separable block (MobileNet v1, Howard et al. 2017, Fig. 3): depthwise kxk -> norm ->
 * act -> pointwise 1x1 -> norm -> act. Layers `<name>.depthwise.*`, `<name>.pointwise.*`,
 * `<name>.dropblock`.
 */
export function depthwiseSeparable(
  x: SymbolicTensor,
  options: DepthwiseSeparableOptions,
): SymbolicTensor {
  const fn = 'depthwiseSeparable';
  const { name, activation = 'relu' } = options;
  const filters = checkInteger(fn, 'filters', options.filters, { min: 1 });
  const unit = { ...inherited(options), activation };
  const y = convNormAct(x, {
    ...unit,
    name: `${name}.depthwise`,
    conv: 'depthwise',
    kernelSize: options.kernelSize ?? 3,
    strides: options.strides,
    depthMultiplier: options.depthMultiplier,
  });
  const z = convNormAct(y, { ...unit, name: `${name}.pointwise`, conv: 'pointwise', filters });
  return chain(z, dropBlockLayer(options.dropBlock, `${name}.dropblock`));
}
