import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { applyLayer, type BlockOptions, chain, inherited, normLayer } from './block-options';
import { convLayer } from './conv-norm-act';

/**
 * The residual shortcut: identity when shape is kept, else a strided 1x1 convolution and a norm
 * (`<name>.downsample.conv`, `<name>.downsample.norm`; He et al. 2016, option B).
 */
export function shortcut(
  x: SymbolicTensor,
  filters: number,
  strides: number,
  options: BlockOptions,
): SymbolicTensor {
  if (strides === 1 && x.shape[3] === filters) return x;
  const { name, norm = 'batch' } = options;
  return chain(
    x,
    convLayer(
      { ...inherited(options), conv: 'pointwise', filters, strides },
      `${name}.downsample.conv`,
      norm === 'none',
    ),
    normLayer(norm, `${name}.downsample.norm`),
  );
}

/** branch + shortcut, named `<name>.add`. */
export function addResidual(branch: SymbolicTensor, identity: SymbolicTensor, name: string) {
  return applyLayer(layers.add({ name: `${name}.add` }), [branch, identity]);
}
