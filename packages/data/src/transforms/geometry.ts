import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkOneOf } from '@face/core';
import { checkBatch, pixelImage, readSize, type PixelImage, type Transform } from './transform';

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
  const targetOf = (h: number, w: number): [number, number] => {
    if (fixed) return fixed;
    const s = size as number;
    return h <= w ? [s, Math.floor((s * w) / h)] : [Math.floor((s * h) / w), s];
  };
  return {
    name: `resize(${String(size)})`,
    spec: { kind: 'resize', size: fixed ? [fixed[0], fixed[1]] : (size as number), method },
    apply(images) {
      checkBatch(fn, images);
      const [, h, w] = images.shape;
      const target = targetOf(h, w);
      if (target[0] === h && target[1] === w) return tf.clone(images);
      return method === 'bilinear'
        ? tf.image.resizeBilinear(images, target, false, true)
        : tf.image.resizeNearestNeighbor(images, target, false, false);
    },
    applyToPixels(image) {
      const [th, tw] = targetOf(image.height, image.width);
      if (th === image.height && tw === image.width) return image;
      return method === 'bilinear'
        ? resizeBilinearPixels(image, th, tw)
        : resizeNearestPixels(image, th, tw);
    },
  };
}

/**
 * Bilinear with half-pixel centres: source = (dst + 0.5) * in / out - 0.5, clamped to the image
 * (tfjs `resizeBilinear(..., halfPixelCenters = true)`, PyTorch `align_corners=False`).
 */
function resizeBilinearPixels(src: PixelImage, th: number, tw: number): PixelImage {
  const out = pixelImage(th, tw);
  const { data, height: h, width: w } = src;
  const sy = h / th;
  const sx = w / tw;
  const x0s = new Int32Array(tw);
  const x1s = new Int32Array(tw);
  const fxs = new Float32Array(tw);
  for (let x = 0; x < tw; x++) {
    const f = Math.max(0, (x + 0.5) * sx - 0.5);
    x0s[x] = Math.min(Math.floor(f), w - 1);
    x1s[x] = Math.min(x0s[x] + 1, w - 1);
    fxs[x] = f - Math.floor(f);
  }
  for (let y = 0; y < th; y++) {
    const f = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(Math.floor(f), h - 1);
    const y1 = Math.min(y0 + 1, h - 1);
    const fy = f - Math.floor(f);
    for (let x = 0; x < tw; x++) {
      const fx = fxs[x];
      const a = (y0 * w + x0s[x]) * 3;
      const b = (y0 * w + x1s[x]) * 3;
      const c = (y1 * w + x0s[x]) * 3;
      const d = (y1 * w + x1s[x]) * 3;
      const o = (y * tw + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = data[a + ch] + (data[b + ch] - data[a + ch]) * fx;
        const bottom = data[c + ch] + (data[d + ch] - data[c + ch]) * fx;
        out.data[o + ch] = top + (bottom - top) * fy;
      }
    }
  }
  return out;
}

/** Legacy nearest neighbour: source = floor(dst * in / out) (PyTorch 'nearest'). */
function resizeNearestPixels(src: PixelImage, th: number, tw: number): PixelImage {
  const out = pixelImage(th, tw);
  for (let y = 0; y < th; y++) {
    const sy = Math.min(Math.floor((y * src.height) / th), src.height - 1);
    for (let x = 0; x < tw; x++) {
      const sx = Math.min(Math.floor((x * src.width) / tw), src.width - 1);
      out.data.set(
        src.data.subarray((sy * src.width + sx) * 3, (sy * src.width + sx) * 3 + 3),
        (y * tw + x) * 3,
      );
    }
  }
  return out;
}

/** Copies the window at (top, left) of size (h, w); outside the image reads `fill`. */
function cropPixels(
  src: PixelImage,
  top: number,
  left: number,
  h: number,
  w: number,
  fill = 0,
): PixelImage {
  const out = pixelImage(h, w);
  if (fill !== 0) out.data.fill(fill);
  for (let y = 0; y < h; y++) {
    const sy = top + y;
    if (sy < 0 || sy >= src.height) continue;
    const x0 = Math.max(0, -left);
    const x1 = Math.min(w, src.width - left);
    if (x1 <= x0) continue;
    out.data.set(
      src.data.subarray((sy * src.width + left + x0) * 3, (sy * src.width + left + x1) * 3),
      (y * w + x0) * 3,
    );
  }
  return out;
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
    spec: { kind: 'centerCrop', size: typeof size === 'number' ? size : [ch, cw] },
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
    applyToPixels(image) {
      const { height: h, width: w } = image;
      // Padding (when the crop is larger) shifts the origin by floor(pad / 2).
      const padTop = Math.floor(Math.max(0, ch - h) / 2);
      const padLeft = Math.floor(Math.max(0, cw - w) / 2);
      const H = Math.max(h, ch);
      const W = Math.max(w, cw);
      return cropPixels(
        image,
        roundHalfEven((H - ch) / 2) - padTop,
        roundHalfEven((W - cw) / 2) - padLeft,
        ch,
        cw,
      );
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
    applyToPixels(image, rng) {
      const h = image.height + 2 * padding;
      const w = image.width + 2 * padding;
      if (ch > h || cw > w) {
        throw new RangeError(
          `randomCrop: size [${ch}, ${cw}] is larger than the (padded) image [${h}, ${w}]`,
        );
      }
      const top = rng.int(h - ch + 1);
      const left = rng.int(w - cw + 1);
      return cropPixels(image, top - padding, left - padding, ch, cw, fill);
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
    applyToPixels(image, rng) {
      if (!(rng.next() < p)) return image;
      const { data, height: h, width: w } = image;
      const out = pixelImage(h, w);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const s = (y * w + x) * 3;
          const d = (y * w + (w - 1 - x)) * 3;
          out.data[d] = data[s];
          out.data[d + 1] = data[s + 1];
          out.data[d + 2] = data[s + 2];
        }
      return out;
    },
  };
}
