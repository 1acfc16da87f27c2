import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** What our kernels use of tfjs-backend-wasm's `BackendWasm` (stable across 4.x). */
export interface WasmBackend {
  wasm: {
    HEAPF32: Float32Array;
    HEAP32: Int32Array;
    HEAPU8: Uint8Array;
    tfjs: { disposeData(id: number): void };
  };
  dataIdMap: {
    get(dataId: DataId): { id: number; memoryOffset: number; shape: number[]; dtype: DataType };
    delete(dataId: DataId): boolean;
  };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
  incRef(dataId: DataId): void;
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Element offset of a float32/int32 tensor in the wasm heap. */
export function offsetOf(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset >>> 2;
}

/**
 * The heap as float32. Re-read after every allocation: growing the wasm memory replaces the
 * buffer, and emscripten then replaces `HEAPF32`.
 */
export const heapF32 = (backend: WasmBackend): Float32Array => backend.wasm.HEAPF32;
export const heapI32 = (backend: WasmBackend): Int32Array => backend.wasm.HEAP32;

/** A new uninitialized tensor on the wasm heap. */
export function alloc(backend: WasmBackend, shape: number[], dtype: DataType = 'float32') {
  return backend.makeOutput(shape, dtype);
}

/** A new tensor filled with zeros. */
export function zeros(backend: WasmBackend, shape: number[], dtype: DataType = 'float32') {
  const t = backend.makeOutput(shape, dtype);
  const at = offsetOf(backend, t);
  (dtype === 'int32' ? heapI32(backend) : heapF32(backend)).fill(0, at, at + size(shape));
  return t;
}

/** Releases intermediate tensors (never inputs: the engine owns those). */
export function free(backend: WasmBackend, ...ts: (TensorInfo | undefined)[]): void {
  for (const t of ts) if (t) backend.disposeData(t.dataId);
}

/** Same data, another shape; shares the dataId, so free only one of the two. */
export const withShape = (t: TensorInfo, shape: number[]): TensorInfo => ({ ...t, shape });

/**
 * A tensor over `count` elements of `t` starting at element `start`, without copying: for
 * feeding a part of a buffer to a wasm kernel. Release with `freeView`, never `free`.
 */
export function view(backend: WasmBackend, t: TensorInfo, start: number, shape: number[]) {
  const byteOffset = backend.dataIdMap.get(t.dataId).memoryOffset + start * 4;
  return backend.makeOutput(shape, t.dtype, byteOffset);
}

/** Unregisters a view without freeing the memory it points into. */
export function freeView(backend: WasmBackend, v: TensorInfo): void {
  const { id } = backend.dataIdMap.get(v.dataId);
  backend.dataIdMap.delete(v.dataId);
  backend.wasm.tfjs.disposeData(id);
}

/**
 * Returns `t` as a kernel output whose shape is `shape`: an input passed through gets its
 * reference count raised (the engine will release it once more).
 */
export function passThrough(backend: WasmBackend, t: TensorInfo, shape = t.shape): TensorInfo {
  backend.incRef(t.dataId);
  return { dataId: t.dataId, shape, dtype: t.dtype };
}
