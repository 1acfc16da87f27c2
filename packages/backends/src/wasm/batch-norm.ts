import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { base } from './base';
import { type WasmBackend, alloc, free, heapF32, offsetOf } from './heap';

/**
 * Batch norm with per-channel statistics as (x - mean) * s + offset, s = scale / sqrt(var + eps)
 * computed per channel first: three broadcast kernels at ~1 ns per element, where the wasm
 * kernel took ~5. (x - mean) comes first, as in the cpu kernel, so large means lose nothing.
 */
export const fusedBatchNorm: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WasmBackend;
  const { x, mean, variance, offset, scale } = inputs as Record<string, TensorInfo | undefined>;
  const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
  const C = x!.shape[x!.shape.length - 1];
  const perChannel = (t: TensorInfo | undefined) =>
    t == null || (t.shape.length === 1 && t.shape[0] === C && t.dtype === 'float32');
  if (
    x!.dtype !== 'float32' ||
    mean == null ||
    variance == null ||
    ![mean, variance, offset, scale].every(perChannel)
  ) {
    return base('FusedBatchNorm', backend, inputs as Record<string, TensorInfo>, attrs);
  }
  const s = alloc(backend, [C]);
  const heap = heapF32(backend);
  const at = { s: offsetOf(backend, s), v: offsetOf(backend, variance) };
  const scaleAt = scale ? offsetOf(backend, scale) : -1;
  for (let c = 0; c < C; c++) {
    heap[at.s + c] =
      (scaleAt < 0 ? 1 : heap[scaleAt + c]) / Math.sqrt(heap[at.v + c] + varianceEpsilon);
  }
  const centered = base('Sub', backend, { a: x!, b: mean });
  const scaled = base('Multiply', backend, { a: centered, b: s });
  free(backend, centered, s);
  if (!offset) return scaled;
  const out = base('Add', backend, { a: scaled, b: offset });
  free(backend, scaled);
  return out;
};
