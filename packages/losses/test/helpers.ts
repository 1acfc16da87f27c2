import type * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@face/test-support';

type Values = number | number[] | number[][];

/** Values: 1e-5 relative (the tolerance), with an absolute floor for entries near 0. */
export const VALUE_RTOL = 1e-5;
/** Gradients: 1e-4 relative. */
export const GRAD_RTOL = 1e-4;

/**
 * Gradient agreement for a matrix whose rows (axis 1: embeddings) or columns (axis 0: class
 * weights) have very different norms. A cosine loss's gradient scales as 1 / ||x_i||, so rows of
 * one batch differ by 10 decades when the norms do; the comparison is made on the scale-free
 * gradients g_i ||x_i||: each entry within 1e-4 of its own value plus 1e-4 of the largest
 * scale-free entry of the matrix. (A well-classified sample's gradient is a float32 difference
 * 1 - p_y of ~1e-10: it is checked to that absolute accuracy, not relatively.)
 */
export function expectGradClose(
  actual: tf.Tensor,
  expected: number[][],
  point: number[][],
  axis: 0 | 1,
  what: string,
  rtol = GRAD_RTOL,
): void {
  const slices = (m: number[][]): number[][] =>
    axis === 1 ? m : m[0].map((_, j) => m.map((row) => row[j]));
  const norms = slices(point).map((v) => Math.hypot(...v));
  const scaled = (m: number[][]): number[][] =>
    slices(m).map((v, i) => v.map((g) => g * (norms[i] || 1)));
  const a = scaled(actual.arraySync() as number[][]);
  const e = scaled(expected);
  const scale = Math.max(...e.flat().map(Math.abs));
  e.forEach((row, i) =>
    expectClose(a[i], row, {
      rtol,
      atol: rtol * scale,
      what: `${what} ${axis ? 'row' : 'column'} ${i} (times its norm ${norms[i]})`,
    }),
  );
}

/**
 * Values within 1e-5 relative, with an absolute floor of 1e-6 of the largest expected magnitude
 * (a loss of 1e-16 next to one of 100 is float32 round-off of a difference of logits).
 */
export function expectValuesClose(
  actual: tf.Tensor | number,
  expected: Values,
  what: string,
): void {
  const flat = typeof expected === 'number' ? [expected] : (expected.flat() as number[]);
  const scale = Math.max(...flat.map(Math.abs));
  expectClose(actual, expected, { rtol: VALUE_RTOL, atol: 0.1 * VALUE_RTOL * scale, what });
}

export function allFinite(x: tf.Tensor): boolean {
  return Array.from(x.dataSync()).every(Number.isFinite);
}
