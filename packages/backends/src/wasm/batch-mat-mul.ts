import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { base } from './base';
import { type WasmBackend, alloc, free, freeView, heapF32, offsetOf, size, view } from './heap';
import { transpose2d } from './transpose2d';

/**
 * Batched matmul through the XNNPACK path of the wasm kernel, which it takes only for one
 * matrix pair without transposes (a transposed operand ran ~13x slower): transposed operands
 * are transposed explicitly first, and batches run pair by pair on views.
 */
export const batchMatMul: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WasmBackend;
  const { a, b: bb } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(bb.shape.slice(0, -2));
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), bb.shape.slice(0, -2));
  const batch = size(outer);
  const simple = batch === 1 && !transposeA && !transposeB;
  const sameOrOne = (n: number) => n === batch || n === 1;
  if (simple || a.dtype !== 'float32' || !sameOrOne(batchA) || !sameOrOne(batchB)) {
    return base('BatchMatMul', backend, { a, b: bb }, attrs);
  }
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = bb.shape.slice(-2);
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k) return base('BatchMatMul', backend, { a, b: bb }, attrs);

  // Each operand as batch x [rows, cols] without transposes.
  const plain = (t: TensorInfo, count: number, rows: number, cols: number, transpose: boolean) => {
    if (!transpose) return { t, owned: false };
    const out = alloc(backend, [count * rows * cols]);
    const heap = heapF32(backend);
    const src = offsetOf(backend, t);
    const dst = offsetOf(backend, out);
    for (let i = 0; i < count; i++) transpose2d(heap, src + i * rows * cols, rows, cols, dst + i * rows * cols);
    return { t: out, owned: true };
  };
  const A = plain(a, batchA, aRows, aCols, transposeA);
  const B = plain(bb, batchB, bRows, bCols, transposeB);
  const out = alloc(backend, [...outer, m, n]);
  for (let i = 0; i < batch; i++) {
    const va = view(backend, A.t, (batchA === 1 ? 0 : i) * m * k, [1, m, k]);
    const vb = view(backend, B.t, (batchB === 1 ? 0 : i) * k * n, [1, k, n]);
    const part = base('BatchMatMul', backend, { a: va, b: vb }, { transposeA: false, transposeB: false });
    freeView(backend, va);
    freeView(backend, vb);
    const heap = heapF32(backend);
    const at = offsetOf(backend, part);
    heap.copyWithin(offsetOf(backend, out) + i * m * n, at, at + m * n);
    free(backend, part);
  }
  if (A.owned) free(backend, A.t);
  if (B.owned) free(backend, B.t);
  return out;
};
