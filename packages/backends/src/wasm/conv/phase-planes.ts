import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvGeometry, type PhaseGrid } from './geometry';
import { type WasmBackend, heapF32, offsetOf, zeros } from '../heap';
import { transposeStrided } from '../transpose2d';

/** Phases (a, b) some tap uses: a < kH and b < kW (a 1x1 filter with stride 2 uses one). */
export const usedPhases = (g: ConvGeometry) => [Math.min(g.sH, g.kH), Math.min(g.sW, g.kW)];

/**
 * The input x [N, H, W, C] (NHWC), zero-padded and split into stride phases, laid out
 * [pH, pW, C, N, rows, cols] (pH x pW the used phases): plane (a, b, c, n) holds
 * x[n, i*sH + a - padTop, j*sW + b - padLeft, c]. On a plane, the window a filter tap sees over
 * all valid outputs is ONE contiguous run of `outH * cols` elements (from q_h * cols + q_w),
 * which turns im2col into row copies; for a 1x1 filter the planes are the im2col matrix.
 */
export function channelMajorPhases(
  backend: WasmBackend,
  x: TensorInfo,
  g: ConvGeometry,
  grid: PhaseGrid,
): TensorInfo {
  const { batch: N, inH, inW, inC: C, sH, sW, padTop, padLeft } = g;
  const { rows, cols } = grid;
  const [pH, pW] = usedPhases(g);
  const plane = rows * cols;
  const cStride = N * plane;
  const out = zeros(backend, [pH * pW * C * cStride]);
  const heap = heapF32(backend);
  const xAt = offsetOf(backend, x);
  const outAt = offsetOf(backend, out);
  for (let n = 0; n < N; n++) {
    for (let h = 0; h < inH; h++) {
      const hp = h + padTop;
      const a = hp % sH;
      const i = (hp - a) / sH;
      if (a >= pH || i >= rows) continue;
      const rowAt = xAt + (n * inH + h) * inW * C;
      for (let b = 0; b < pW; b++) {
        // Columns j of phase b: w = j*sW + b - padLeft within [0, W) and j < cols.
        const j0 = Math.max(0, Math.ceil((padLeft - b) / sW));
        const j1 = Math.min(cols, Math.floor((inW - 1 + padLeft - b) / sW) + 1);
        if (j1 <= j0) continue;
        const dst = outAt + (a * pW + b) * C * cStride + n * plane + i * cols + j0;
        const src = rowAt + (j0 * sW + b - padLeft) * C;
        // Columns j0..j1 of this row, channel-major: a transpose of [j1 - j0, C].
        transposeStrided(heap, src, j1 - j0, C, sW * C, dst, cStride);
      }
    }
  }
  return out;
}

/**
 * x split into stride phases keeping channels last: [sH, sW, N, rows, cols, C*M] plus a zero
 * tail, each channel repeated M times (depth multiplier M). A tap's window over ALL images is
 * one contiguous run of the phase's [N*rows*cols, C*M] block, shifted by (q_h*cols + q_w) pixels.
 */
export function channelLastPhases(
  backend: WasmBackend,
  x: TensorInfo,
  g: ConvGeometry,
  grid: PhaseGrid,
): { phases: TensorInfo; phaseSize: number } {
  const { batch, inH, inW, inC: C, sH, sW, padTop, padLeft, multiplier: M } = g;
  const { rows, cols, qH, qW } = grid;
  const CM = C * M;
  const tail = (qH * cols + qW) * CM;
  const phaseSize = batch * rows * cols * CM + tail;
  const out = zeros(backend, [sH * sW * phaseSize]);
  const heap = heapF32(backend);
  const xAt = offsetOf(backend, x);
  const outAt = offsetOf(backend, out);
  for (let n = 0; n < batch; n++) {
    for (let h = 0; h < inH; h++) {
      const hp = h + padTop;
      const a = hp % sH;
      const i = (hp - a) / sH;
      if (i >= rows) continue;
      for (let w = 0; w < inW; w++) {
        const wp = w + padLeft;
        const b = wp % sW;
        const j = (wp - b) / sW;
        if (j >= cols) continue;
        const src = xAt + ((n * inH + h) * inW + w) * C;
        const dst = outAt + (a * sW + b) * phaseSize + ((n * rows + i) * cols + j) * CM;
        if (M === 1) heap.copyWithin(dst, src, src + C);
        else for (let c = 0; c < C; c++) heap.fill(heap[src + c], dst + c * M, dst + c * M + M);
      }
    }
  }
  return { phases: out, phaseSize };
}
