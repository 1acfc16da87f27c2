import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { base } from './base';
import { type WasmBackend, alloc, size } from './heap';

/**
 * Slice by row copies within the heap: the wasm kernel first copied the WHOLE input out of the
 * heap (readSync) on every call, so slicing a small part of a large tensor cost the large one.
 */
export const slice: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = b as unknown as WasmBackend;
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype === 'string') return base('Slice', backend, { x }, attrs);
  const { begin, size: sizes } = attrs as unknown as {
    begin: number | number[];
    size: number | number[];
  };
  const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, sizes);
  const out = alloc(backend, extent, x.dtype);
  const count = size(extent);
  if (count === 0) return out;
  const unit = x.dtype === 'bool' ? 1 : 4;
  const heap = backend.wasm.HEAPU8;
  const xAt = backend.dataIdMap.get(x.dataId).memoryOffset;
  const outAt = backend.dataIdMap.get(out.dataId).memoryOffset;
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  if (rank === 0 || tf.slice_util.isSliceContinous(x.shape, start, extent)) {
    const from = xAt + tf.slice_util.computeFlatOffset(start, strides) * unit;
    heap.copyWithin(outAt, from, from + count * unit);
    return out;
  }
  const row = extent[rank - 1] * unit;
  const rows = count / extent[rank - 1];
  const idx = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let off = start[rank - 1];
    for (let d = 0; d < rank - 1; d++) off += (start[d] + idx[d]) * strides[d];
    heap.copyWithin(outAt + r * row, xAt + off * unit, xAt + off * unit + row);
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < extent[d]) break;
      idx[d] = 0;
    }
  }
  return out;
};
