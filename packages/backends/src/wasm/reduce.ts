import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { base } from './base';
import { type WasmBackend, size, withShape } from './heap';
import { reduceRows } from './reduce-rows';

/**
 * x viewed as [B, R, C] with the reduction over R (C > 1), when the reduced axes are one
 * contiguous run (ignoring size-1 axes) that is not innermost; otherwise null.
 */
function asRows(shape: number[], axes: number[]): [number, number, number] | null {
  const reduced = new Set(axes);
  const kept = shape.map((d, i) => ({ d, r: reduced.has(i) })).filter(({ d }) => d !== 1);
  const first = kept.findIndex(({ r }) => r);
  if (first < 0) return null;
  let end = first;
  while (end < kept.length && kept[end].r) end++;
  if (kept.slice(end).some(({ r }) => r) || end === kept.length) return null;
  const prod = (xs: { d: number }[]) => xs.reduce((a, { d }) => a * d, 1);
  return [prod(kept.slice(0, first)), prod(kept.slice(first, end)), prod(kept.slice(end))];
}

const reduction =
  (name: 'Sum' | 'Mean', op: 'sum' | 'mean'): KernelFunc =>
  ({ inputs, backend: b, attrs }) => {
    const backend = b as unknown as WasmBackend;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const rows = x.dtype === 'float32' && size(x.shape) > 0 ? asRows(x.shape, axes) : null;
    if (!rows) return base(name, backend, { x }, attrs);
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const out = reduceRows(backend, x, rows[0], rows[1], rows[2], op);
    return withShape(
      out,
      keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape,
    );
  };

/** Sum and Mean over leading or middle axes as an average pool (see `reduceRows`). */
export const sum = reduction('Sum', 'sum');
export const mean = reduction('Mean', 'mean');
