import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type WasmBackend, alloc, heapF32, offsetOf } from './heap';

/**
 * Places t [N, H, W, C] at the top-left of a zero [N, rows, cols, C] (rows >= H, cols >= W).
 * Whole rows of W*C elements are single copies.
 */
export function padBottomRight(
  backend: WasmBackend,
  t: TensorInfo,
  rows: number,
  cols: number,
): TensorInfo {
  const [N, H, W, C] = t.shape;
  const out = alloc(backend, [N, rows, cols, C]);
  const heap = heapF32(backend);
  const src = offsetOf(backend, t);
  const dst = offsetOf(backend, out);
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < rows; r++) {
      const d = dst + (n * rows + r) * cols * C;
      if (r < H) {
        const s = src + (n * H + r) * W * C;
        heap.copyWithin(d, s, s + W * C);
        heap.fill(0, d + W * C, d + cols * C);
      } else heap.fill(0, d, d + cols * C);
    }
  }
  return out;
}

/**
 * t [N, H, W, C] cut or zero-extended on each side (negative = cut): the input a stride-1
 * correlation needs when its padding would be negative.
 */
export function padOrCrop(
  backend: WasmBackend,
  t: TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): TensorInfo {
  const [N, H, W, C] = t.shape;
  const rows = H + top + bottom;
  const cols = W + left + right;
  const out = alloc(backend, [N, rows, cols, C]);
  const heap = heapF32(backend);
  const src = offsetOf(backend, t);
  const dst = offsetOf(backend, out);
  const w0 = Math.max(0, -left);
  const w1 = Math.min(W, cols - left);
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < rows; r++) {
      const d = dst + (n * rows + r) * cols * C;
      const h = r - top;
      heap.fill(0, d, d + cols * C);
      if (h < 0 || h >= H || w1 <= w0) continue;
      const s = src + ((n * H + h) * W + w0) * C;
      heap.copyWithin(d + (w0 + left) * C, s, s + (w1 - w0) * C);
    }
  }
  return out;
}
