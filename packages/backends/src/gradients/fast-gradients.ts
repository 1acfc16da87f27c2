import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/**
 * Gradients equal to tfjs-core's, computed with fewer full-size passes. They matter on every
 * backend and most on wasm, where tfjs-core's versions allocate a `tf.ones(x.shape)` in JS per
 * reduction (Sum, Mean), compare-and-select per PReLU (slow wasm broadcast kernels), and make
 * ~10 activation-sized tensors per batch norm.
 */

/** d(sum x)/dx: dy broadcast back over the reduced axes (a Tile), instead of dy * ones(x.shape). */
function reductionGradient(kernelName: string, divide: boolean): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs: NamedAttrMap) => {
      const [x] = saved;
      const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const count = axes.reduce((n, a) => n * x.shape[a], 1);
      return {
        x: () => {
          const g = tf.reshape(dy as Tensor, kept);
          const scaled = divide ? tf.div(g, count) : g;
          return tf.broadcastTo(tf.cast(scaled, 'float32'), x.shape);
        },
      };
    },
  };
}

/**
 * PReLU y = x > 0 ? x : alpha * x:  dx = dy * (alpha + step(x) * (1 - alpha)),
 * dalpha = sum over broadcast axes of dy * min(x, 0), with min(x, 0) = x - relu(x).
 * Only on wasm, whose compare and select kernels are slow; elsewhere tfjs-core's (on cpu its
 * compare-and-select is the faster one).
 */
function preluGradient(fallback: GradConfig | undefined): GradConfig {
  return {
    kernelName: 'Prelu',
    inputsToSave: ['x', 'alpha'],
    gradFunc: (dy, saved, attrs) => {
      if (fallback && tf.getBackend() !== 'wasm') return fallback.gradFunc(dy, saved, attrs);
      const [x, alpha] = saved;
      const g = dy as Tensor;
      return {
        x: () => tf.mul(g, tf.add(alpha, tf.mul(tf.step(x), tf.sub(1, alpha)))),
        alpha: () => {
          const negative = tf.mul(g, tf.sub(x, tf.relu(x)));
          const axes = tf.backend_util.getReductionAxes(alpha.shape, g.shape);
          return tf.reshape(axes.length ? tf.sum(negative, axes) : negative, alpha.shape);
        },
      };
    },
  };
}

/**
 * Batch norm y = (x - mean) * s + offset with s = scale / sqrt(variance + eps), per channel
 * (mean of rank 1). With S1 = sum(dy) and S2 = sum(dy * (x - mean)) over the other axes:
 * dx = dy * s, dmean = -s * S1, dvariance = -0.5 * scale * (variance + eps)^(-3/2) * S2,
 * dscale = S2 / sqrt(variance + eps), doffset = S1. Three activation-sized passes, not ten.
 * Other shapes use tfjs-core's gradient.
 */
function batchNormGradient(fallback: GradConfig | undefined): GradConfig {
  return {
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      if (mean.rank !== 1 || variance.rank !== 1 || (scale != null && scale.rank !== 1)) {
        if (!fallback) throw new Error('@face/backends: no FusedBatchNorm gradient for this shape');
        return fallback.gradFunc(dy, saved, attrs);
      }
      const g = dy as Tensor;
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const rstd = tf.rsqrt(tf.add(variance, attrs.varianceEpsilon as number));
      const gamma = scale ?? tf.onesLike(mean);
      const s = tf.mul(gamma, rstd);
      const s1 = tf.sum(g, axes);
      const s2 = tf.sum(tf.mul(g, tf.sub(x, mean)), axes);
      return {
        x: () => tf.mul(g, s),
        mean: () => tf.neg(tf.mul(s, s1)),
        variance: () => tf.mul(tf.mul(-0.5, tf.mul(s, tf.square(rstd))), s2),
        scale: () => tf.mul(rstd, s2),
        offset: () => tf.clone(s1),
      };
    },
  };
}

/** The faster gradients, built when registering (the batch-norm one keeps tfjs-core's as fallback). */
export function fastGradients(
  original: (kernelName: string) => GradConfig | undefined,
): GradConfig[] {
  return [
    reductionGradient('Sum', false),
    reductionGradient('Mean', true),
    preluGradient(original('Prelu')),
    batchNormGradient(original('FusedBatchNorm')),
  ];
}
