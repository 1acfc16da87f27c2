import { Conv2DBackpropFilter, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { plainMatMul } from '../base';
import {
  type WasmBackend,
  alloc,
  free,
  freeView,
  heapF32,
  offsetOf,
  view,
  withShape,
} from '../heap';
import { padBottomRight } from '../layout';
import { transpose2d } from '../transpose2d';
import { convGeometry, phaseGrid } from './geometry';
import { channelMajorPhases, usedPhases } from './phase-planes';

/**
 * Output positions per matmul (its inner dimension). XNNPACK's matmul does not block the inner
 * dimension, so past ~1 MiB of packed right-hand side ([positions, Co]) it streams from memory;
 * chunks sized to stay near that ran ~2-4x faster than one large matmul here.
 */
const chunkPositions = (outC: number) => Math.max(512, Math.floor((1 << 18) / outC));

/**
 * dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*s + kh - pt, ow*s + kw - pl, ci] * dy[n, oh, ow, co]
 * as plain matmuls im2col[K, M] x dyGrid[M, Co] (K = kH*kW*Ci rows ordered like the filter, M =
 * output positions on the phase grid). Each row of im2col is a contiguous run of a phase plane,
 * and dy is zero on the grid's extra columns, so the grid's overcount adds nothing.
 */
export const conv2DBackpropFilter: KernelFunc = ({ inputs, backend: b, attrs = {} }) => {
  const backend = b as unknown as WasmBackend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: number[] };
  const g = convGeometry(Conv2DBackpropFilter, x.shape, filterShape, attrs, false);
  const grid = phaseGrid(g);
  const { batch, inC, outH, outC, kH, kW, sH, sW } = g;
  const { cols, rows } = grid;
  const [, pW] = usedPhases(g);
  const plane = rows * cols;
  const cStride = batch * plane;
  const K = kH * kW * inC;

  if (kH === 1 && kW === 1 && sH === 1 && sW === 1 && g.padTop === 0 && g.padLeft === 0) {
    return pointwise(backend, x, dy, inC, outC, filterShape);
  }
  const phases = channelMajorPhases(backend, x, g, grid);
  // For a 1x1 filter (rows = outH, cols = outW) the grid is dy itself.
  const dyGrid = cols === g.outW ? dy : padBottomRight(backend, dy, outH, cols);
  let result: TensorInfo | undefined;
  const gridRows = batch * outH;
  const chunkRows = Math.max(1, Math.min(gridRows, Math.round(chunkPositions(outC) / cols)));
  for (let g0 = 0; g0 < gridRows; g0 += chunkRows) {
    const g1 = Math.min(gridRows, g0 + chunkRows);
    const M = (g1 - g0) * cols;
    const im2col = alloc(backend, [1, K, M]);
    const heap = heapF32(backend);
    const colsAt = offsetOf(backend, im2col);
    const phasesAt = offsetOf(backend, phases);
    for (let kh = 0; kh < kH; kh++) {
      const a = kh % sH;
      const qh = (kh - a) / sH;
      for (let kw = 0; kw < kW; kw++) {
        const bb = kw % sW;
        const qw = (kw - bb) / sW;
        for (let ci = 0; ci < inC; ci++) {
          let dst = colsAt + ((kh * kW + kw) * inC + ci) * M;
          const planeAt = phasesAt + ((a * pW + bb) * inC + ci) * cStride + qh * cols + qw;
          for (let gr = g0; gr < g1;) {
            const n = Math.floor(gr / outH);
            const oh = gr - n * outH;
            const run = Math.min(g1, (n + 1) * outH) - gr;
            const src = planeAt + n * plane + oh * cols;
            heap.copyWithin(dst, src, src + run * cols);
            dst += run * cols;
            gr += run;
          }
        }
      }
    }
    const dyChunk = view(backend, dyGrid, g0 * cols * outC, [1, M, outC]);
    const part = plainMatMul(backend, im2col, dyChunk);
    freeView(backend, dyChunk);
    free(backend, im2col);
    result = accumulate(backend, result, part);
  }
  free(backend, phases, dyGrid === dy ? undefined : dyGrid);
  return withShape(result!, filterShape);
};

/**
 * 1x1, stride 1, no padding (the pointwise convs of MobileFaceNet and bottlenecks): x is
 * [positions, Ci] and dy [positions, Co], and dW = x^T dy. Per chunk of positions, the wider of
 * the two is transposed into the left operand and the other is used in place as the right one:
 * XNNPACK packs the right operand on every call, which costs less against more left rows.
 */
function pointwise(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  inC: number,
  outC: number,
  filterShape: number[],
): TensorInfo {
  const positions = x.shape[0] * x.shape[1] * x.shape[2];
  // dW^T = dy^T x when Co > Ci, transposed back at the end.
  const flip = outC > inC;
  const [left, right, rows, cols] = flip ? [dy, x, outC, inC] : [x, dy, inC, outC];
  const chunk = Math.min(positions, chunkPositions(cols));
  let result: TensorInfo | undefined;
  for (let m0 = 0; m0 < positions; m0 += chunk) {
    const M = Math.min(chunk, positions - m0);
    const lhs = alloc(backend, [1, rows, M]);
    transpose2d(
      heapF32(backend),
      offsetOf(backend, left) + m0 * rows,
      M,
      rows,
      offsetOf(backend, lhs),
    );
    const rhs = view(backend, right, m0 * cols, [1, M, cols]);
    const part = plainMatMul(backend, lhs, rhs);
    freeView(backend, rhs);
    free(backend, lhs);
    result = accumulate(backend, result, part);
  }
  if (!flip) return withShape(result!, filterShape);
  const dw = alloc(backend, filterShape);
  transpose2d(heapF32(backend), offsetOf(backend, result!), outC, inC, offsetOf(backend, dw));
  free(backend, result);
  return dw;
}

/** acc + part (freeing part), or part itself first. */
function accumulate(
  backend: WasmBackend,
  acc: TensorInfo | undefined,
  part: TensorInfo,
): TensorInfo {
  if (!acc) return part;
  const h = heapF32(backend);
  const from = offsetOf(backend, part);
  const to = offsetOf(backend, acc);
  const n = part.shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < n; i++) h[to + i] += h[from + i];
  free(backend, part);
  return acc;
}
