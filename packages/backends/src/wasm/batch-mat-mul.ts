import * as tf from '@tensorflow/tfjs-core';
import type { DataId, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { base, plainMatMul } from './base';
import {
  type WasmBackend,
  alloc,
  free,
  freeView,
  heapF32,
  offsetOf,
  size,
  view,
  withShape,
} from './heap';
import { transpose2d } from './transpose2d';

/** Right operands seen before: XNNPACK keeps their packed form, so reusing them is free. */
const seenAsRight = new WeakSet<DataId>();

/** t [rows, cols] transposed into a new [cols, rows] tensor. */
function transposed(
  backend: WasmBackend,
  t: TensorInfo,
  start: number,
  rows: number,
  cols: number,
) {
  const out = alloc(backend, [1, cols, rows]);
  transpose2d(heapF32(backend), offsetOf(backend, t) + start, rows, cols, offsetOf(backend, out));
  return out;
}

/**
 * Matmul through the one fast path of the wasm kernel: XNNPACK, for a single matrix pair
 * without transposes (a transposed operand ran ~13x slower). XNNPACK packs the right operand
 * on every call (~8 ns per element) unless it has seen that tensor before; a training step's
 * weights are new every step. So transposed operands are transposed explicitly (0.7 ns per
 * element), batches run pair by pair on views, and a product with fewer rows than columns
 * whose right operand is new is computed as C^T = B^T A^T, packing the smaller [k, m].
 */
export const batchMatMul: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WasmBackend;
  const { a, b: bb } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(bb.shape.slice(0, -2));
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    bb.shape.slice(0, -2),
  );
  const batch = size(outer);
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = bb.shape.slice(-2);
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const fits = (transposeB ? bCols : bRows) === k;
  const sameOrOne = (count: number) => count === batch || count === 1;
  if (
    a.dtype !== 'float32' ||
    bb.dtype !== 'float32' ||
    !fits ||
    !sameOrOne(batchA) ||
    !sameOrOne(batchB)
  ) {
    return base('BatchMatMul', backend, { a, b: bb }, attrs);
  }
  const seen = seenAsRight.has(bb.dataId);
  seenAsRight.add(bb.dataId);
  if (batch === 1 && !transposeA && !transposeB && (seen || m >= n)) {
    return base('BatchMatMul', backend, { a, b: bb }, attrs);
  }
  const out = alloc(backend, [...outer, m, n]);
  for (let i = 0; i < batch; i++) {
    const aAt = (batchA === 1 ? 0 : i) * m * k;
    const bAt = (batchB === 1 ? 0 : i) * k * n;
    const outAt = i * m * n;
    if (m < n && !seen) {
      // C^T [n, m] = B^T [n, k] x A^T [k, m]
      const left = transposeB
        ? view(backend, bb, bAt, [1, n, k])
        : transposed(backend, bb, bAt, k, n);
      const right = transposeA
        ? view(backend, a, aAt, [1, k, m])
        : transposed(backend, a, aAt, m, k);
      const ct = plainMatMul(backend, left, right);
      (transposeB ? freeView : free)(backend, left);
      (transposeA ? freeView : free)(backend, right);
      transpose2d(heapF32(backend), offsetOf(backend, ct), n, m, offsetOf(backend, out) + outAt);
      free(backend, ct);
    } else {
      const left = transposeA
        ? transposed(backend, a, aAt, k, m)
        : view(backend, a, aAt, [1, m, k]);
      const right = transposeB
        ? transposed(backend, bb, bAt, n, k)
        : view(backend, bb, bAt, [1, k, n]);
      const product = plainMatMul(backend, left, right);
      (transposeA ? free : freeView)(backend, left);
      (transposeB ? free : freeView)(backend, right);
      const heap = heapF32(backend);
      const at = offsetOf(backend, product);
      heap.copyWithin(offsetOf(backend, out) + outAt, at, at + m * n);
      free(backend, product);
    }
  }
  return withShape(out, [...outer, m, n]);
};
