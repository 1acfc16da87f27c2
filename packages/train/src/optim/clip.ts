import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkNumber } from '@face/core';

/** Gradients keyed by name (as `tf.variableGrads` returns them); null entries are skipped. */
export type NamedGradients = Readonly<Record<string, tf.Tensor | null | undefined>>;

/**
 * Rescales all gradients together so their global norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_` (1.13):
 *   total = || (||g_1||_p, ..., ||g_n||_p) ||_p      (p = Infinity: max |g|)
 *   g_i <- g_i * min(1, maxNorm / (total + 1e-6))
 * Returns new gradient tensors and the total norm before clipping (the caller owns and disposes
 * them; `grads` is not disposed).
 */
export function clipGradNorm(
  grads: NamedGradients,
  maxNorm: number,
  { normType = 2 }: { normType?: 1 | 2 | typeof Infinity } = {},
): { grads: Record<string, tf.Tensor>; totalNorm: tf.Scalar } {
  const fn = 'clipGradNorm';
  checkNumber(fn, 'maxNorm', maxNorm, { min: 0, exclusiveMin: true });
  if (normType !== 1 && normType !== 2 && normType !== Infinity) {
    throw new InvalidArgumentError(fn, 'normType', normType, '1, 2 or Infinity');
  }
  const entries = Object.entries(grads).filter((e): e is [string, tf.Tensor] => e[1] != null);
  if (entries.length === 0)
    throw new InvalidArgumentError(fn, 'grads', grads, 'at least one gradient');
  return tf.tidy(() => {
    const norms = entries.map(([, g]) =>
      normType === Infinity ? tf.max(tf.abs(g)) : tf.norm(tf.reshape(g, [-1]), normType),
    );
    const total: tf.Scalar =
      normType === Infinity
        ? (tf.max(tf.stack(norms)) as tf.Scalar)
        : (tf.norm(tf.stack(norms), normType) as tf.Scalar);
    const coef = tf.minimum(tf.div(maxNorm, tf.add(total, 1e-6)), 1);
    const out: Record<string, tf.Tensor> = {};
    for (const [name, g] of entries) out[name] = tf.mul(g, coef);
    return { grads: out, totalNorm: total };
  });
}

/** Clips every gradient element into [-clipValue, clipValue], as `torch.nn.utils.clip_grad_value_`. */
export function clipGradValue(grads: NamedGradients, clipValue: number): Record<string, tf.Tensor> {
  checkNumber('clipGradValue', 'clipValue', clipValue, { min: 0, exclusiveMin: true });
  return tf.tidy(() => {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, g] of Object.entries(grads))
      if (g != null) out[name] = tf.clipByValue(g, -clipValue, clipValue);
    return out;
  });
}
