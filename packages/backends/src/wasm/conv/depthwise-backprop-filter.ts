import {
  DepthwiseConv2dNativeBackpropFilter,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { base } from '../base';
import {
  type WasmBackend,
  alloc,
  free,
  freeView,
  heapF32,
  offsetOf,
  view,
  withShape,
  zeros,
} from '../heap';
import { padBottomRight } from '../layout';
import { reduceRows } from '../reduce-rows';
import { convGeometry, isGlobal, phaseGrid } from './geometry';
import { channelLastPhases } from './phase-planes';

/**
 * dW[kh, kw, c, m] = sum over n, oh, ow of x[n, oh*s + kh - pt, ow*s + kw - pl, c] * dy[n, oh, ow, c*M + m].
 * On the phase grid (x's channels repeated M times, dy zero outside the valid outputs) each
 * tap is one elementwise product of two contiguous [P, C*M] blocks, reduced over P by an
 * average pool: two memory-bound wasm passes per tap instead of a scalar JS loop.
 */
export const depthwiseConv2dNativeBackpropFilter: KernelFunc = ({
  inputs,
  backend: b,
  attrs = {},
}) => {
  const backend = b as unknown as WasmBackend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: number[] };
  const g = convGeometry(DepthwiseConv2dNativeBackpropFilter, x.shape, filterShape, attrs, true);
  const grid = phaseGrid(g);
  const { batch, inC, kH, kW, sH, sW, multiplier } = g;
  const { rows, cols } = grid;
  const CM = inC * multiplier;
  const P = batch * rows * cols;
  if (multiplier === 1 && isGlobal(g)) {
    // GDC (one output pixel over the whole input): dW[k, c] = sum_n x[n, k, c] * dy[n, c], a
    // few MACs per weight; in JS (the wasm broadcast multiply took ~40 ns per element here).
    const taps = kH * kW;
    const dw = zeros(backend, filterShape);
    const heap = heapF32(backend);
    const [xAt, dyAt, dwAt] = [offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dw)];
    for (let n = 0; n < batch; n++) {
      for (let k = 0; k < taps; k++) {
        const row = xAt + (n * taps + k) * inC;
        const to = dwAt + k * inC;
        const d = dyAt + n * inC;
        for (let c = 0; c < inC; c++) heap[to + c] += heap[row + c] * heap[d + c];
      }
    }
    return dw;
  }
  const { phases, phaseSize } = channelLastPhases(backend, x, g, grid);
  const dyGrid = withShape(padBottomRight(backend, dy, rows, cols), [P, CM]);
  const result = alloc(backend, [kH, kW, inC, multiplier]);
  for (let kh = 0; kh < kH; kh++) {
    const a = kh % sH;
    const qh = (kh - a) / sH;
    for (let kw = 0; kw < kW; kw++) {
      const bb = kw % sW;
      const qw = (kw - bb) / sW;
      const start = (a * sW + bb) * phaseSize + (qh * cols + qw) * CM;
      const window = view(backend, phases, start, [P, CM]);
      const product = base('Multiply', backend, { a: window, b: dyGrid });
      freeView(backend, window);
      const tap = reduceRows(backend, product, 1, P, CM, 'sum');
      free(backend, product);
      const heap = heapF32(backend);
      const from = offsetOf(backend, tap);
      heap.copyWithin(offsetOf(backend, result) + (kh * kW + kw) * CM, from, from + CM);
      free(backend, tap);
    }
  }
  free(backend, phases, dyGrid);
  return result;
};
