import * as tfl from '@tensorflow/tfjs-layers';
import { ChannelAffine } from '../layers/channel-affine';
import { ChannelZeroPadding } from '../layers/channel-zero-padding';

type SymbolicTensor = tfl.SymbolicTensor;

const apply = (layer: tfl.layers.Layer, x: SymbolicTensor | SymbolicTensor[]) =>
  layer.apply(x) as SymbolicTensor;

export interface ConvUnitOptions {
  filters: number;
  kernelSize: number;
  strides: number;
  padding: 'same' | 'valid';
  relu: boolean;
  kernelInitializer: 'heNormal' | 'zeros';
}

/**
 * dlib's `con` + `affine` (+ `relu`): a biased convolution, a per-channel scale and shift, and an
 * optional ReLU. Layers are named `<name>_conv`, `<name>_scale`, `<name>_relu`.
 */
export function convUnit(x: SymbolicTensor, name: string, o: ConvUnitOptions): SymbolicTensor {
  let y = apply(
    tfl.layers.conv2d({
      filters: o.filters,
      kernelSize: o.kernelSize,
      strides: o.strides,
      padding: o.padding,
      useBias: true,
      kernelInitializer: o.kernelInitializer,
      name: `${name}_conv`,
    }),
    x,
  );
  y = apply(new ChannelAffine({ name: `${name}_scale` }), y);
  return o.relu ? apply(tfl.layers.reLU({ name: `${name}_relu` }), y) : y;
}

/**
 * Basic residual block (He et al. 2016): relu(x + affine(conv3x3(relu(affine(conv3x3(x)))))),
 * dlib's `residual<block, ...>` with its `ares` unit. Layers are named `<block>_...`.
 */
export function residualBlock(
  x: SymbolicTensor,
  block: string,
  filters: number,
  kernelInitializer: ConvUnitOptions['kernelInitializer'],
): SymbolicTensor {
  const base = { filters, kernelSize: 3, strides: 1, padding: 'same' as const, kernelInitializer };
  let y = convUnit(x, `${block}_conv1`, { ...base, relu: true });
  y = convUnit(y, `${block}_conv2`, { ...base, relu: false });
  const sum = apply(tfl.layers.add({ name: `${block}_add` }), [y, x]);
  return apply(tfl.layers.reLU({ name: `${block}_relu` }), sum);
}

/**
 * Downsampling residual block, dlib's `residual_down` (`ares_down`): the branch's first 3x3
 * convolution has stride 2 without padding; the shortcut is a 2x2 average pool with stride 2,
 * widened with zero channels when the block widens (He et al. 2016, option A). When the branch
 * comes out smaller than the pooled shortcut (odd sizes), it gets zero rows and columns at its
 * bottom and right, as dlib's `add_prev` sums tensors of unequal size over their overlap.
 */
export function residualDownBlock(
  x: SymbolicTensor,
  block: string,
  filters: number,
  kernelInitializer: ConvUnitOptions['kernelInitializer'],
): SymbolicTensor {
  let y = convUnit(x, `${block}_conv1`, {
    filters,
    kernelSize: 3,
    strides: 2,
    padding: 'valid',
    relu: true,
    kernelInitializer,
  });
  y = convUnit(y, `${block}_conv2`, {
    filters,
    kernelSize: 3,
    strides: 1,
    padding: 'same',
    relu: false,
    kernelInitializer,
  });
  let shortcut = apply(
    tfl.layers.averagePooling2d({
      poolSize: 2,
      strides: 2,
      padding: 'valid',
      name: `${block}_shortcut_pool`,
    }),
    x,
  );
  if ((shortcut.shape[3] ?? 0) < filters) {
    shortcut = apply(
      new ChannelZeroPadding({ channels: filters, name: `${block}_shortcut_pad` }),
      shortcut,
    );
  }
  const dh = (shortcut.shape[1] ?? 0) - (y.shape[1] ?? 0);
  const dw = (shortcut.shape[2] ?? 0) - (y.shape[2] ?? 0);
  if (dh > 0 || dw > 0) {
    y = apply(
      tfl.layers.zeroPadding2d({
        padding: [
          [0, dh],
          [0, dw],
        ],
        name: `${block}_conv2_pad`,
      }),
      y,
    );
  }
  const sum = apply(tfl.layers.add({ name: `${block}_add` }), [y, shortcut]);
  return apply(tfl.layers.reLU({ name: `${block}_relu` }), sum);
}
