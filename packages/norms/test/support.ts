import * as tf from '@tensorflow/tfjs-core';
import { expectClose, loadFixture } from '@face/test-support';

/** One PyTorch case from scripts/gen_norm_fixtures.py, all arrays flat in NCHW order. */
export interface NormCase {
  kind: 'batch' | 'group' | 'instance' | 'layer';
  train: boolean;
  shape: number[];
  eps: number;
  x: number[];
  w: number[];
  y: number[];
  dx: number[];
  gamma?: number[];
  beta?: number[];
  dgamma?: number[];
  dbeta?: number[];
  momentum?: number;
  running_mean?: number[];
  running_var?: number[];
  running_mean_after?: number[];
  running_var_after?: number[];
  groups?: number;
  affine?: boolean;
  normalized_rank?: number;
}

export interface RunningCase {
  momentum: number;
  shape: number[];
  steps: { x: number[]; running_mean: number[]; running_var: number[] }[];
  eval_x: number[];
  eval_y: number[];
}

export interface NormFixture {
  cases: NormCase[];
  running: RunningCase[];
}

export const fixture = loadFixture<NormFixture>(import.meta.url, 'norms');

/** Channels-first to channels-last: [N, C, ...spatial] -> [N, ...spatial, C]. */
export function toChannelsLast(t: tf.Tensor): tf.Tensor {
  const spatial = Array.from({ length: t.rank - 2 }, (_, i) => i + 2);
  return tf.transpose(t, [0, ...spatial, 1]);
}

/** A flat NCHW array as a tensor, channels-first or channels-last. */
export function nchw(values: number[], shape: number[], layout: 'first' | 'last'): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(values, shape);
    return layout === 'first' ? t : toChannelsLast(t);
  });
}

/** Forward 1e-5 relative; gradients 1e-4 relative, with an absolute floor at the data's scale. */
export const FORWARD = { rtol: 1e-5, atol: 1e-6 };
export const GRADIENT = { rtol: 1e-4, atol: 1e-5 };

export const casesOf = (kind: NormCase['kind']): [string, NormCase][] =>
  fixture.cases
    .filter((c) => c.kind === kind)
    .map((c) => [
      `[${c.shape.join(', ')}] ${c.train ? 'train' : 'eval'}${c.groups ? ` groups ${c.groups}` : ''}`,
      c,
    ]);

/**
 * Runs `forward` on the case's input in `layout` and checks y and the gradients of sum(y * w)
 * with respect to x, gamma and beta against PyTorch. `params` maps the flat PyTorch gamma/beta
 * to the tensor the op takes (identity reshape for per-channel parameters).
 */
export function checkAgainstTorch(
  c: NormCase,
  layout: 'first' | 'last',
  forward: (x: tf.Tensor, gamma?: tf.Tensor, beta?: tf.Tensor) => tf.Tensor,
  params: (flat: number[]) => tf.Tensor = (flat) => tf.tensor1d(flat),
): void {
  const check = (actual: tf.Tensor, expected: tf.Tensor, what: string, tol: object) =>
    expectClose(actual, expected, { ...tol, what: `${c.kind} ${layout} ${what}` });
  tf.tidy(() => {
    const x = nchw(c.x, c.shape, layout);
    const w = nchw(c.w, c.shape, layout);
    const hasAffine = c.gamma !== undefined;
    const gamma = hasAffine ? params(c.gamma!) : undefined;
    const beta = hasAffine ? params(c.beta!) : undefined;
    const loss = (...args: tf.Tensor[]) => tf.sum(tf.mul(forward(args[0], args[1], args[2]), w));
    const inputs = hasAffine ? [x, gamma!, beta!] : [x];
    check(forward(x, gamma, beta), nchw(c.y, c.shape, layout), 'y', FORWARD);
    const grads = tf.grads(loss)(inputs);
    check(grads[0], nchw(c.dx, c.shape, layout), 'dx', GRADIENT);
    if (hasAffine) {
      check(grads[1], params(c.dgamma!), 'dgamma', GRADIENT);
      check(grads[2], params(c.dbeta!), 'dbeta', GRADIENT);
    }
  });
}
