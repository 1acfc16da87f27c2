import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkOneOf } from '@face/core';
import { checkBatch, readSize, type Transform } from './transform';

export interface ResizeOptions {
  /** 'bilinear' (default) or 'nearest'. */
  method?: 'bilinear' | 'nearest';
}

/**
 * Resizes to `size`: `[height, width]` exactly, or a number for the shorter side (aspect ratio
 * kept, longer side `floor(size * long / short)`), as torchvision's `Resize`. Bilinear uses
 * half-pixel centres without antialiasing, which is PyTorch's `interpolate(mode='bilinear',
 * align_corners=False)` and torchvision 0.14's tensor `Resize`; nearest is PyTorch's legacy 'nearest'.
 */
export function resize(
  size: number | readonly [number, number],
  options: ResizeOptions = {},
): Transform {
  const fn = 'resize';
  const { method = 'bilinear' } = options;
  checkOneOf(fn, 'method', method, ['bilinear', 'nearest']);
  const fixed = typeof size === 'number' ? null : readSize(fn, size);
  if (typeof size === 'number') checkInteger(fn, 'size', size, { min: 1 });
  return {
    name: `resize(${String(size)})`,
    apply(images) {
      checkBatch(fn, images);
      const [, h, w] = images.shape;
      let target: [number, number];
      if (fixed) target = fixed;
      else {
        const s = size as number;
        target = h <= w ? [s, Math.floor((s * w) / h)] : [Math.floor((s * h) / w), s];
      }
      if (target[0] === h && target[1] === w) return tf.clone(images);
      return method === 'bilinear'
        ? tf.image.resizeBilinear(images, target, false, true)
        : tf.image.resizeNearestNeighbor(images, target, false, false);
    },
  };
}

/** Python's round(): halves go to the even neighbour (torchvision's centre-crop offsets use it). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The centre `size` crop; an image smaller than `size` is first padded with zeros on both sides,
 * as torchvision's `CenterCrop`. Offsets `round((H - h) / 2)` with Python's rounding.
 */
export function centerCrop(size: number | readonly [number, number]): Transform {
  const [ch, cw] = readSize('centerCrop', size);
  return {
    name: `centerCrop(${String(size)})`,
    apply(images) {
      checkBatch('centerCrop', images);
      return tf.tidy(() => {
        let x = images;
        const [, h, w] = x.shape;
        if (ch > h || cw > w) {
          // torchvision pads (size - H) // 2 before and the rest after.
          const ph = Math.max(0, ch - h);
          const pw = Math.max(0, cw - w);
          x = tf.pad(x, [
            [0, 0],
            [Math.floor(ph / 2), ph - Math.floor(ph / 2)],
            [Math.floor(pw / 2), pw - Math.floor(pw / 2)],
            [0, 0],
          ]);
        }
        const [, H, W] = x.shape;
        const top = roundHalfEven((H - ch) / 2);
        const left = roundHalfEven((W - cw) / 2);
        return tf.slice(x, [0, top, left, 0], [-1, ch, cw, -1]);
      });
    },
  };
}

export interface RandomCropOptions {
  /** Pixels of constant padding added on every side before cropping. Default 0. */
  padding?: number;
  /** Value of the padding. Default 0. */
  fill?: number;
}

/**
 * A `size` crop at a uniformly random position (torchvision `RandomCrop`): image i draws its top
 * then its left offset from `rngs[i]`, each uniform over the valid positions.
 */
export function randomCrop(
  size: number | readonly [number, number],
  options: RandomCropOptions = {},
): Transform {
  const fn = 'randomCrop';
  const [ch, cw] = readSize(fn, size);
  const { padding = 0, fill = 0 } = options;
  checkInteger(fn, 'padding', padding, { min: 0 });
  checkNumber(fn, 'fill', fill);
  return {
    name: `randomCrop(${String(size)})`,
    apply(images, rngs) {
      checkBatch(fn, images, rngs);
      return tf.tidy(() => {
        const x =
          padding > 0
            ? tf.pad(
                images,
                [
                  [0, 0],
                  [padding, padding],
                  [padding, padding],
                  [0, 0],
                ],
                fill,
              )
            : images;
        const [n, h, w] = x.shape;
        if (ch > h || cw > w) {
          throw new RangeError(
            `randomCrop: size [${ch}, ${cw}] is larger than the (padded) image [${h}, ${w}]`,
          );
        }
        const crops: tf.Tensor4D[] = [];
        for (let i = 0; i < n; i++) {
          const top = rngs[i].int(h - ch + 1);
          const left = rngs[i].int(w - cw + 1);
          crops.push(tf.slice(x, [i, top, left, 0], [1, ch, cw, -1]));
        }
        return tf.concat(crops, 0);
      });
    },
  };
}

export interface FlipOptions {
  /** Probability of flipping each image. Default 0.5. */
  p?: number;
}

/** Mirrors each image left-right with probability `p` (one uniform draw per image). */
export function randomHorizontalFlip(options: FlipOptions = {}): Transform {
  const { p = 0.5 } = options;
  checkNumber('randomHorizontalFlip', 'p', p, { min: 0, max: 1 });
  return {
    name: `randomHorizontalFlip(${p})`,
    apply(images, rngs) {
      checkBatch('randomHorizontalFlip', images, rngs);
      const flip = rngs.map((r) => r.next() < p);
      return tf.tidy(() => {
        const mask = tf.tensor4d(flip, [flip.length, 1, 1, 1], 'bool');
        return tf.where(mask, tf.reverse(images, 2), images);
      });
    },
  };
}
