import type { TensorInfo } from '@tensorflow/tfjs-core';
import { base } from './base';
import { type WasmBackend, alloc, heapF32, offsetOf, withShape } from './heap';

/**
 * XNNPACK's average pool corrupts memory from 16384 channels on (seen as "memory access out of
 * bounds" later); wider rows are summed in JS instead.
 */
const MAX_POOL_CHANNELS = 8192;

/**
 * Mean (or sum) over the rows of t viewed as [B, R, C] -> [B, C], as one XNNPACK average pool
 * with an R x 1 window: the wasm Sum/Mean kernels reduce only innermost axes fast and first
 * transpose otherwise, which made leading-axis reductions (bias and batch-norm gradients) ~10x
 * slower than the pool.
 */
export function reduceRows(
  backend: WasmBackend,
  t: TensorInfo,
  B: number,
  R: number,
  C: number,
  op: 'mean' | 'sum',
): TensorInfo {
  if (C > MAX_POOL_CHANNELS) return reduceRowsJs(backend, t, B, R, C, op);
  const out = base('AvgPool', backend, { x: withShape(t, [B, R, 1, C]) }, {
    filterSize: [R, 1],
    strides: [R, 1],
    pad: 'valid',
    dimRoundingMode: undefined,
  } as never);
  if (op === 'sum' && R !== 1) {
    const heap = heapF32(backend);
    const at = offsetOf(backend, out);
    for (let i = at; i < at + B * C; i++) heap[i] *= R;
  }
  return withShape(out, [B, C]);
}

/** Row sums in JS (float64 accumulators): wide rows, where a row add is already long. */
function reduceRowsJs(
  backend: WasmBackend,
  t: TensorInfo,
  B: number,
  R: number,
  C: number,
  op: 'mean' | 'sum',
): TensorInfo {
  const out = alloc(backend, [B, C]);
  const heap = heapF32(backend);
  const src = offsetOf(backend, t);
  const dst = offsetOf(backend, out);
  const acc = new Float64Array(C);
  const scale = op === 'mean' ? 1 / R : 1;
  for (let b = 0; b < B; b++) {
    acc.fill(0);
    for (let r = 0; r < R; r++) {
      const row = src + (b * R + r) * C;
      for (let c = 0; c < C; c++) acc[c] += heap[row + c];
    }
    for (let c = 0; c < C; c++) heap[dst + b * C + c] = acc[c] * scale;
  }
  return out;
}
