import {
  DepthwiseConv2dNativeBackpropInput,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { base } from '../base';
import { type WasmBackend, alloc, free, heapF32, offsetOf, withShape } from '../heap';
import { convGeometry } from './geometry';
import { assembleInputGradient } from './input-gradient';

/**
 * dx[.., c] = sum over m and taps of dy[.., c*M + m] * w[kh, kw, c, m]: per stride phase, a
 * depthwise convolution (XNNPACK) of dy's C*M channels with the phase's taps reversed, then,
 * for a depth multiplier M > 1, a sum over m (an innermost-axis reduction, fast on wasm).
 */
export const depthwiseConv2dNativeBackpropInput: KernelFunc = ({
  inputs,
  backend: b,
  attrs = {},
}) => {
  const backend = b as unknown as WasmBackend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: number[] };
  const g = convGeometry(DepthwiseConv2dNativeBackpropInput, inputShape, filter.shape, attrs, true);
  const { kW, inC, sH, sW, multiplier: M } = g;
  const CM = inC * M;
  return assembleInputGradient(backend, dy, g, inC, (src, p, pad) => {
    const sub = alloc(backend, [p.tapsH, p.tapsW, CM, 1]);
    const heap = heapF32(backend);
    const w = offsetOf(backend, filter);
    const d = offsetOf(backend, sub);
    for (let th = 0; th < p.tapsH; th++) {
      const kh = p.a + sH * (p.tapsH - 1 - th);
      for (let tw = 0; tw < p.tapsW; tw++) {
        const kw = p.b + sW * (p.tapsW - 1 - tw);
        const from = w + (kh * kW + kw) * CM;
        heap.copyWithin(d + (th * p.tapsW + tw) * CM, from, from + CM);
      }
    }
    const out = base('DepthwiseConv2dNative', backend, { x: src, filter: sub }, {
      strides: [1, 1],
      pad,
      dilations: [1, 1],
      dimRoundingMode: undefined,
    } as never);
    free(backend, sub);
    if (M === 1) return out;
    const [n, h, ww] = out.shape;
    const summed = base(
      'Sum',
      backend,
      { x: withShape(out, [n, h, ww, inC, M]) },
      {
        axis: [4],
        keepDims: false,
      },
    );
    free(backend, out);
    return summed;
  });
};
