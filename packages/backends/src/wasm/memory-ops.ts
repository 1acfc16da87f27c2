import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { base } from './base';
import { type WasmBackend, alloc, passThrough, size } from './heap';

const bytesPer = (dtype: DataType): number => (dtype === 'bool' ? 1 : 4);

/**
 * Identity without a copy, as the cpu backend does: tensors are immutable, and the engine
 * clones every input a gradient saves (inputsToSave) through this kernel, so on wasm each
 * training step copied every saved activation.
 */
export const identity: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype === 'string') return base('Identity', backend as never, { x });
  return passThrough(backend as unknown as WasmBackend, x);
};

/** Cast to the same dtype without a copy (tf.cast(x, 'float32') on float32 x is common). */
export const cast: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const { dtype } = attrs as { dtype: DataType };
  if (dtype === x.dtype && dtype !== 'string') {
    return passThrough(backend as unknown as WasmBackend, x);
  }
  return base('Cast', backend as never, { x }, attrs);
};

/**
 * Tile by block copies (memmove): the wasm kernel computed every output index separately
 * (~70 ns per element); batch-norm gradients tile per-channel vectors over whole activations.
 * After the dimensions past d are complete for the first repetition, the block of dimension d
 * is copied reps[d] - 1 times.
 */
export const tile: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WasmBackend;
  const { x } = inputs as { x: TensorInfo };
  const { reps } = attrs as unknown as { reps: number[] };
  if (x.dtype === 'string' || x.shape.length === 0) return base('Tile', backend, { x }, attrs);
  const rank = x.shape.length;
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = alloc(backend, outShape, x.dtype);
  if (size(outShape) === 0) return out;
  const unit = bytesPer(x.dtype);
  const heap = backend.wasm.HEAPU8;
  const xAt = backend.dataIdMap.get(x.dataId).memoryOffset;
  const outAt = backend.dataIdMap.get(out.dataId).memoryOffset;
  const outStride = new Array<number>(rank);
  outStride[rank - 1] = unit;
  for (let i = rank - 2; i >= 0; i--) outStride[i] = outStride[i + 1] * outShape[i + 1];

  // Visits every index prefix (i_0..i_{d-1}) with i_k < x.shape[k]: the first repetition.
  const forEachPrefix = (d: number, visit: (outOffset: number, prefixIndex: number) => void) => {
    const count = size(x.shape.slice(0, d));
    const idx = new Array<number>(d).fill(0);
    for (let p = 0; p < count; p++) {
      let off = 0;
      for (let k = 0; k < d; k++) off += idx[k] * outStride[k];
      visit(off, p);
      for (let k = d - 1; k >= 0; k--) {
        if (++idx[k] < x.shape[k]) break;
        idx[k] = 0;
      }
    }
  };
  const last = rank - 1;
  const row = x.shape[last] * unit;
  forEachPrefix(last, (off, p) => {
    const dst = outAt + off;
    heap.copyWithin(dst, xAt + p * row, xAt + (p + 1) * row);
    for (let r = 1; r < reps[last]; r++) heap.copyWithin(dst + r * row, dst, dst + row);
  });
  for (let d = last - 1; d >= 0; d--) {
    if (reps[d] === 1) continue;
    const block = x.shape[d] * outStride[d];
    forEachPrefix(d, (off) => {
      const dst = outAt + off;
      for (let r = 1; r < reps[d]; r++) heap.copyWithin(dst + r * block, dst, dst + block);
    });
  }
  return out;
};
