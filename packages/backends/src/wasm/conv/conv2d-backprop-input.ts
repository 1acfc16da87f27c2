import { Conv2DBackpropInput, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { base } from '../base';
import { type WasmBackend, alloc, free, heapF32, offsetOf } from '../heap';
import { convGeometry } from './geometry';
import { assembleInputGradient } from './input-gradient';

/**
 * dx as forward convolutions (XNNPACK) of dy: one stride-1 convolution per stride phase with
 * that phase's taps, reversed, input and output channels swapped: w'[t_h, t_w, co, ci] =
 * w[a + sH*(tH-1-t_h), b + sW*(tW-1-t_w), ci, co]. See `inputPhases`.
 */
export const conv2DBackpropInput: KernelFunc = ({ inputs, backend: b, attrs = {} }) => {
  const backend = b as unknown as WasmBackend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: number[] };
  const g = convGeometry(Conv2DBackpropInput, inputShape, filter.shape, attrs, false);
  const { kW, inC, outC, sH, sW } = g;
  return assembleInputGradient(backend, dy, g, inC, (src, p, pad) => {
    const sub = alloc(backend, [p.tapsH, p.tapsW, outC, inC]);
    const heap = heapF32(backend);
    const w = offsetOf(backend, filter);
    const d = offsetOf(backend, sub);
    for (let th = 0; th < p.tapsH; th++) {
      const kh = p.a + sH * (p.tapsH - 1 - th);
      for (let tw = 0; tw < p.tapsW; tw++) {
        const kw = p.b + sW * (p.tapsW - 1 - tw);
        const from = w + (kh * kW + kw) * inC * outC;
        const to = d + (th * p.tapsW + tw) * outC * inC;
        for (let ci = 0; ci < inC; ci++) {
          for (let co = 0; co < outC; co++) heap[to + co * inC + ci] = heap[from + ci * outC + co];
        }
      }
    }
    const out = base('Conv2D', backend, { x: src, filter: sub }, {
      strides: [1, 1],
      pad,
      dilations: [1, 1],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    } as never);
    free(backend, sub);
    return out;
  });
};
