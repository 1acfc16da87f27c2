import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, InvalidArgumentError, Rng, ShapeError } from '@face/core';

export interface DropBlockOptions {
  /** Probability that an element is dropped, in [0, 1]. */
  p: number;
  /** Odd side of the square blocks dropped; clipped to the feature map. */
  blockSize: number;
  /** Added to the kept count in the renormalization. Default 1e-6 (torchvision). */
  eps?: number;
}

export interface DropBlock2dOptions extends DropBlockOptions {
  /** Identity unless true. Default true, as `torchvision.ops.drop_block2d`. */
  training?: boolean;
  /** Source of the Bernoulli block centres. Default: a generator seeded from Math.random. */
  rng?: Rng;
  /**
   * Block centres to use instead of drawing them: 0/1 of shape
   * [N, H - bs + 1, W - bs + 1, C] (bs the clipped block size). For reproducing a given mask.
   */
  noise?: tf.Tensor4D;
}

/** The block size actually used on an H x W map: clipped to the map, and kept odd. */
export function effectiveBlockSize(blockSize: number, height: number, width: number): number {
  const clipped = Math.min(blockSize, height, width);
  return clipped % 2 === 1 ? clipped : clipped - 1;
}

/**
 * gamma, the Bernoulli rate of block centres so that about a fraction p of the map is dropped
 * (Ghiasi et al. 2018, eq. 1, as torchvision): p*H*W / (bs^2 (H - bs + 1)(W - bs + 1)).
 */
export function dropBlockGamma(
  p: number,
  blockSize: number,
  height: number,
  width: number,
): number {
  const bs = blockSize;
  return (p * height * width) / (bs * bs * (height - bs + 1) * (width - bs + 1));
}

/**
 * The keep mask from block centres: every centre (a 1 in `noise`, [N, H-bs+1, W-bs+1, C]) zeroes
 * the bs x bs block around it; torchvision's zero-pad by bs/2, stride-1 max-pool, 1 - result.
 * Returns [N, H, W, C] of 0 (dropped) and 1 (kept).
 */
export function dropBlockMask(noise: tf.Tensor4D, blockSize: number): tf.Tensor4D {
  const half = Math.floor(blockSize / 2);
  return tf.tidy(() => {
    const padded = tf.pad(noise, [
      [0, 0],
      [2 * half, 2 * half],
      [2 * half, 2 * half],
      [0, 0],
    ]);
    return tf.sub(1, tf.maxPool(padded, blockSize, 1, 'valid')) as tf.Tensor4D;
  });
}

/** Draws Bernoulli(gamma) block centres, NHWC, from `rng`. */
function drawNoise(rng: Rng, shape: [number, number, number, number], gamma: number): tf.Tensor4D {
  const size = shape[0] * shape[1] * shape[2] * shape[3];
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.next() < gamma ? 1 : 0;
  return tf.tensor4d(values, shape);
}

let defaultRng: Rng | undefined;

/**
 * DropBlock (Ghiasi et al. 2018) with `torchvision.ops.drop_block2d` semantics on an NHWC
 * tensor: per sample and channel, block centres are drawn with rate gamma
 * ({@link dropBlockGamma}), each drops a bs x bs block, and the result is rescaled globally by
 * numel / (eps + kept count) so its expected sum is unchanged. Identity (a clone) in inference
 * or when p = 0. Where torchvision would fail (a block clipped to an even size), the block size
 * is reduced to the next odd number.
 */
export function dropBlock2d(x: tf.Tensor4D, options: DropBlock2dOptions): tf.Tensor4D {
  const fn = 'dropBlock2d';
  const { p, blockSize, eps = 1e-6, training = true, noise } = options;
  checkNumber(fn, 'p', p, { min: 0, max: 1 });
  checkInteger(fn, 'blockSize', blockSize, { min: 1 });
  if (blockSize % 2 === 0) {
    throw new InvalidArgumentError(
      fn,
      'blockSize',
      blockSize,
      'an odd integer (blocks centred on a position)',
    );
  }
  checkNumber(fn, 'eps', eps, { min: 0 });
  if (x.rank !== 4)
    throw new ShapeError(fn, 'x', x.shape, 'rank 4 (batch, height, width, channels)');
  if (!training || p === 0) return tf.clone(x);
  const [n, h, w, c] = x.shape;
  const bs = effectiveBlockSize(blockSize, h, w);
  const noiseShape: [number, number, number, number] = [n, h - bs + 1, w - bs + 1, c];
  if (noise && noise.shape.join(',') !== noiseShape.join(',')) {
    throw new ShapeError(fn, 'noise', noise.shape, `shape [${noiseShape.join(', ')}]`);
  }
  const gamma = dropBlockGamma(p, bs, h, w);
  return tf.tidy(() => {
    const rng = options.rng ?? (defaultRng ??= new Rng((Math.random() * 2 ** 31) | 0));
    const centres = noise ?? drawNoise(rng, noiseShape, gamma);
    const mask = dropBlockMask(centres, bs);
    const scale = tf.div(mask.size, tf.add(tf.sum(mask), eps));
    return tf.mul(tf.mul(x, mask), scale) as tf.Tensor4D;
  });
}

/**
 * The linear schedule the DropBlock paper recommends (sec. 3.1): the drop probability grows from
 * 0 to `p` over the first `steps` training steps, then stays at `p`.
 */
export function dropBlockSchedule(p: number, step: number, steps: number): number {
  checkNumber('dropBlockSchedule', 'p', p, { min: 0, max: 1 });
  checkInteger('dropBlockSchedule', 'step', step, { min: 0 });
  checkInteger('dropBlockSchedule', 'steps', steps, { min: 0 });
  return steps === 0 ? p : p * Math.min(1, step / steps);
}
