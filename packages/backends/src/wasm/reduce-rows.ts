import type { TensorInfo } from '@tensorflow/tfjs-core';
import { base } from './base';
import { type WasmBackend, heapF32, offsetOf, withShape } from './heap';

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
