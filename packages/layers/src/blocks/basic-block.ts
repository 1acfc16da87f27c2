import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkInteger, checkOneOf } from '@face/core';
import {
  activationLayer,
  type ActivationKind,
  type BlockOptions,
  chain,
  channelsOf,
  dropBlockLayer,
  inherited,
  normLayer,
} from './block-options';
import { convLayer } from './conv-norm-act';
import { addResidual, shortcut } from './shortcut';

export type ResidualVariant = 'improved' | 'original';

export interface ResidualBlockOptions extends BlockOptions {
  /** Output channels. */
  filters: number;
  /** Stride of the block (1, or 2 to halve the map). Default 1. */
  strides?: number;
  /**
   * 'improved' (default): the IResNet unit of ArcFace (Deng et al. 2019, Fig. 7; Han et al.):
   * norm -> conv3x3 -> norm -> act -> conv3x3(stride) -> norm, plus the shortcut, nothing after.
   * 'original': He et al. 2016: conv3x3(stride) -> norm -> act -> conv3x3 -> norm, plus the
   * shortcut, then act.
   */
  variant?: ResidualVariant;
  /** Default 'prelu' for 'improved', 'relu' for 'original'. */
  activation?: ActivationKind;
}

/**
 * Residual basic block (two 3x3 convolutions). Layers `<name>.norm1`, `.conv1`, `.norm2`, `.act`,
 * `.conv2`, `.norm3` (improved) or `.conv1`, `.norm1`, `.act1`, `.conv2`, `.norm2`, `.act2`
 * (original), `.downsample.*`, `.add`, `.dropblock`.
 */
export function basicBlock(x: SymbolicTensor, options: ResidualBlockOptions): SymbolicTensor {
  const fn = 'basicBlock';
  const { name, norm = 'batch' } = options;
  const filters = checkInteger(fn, 'filters', options.filters, { min: 1 });
  const strides = checkInteger(fn, 'strides', options.strides ?? 1, { min: 1 });
  const variant = checkOneOf(fn, 'variant', options.variant ?? 'improved', [
    'improved',
    'original',
  ]);
  channelsOf(fn, x);
  const bias = norm === 'none';
  const conv = (id: string, s: number) =>
    convLayer(
      {
        ...inherited(options),
        conv: 'conventional',
        filters,
        kernelSize: 3,
        strides: s,
        padding: 1,
      },
      `${name}.${id}`,
      bias,
    );
  const identity = shortcut(x, filters, strides, options);
  const drop = dropBlockLayer(options.dropBlock, `${name}.dropblock`);
  if (variant === 'improved') {
    const act = activationLayer(options.activation ?? 'prelu', `${name}.act`);
    const branch = chain(
      x,
      normLayer(norm, `${name}.norm1`),
      conv('conv1', 1),
      normLayer(norm, `${name}.norm2`),
      act,
      conv('conv2', strides),
      normLayer(norm, `${name}.norm3`),
    );
    return chain(addResidual(branch, identity, name), drop);
  }
  const activation = options.activation ?? 'relu';
  const branch = chain(
    x,
    conv('conv1', strides),
    normLayer(norm, `${name}.norm1`),
    activationLayer(activation, `${name}.act1`),
    conv('conv2', 1),
    normLayer(norm, `${name}.norm2`),
  );
  return chain(
    addResidual(branch, identity, name),
    activationLayer(activation, `${name}.act2`),
    drop,
  );
}
