import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type WasmBackend, alloc, heapF32, heapI32, offsetOf, size } from './heap';

/**
 * out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s (ids outside [0, numSegments)
 * are dropped, as in TensorFlow). The gradient of `gather` (embedding / class-weight lookups).
 */
export const unsortedSegmentSum: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WasmBackend;
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(
      `@face/backends: wasm UnsortedSegmentSum supports float32 and int32, got ${x.dtype}`,
    );
  }
  const rows = size(segmentIds.shape);
  const inner = size(x.shape) / Math.max(rows, 1);
  const out = alloc(backend, [numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const heap = x.dtype === 'int32' ? heapI32(backend) : heapF32(backend);
  const ids = heapI32(backend);
  const xAt = offsetOf(backend, x);
  const idsAt = offsetOf(backend, segmentIds);
  const outAt = offsetOf(backend, out);
  heap.fill(0, outAt, outAt + numSegments * inner);
  for (let i = 0; i < rows; i++) {
    const s = ids[idsAt + i];
    if (s < 0 || s >= numSegments) continue;
    const from = xAt + i * inner;
    const to = outAt + s * inner;
    for (let k = 0; k < inner; k++) heap[to + k] += heap[from + k];
  }
  return out;
};
