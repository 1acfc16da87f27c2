import * as tf from '@tensorflow/tfjs-core';

export interface BatchStatistics {
  /** The training-mode output. */
  y: tf.Tensor;
  /** Batch mean per channel, shape [C]. */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel, shape [C]. */
  variance: tf.Tensor1D;
}

/**
 * Training-mode batch normalization as one differentiable op with its own gradient.
 *
 * Forward: mean_B, xc = x - mean_B, var_B = mean(xc^2), invStd = 1 / sqrt(var_B + eps),
 * y = xc * (invStd * gamma) + beta (the reductions over `axes`, N values per channel).
 * Backward (Ioffe & Szegedy 2015, section 3, with xhat = xc * invStd):
 *   dbeta = sum(dy), dgamma = sum(dy * xhat),
 *   dx = gamma * invStd * (dy - dbeta / N - xhat * dgamma / N).
 * Why not compose tfjs ops: the composed graph keeps five activation-sized tensors per layer
 * alive until the backward pass (x - mean twice, its square, the product, the sum) and
 * differentiates each of them. Here only `xc` is saved beside the output (and per-channel vectors), and the backward pass is
 * two reductions and four element-wise products: less memory (what limits the batch on wasm's
 * 4 GiB heap) and fewer kernels.
 */
export function batchNormTraining(
  x: tf.Tensor,
  axes: number[],
  paramShape: number[],
  eps: number,
  gamma?: tf.Tensor,
  beta?: tf.Tensor,
): BatchStatistics {
  const channels = paramShape.reduce((a, b) => a * b, 1);
  const count = x.size / channels;
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const mean = tf.mean(input, axes, true);
    const xc = tf.sub(input, mean);
    const variance = tf.mean(tf.square(xc), axes, true);
    const invStd = tf.rsqrt(tf.add(variance, eps));
    const y = tf.add(
      tf.mul(xc, tf.mul(invStd, tf.reshape(g, paramShape))),
      tf.reshape(b, paramShape),
    );
    save([xc, invStd, g]); // g too: a default gamma made here is gone by the backward pass
    // Kept past the op's scope for the running statistics; the caller disposes them.
    stats = {
      mean: tf.keep(tf.reshape(mean, [channels])),
      variance: tf.keep(tf.reshape(variance, [channels])),
    };
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xcSaved, invStdSaved, gSaved] = saved;
        const xhat = tf.mul(xcSaved, invStdSaved);
        const dBeta = tf.sum(dy, axes, true);
        const dGamma = tf.sum(tf.mul(dy, xhat), axes, true);
        const centered = tf.sub(
          tf.sub(dy, tf.div(dBeta, count)),
          tf.mul(xhat, tf.div(dGamma, count)),
        );
        const dx = tf.mul(centered, tf.mul(invStdSaved, tf.reshape(gSaved, paramShape)));
        return [dx, tf.reshape(dGamma, [channels]), tf.reshape(dBeta, [channels])];
      },
    };
  });
  const y = op(x, gamma ?? tf.ones([channels]), beta ?? tf.zeros([channels]));
  return { y, ...stats! };
}
