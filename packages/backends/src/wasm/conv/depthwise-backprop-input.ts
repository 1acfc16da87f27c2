import {
  DepthwiseConv2dNativeBackpropInput,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { base } from '../base';
import { type WasmBackend, alloc, free, heapF32, offsetOf, withShape, zeros } from '../heap';
import { type ConvGeometry, convGeometry, isGlobal } from './geometry';
import { assembleInputGradient } from './input-gradient';

/**
 * dx[.., c] = sum over m and taps of dy[.., c*M + m] * w[kh, kw, c, m]: an XNNPACK depthwise
 * convolution of dy's C*M channels with the taps reversed, then, for a depth multiplier M > 1,
 * a sum over m (an innermost-axis reduction, fast on wasm). With stride s, dy is spread on the
 * input grid with zeros between (the "transposed convolution" of Dumoulin & Visin, A guide to
 * convolution arithmetic, 2016, sec. 4): unlike a full convolution, a depthwise one is cheap
 * enough that the s*s wasted taps cost less than s*s small phase convolutions (~5x here).
 * A depthwise conv over the whole input (GDC: one output pixel) is a broadcast product.
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
  const { kH, kW, inC, multiplier: M } = g;
  const CM = inC * M;
  const sumOverM = (t: TensorInfo) => {
    if (M === 1) return t;
    const [n, h, w] = t.shape;
    const s = base(
      'Sum',
      backend,
      { x: withShape(t, [n, h, w, inC, M]) },
      { axis: [4], keepDims: false },
    );
    free(backend, t);
    return s;
  };
  if (isGlobal(g)) {
    // dx[n, h, w, c*M + m] = dy[n, 0, 0, c*M + m] * w[h, w, c, m]
    const product = base('Multiply', backend, { a: dy, b: withShape(filter, [1, kH, kW, CM]) });
    return sumOverM(product);
  }
  const reversed = (
    tapsH: number,
    tapsW: number,
    tap: (th: number, tw: number) => [number, number],
  ) => {
    const sub = alloc(backend, [tapsH, tapsW, CM, 1]);
    const heap = heapF32(backend);
    const w = offsetOf(backend, filter);
    const d = offsetOf(backend, sub);
    for (let th = 0; th < tapsH; th++) {
      for (let tw = 0; tw < tapsW; tw++) {
        const [kh, kw] = tap(th, tw);
        const from = w + (kh * kW + kw) * CM;
        heap.copyWithin(d + (th * tapsW + tw) * CM, from, from + CM);
      }
    }
    return sub;
  };
  const depthwise = (x: TensorInfo, f: TensorInfo, pad: unknown) => {
    const out = base('DepthwiseConv2dNative', backend, { x, filter: f }, {
      strides: [1, 1],
      pad,
      dilations: [1, 1],
      dimRoundingMode: undefined,
    } as never);
    free(backend, f);
    return out;
  };
  if (g.sH === 1 && g.sW === 1) {
    return assembleInputGradient(backend, dy, g, inC, (src, p, pad) =>
      sumOverM(
        depthwise(
          src,
          reversed(p.tapsH, p.tapsW, (th, tw) => [kH - 1 - th, kW - 1 - tw]),
          pad,
        ),
      ),
    );
  }
  const spread = spreadOnInputGrid(backend, dy, g);
  const out = depthwise(
    spread,
    reversed(kH, kW, (th, tw) => [kH - 1 - th, kW - 1 - tw]),
    'valid',
  );
  free(backend, spread);
  return sumOverM(out);
};

/**
 * dy placed at (kH - 1 - padTop + oh*sH, kW - 1 - padLeft + ow*sW) of a zero
 * [N, H + kH - 1, W + kW - 1, C*M]: a 'valid' stride-1 correlation of it with the reversed
 * filter is dx. Positions that fall outside (outputs that saw only padding) are dropped.
 */
function spreadOnInputGrid(backend: WasmBackend, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch, inH, inW, outH, outW, kH, kW, sH, sW, padTop, padLeft } = g;
  const CM = g.inC * g.multiplier;
  const rows = inH + kH - 1;
  const cols = inW + kW - 1;
  const out = zeros(backend, [batch, rows, cols, CM]);
  const heap = heapF32(backend);
  const src = offsetOf(backend, dy);
  const dst = offsetOf(backend, out);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      const r = kH - 1 - padTop + oh * sH;
      if (r < 0 || r >= rows) continue;
      for (let ow = 0; ow < outW; ow++) {
        const c = kW - 1 - padLeft + ow * sW;
        if (c < 0 || c >= cols) continue;
        const s = src + ((n * outH + oh) * outW + ow) * CM;
        heap.copyWithin(dst + ((n * rows + r) * cols + c) * CM, s, s + CM);
      }
    }
  }
  return out;
}
