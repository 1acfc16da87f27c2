import * as tf from '@tensorflow/tfjs-core';

export type Numeric = tf.Tensor | ArrayLike<number> | number | NestedNumbers;
export interface NestedNumbers extends ReadonlyArray<number | NestedNumbers> {}

export interface CloseOptions {
  /** Relative tolerance: |a - e| <= atol + rtol * |e| (numpy.allclose). */
  rtol?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Label for the failure message. */
  what?: string;
}

function flatten(x: Numeric): { values: Float64Array; shape: number[] | null } {
  if (x instanceof tf.Tensor) return { values: Float64Array.from(x.dataSync()), shape: x.shape };
  if (typeof x === 'number') return { values: Float64Array.of(x), shape: [] };
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') out.push(v);
    else if (v && typeof (v as ArrayLike<unknown>).length === 'number') {
      for (let i = 0; i < (v as ArrayLike<unknown>).length; i++) walk((v as ArrayLike<unknown>)[i]);
    } else throw new TypeError(`expectClose: cannot read ${String(v)} as a number`);
  };
  walk(x);
  return { values: Float64Array.from(out), shape: null };
}

/**
 * Asserts `actual` and `expected` agree elementwise within `atol + rtol * |expected|`,
 * with equal shapes when both are tensors. NaN equals NaN only where both are NaN.
 * Throws with the worst element's index and values.
 */
export function expectClose(actual: Numeric, expected: Numeric, options: CloseOptions = {}): void {
  const { rtol = 1e-5, atol = 1e-7, what = 'value' } = options;
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.shape && e.shape && a.shape.join(',') !== e.shape.join(',')) {
    throw new Error(`${what}: shape [${a.shape}] differs from expected [${e.shape}]`);
  }
  if (a.values.length !== e.values.length) {
    throw new Error(`${what}: ${a.values.length} elements, expected ${e.values.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.values.length; i++) {
    const av = a.values[i];
    const ev = e.values[i];
    if (Number.isNaN(av) || Number.isNaN(ev)) {
      if (Number.isNaN(av) !== Number.isNaN(ev)) {
        worst = i;
        worstExcess = Infinity;
      }
      continue;
    }
    if (av === ev) continue; // covers equal infinities
    const excess = Math.abs(av - ev) - (atol + rtol * Math.abs(ev));
    if (excess > worstExcess || (excess > 0 && worst < 0) || Number.isNaN(excess)) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worst >= 0) {
    const av = a.values[worst];
    const ev = e.values[worst];
    throw new Error(
      `${what}: element ${worst} is ${av}, expected ${ev} ` +
        `(|diff| ${Math.abs(av - ev)} > atol ${atol} + rtol ${rtol} * |expected|)`,
    );
  }
}

/** max |a - e| / max(|e|, tiny): one number to report agreement in notes and benches. */
export function maxRelativeError(actual: Numeric, expected: Numeric): number {
  const a = flatten(actual).values;
  const e = flatten(expected).values;
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < e.length; i++) {
    scale = Math.max(scale, Math.abs(e[i]));
    diff = Math.max(diff, Math.abs(a[i] - e[i]));
  }
  return diff / Math.max(scale, Number.MIN_VALUE);
}
