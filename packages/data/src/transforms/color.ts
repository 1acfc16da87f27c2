import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkNumber, type Rng } from '@face/core';
import {
  checkBatch,
  groupIndices,
  pixelImage,
  restoreOrder,
  type PixelImage,
  type Transform,
} from './transform';

/**
 * Colour adjustments on 0..255 float batches, one factor per image. Each is torchvision's
 * functional op on float images (`adjust_brightness`, `adjust_contrast`, `adjust_saturation`,
 * `adjust_hue`, torchvision 0.14) with the bound 1 replaced by 255; its uint8 path differs only by
 * rounding intermediate results.
 */

const MAX = 255;

function perImage(factors: readonly number[], fn: string): tf.Tensor4D {
  factors.forEach((f, i) => checkNumber(fn, `factors[${i}]`, f));
  return tf.tensor4d(factors as number[], [factors.length, 1, 1, 1]);
}

function checkFactors(fn: string, images: tf.Tensor4D, factors: readonly number[]): void {
  checkBatch(fn, images);
  if (!Array.isArray(factors) || factors.length !== images.shape[0]) {
    throw new InvalidArgumentError(
      fn,
      'factors',
      factors,
      `one factor per image (${images.shape[0]})`,
    );
  }
}

/** ITU-R BT.601 luma, torchvision's `rgb_to_grayscale` weights: [N, H, W, 1]. */
function grayscale(images: tf.Tensor4D): tf.Tensor4D {
  const [r, g, b] = tf.split(images, 3, 3);
  return tf.addN([tf.mul(r, 0.2989), tf.mul(g, 0.587), tf.mul(b, 0.114)]) as tf.Tensor4D;
}

/** clamp(ratio * a + (1 - ratio) * b, 0, 255): torchvision's `_blend`. */
function blend(a: tf.Tensor4D, b: tf.Tensor, ratio: tf.Tensor4D): tf.Tensor4D {
  return tf.clipByValue(
    tf.add(tf.mul(ratio, a), tf.mul(tf.sub(1, ratio), b)),
    0,
    MAX,
  ) as tf.Tensor4D;
}

/** Multiplies by the factor: 0 gives black, 1 the original. */
export function adjustBrightness(images: tf.Tensor4D, factors: readonly number[]): tf.Tensor4D {
  checkFactors('adjustBrightness', images, factors);
  return tf.tidy(
    () =>
      tf.clipByValue(tf.mul(images, perImage(factors, 'adjustBrightness')), 0, MAX) as tf.Tensor4D,
  );
}

/** Blends with the image's mean grey level: 0 gives a uniform grey, 1 the original. */
export function adjustContrast(images: tf.Tensor4D, factors: readonly number[]): tf.Tensor4D {
  checkFactors('adjustContrast', images, factors);
  return tf.tidy(() => {
    const mean = tf.mean(grayscale(images), [1, 2, 3], true);
    return blend(images, mean, perImage(factors, 'adjustContrast'));
  });
}

/** Blends with the greyscale image: 0 gives grey, 1 the original, 2 doubles saturation. */
export function adjustSaturation(images: tf.Tensor4D, factors: readonly number[]): tf.Tensor4D {
  checkFactors('adjustSaturation', images, factors);
  return tf.tidy(() => blend(images, grayscale(images), perImage(factors, 'adjustSaturation')));
}

/**
 * Rotates the hue by `factor` of a full turn (in [-0.5, 0.5]) in HSV space. RGB <-> HSV by the
 * hexcone model (A. R. Smith, "Color gamut transform pairs", SIGGRAPH 1978), as torchvision's
 * `_rgb2hsv` / `_hsv2rgb`.
 */
export function adjustHue(images: tf.Tensor4D, factors: readonly number[]): tf.Tensor4D {
  checkFactors('adjustHue', images, factors);
  factors.forEach((f, i) => checkNumber('adjustHue', `factors[${i}]`, f, { min: -0.5, max: 0.5 }));
  return tf.tidy(() => {
    const [r, g, b] = tf.split(tf.div(images, MAX), 3, 3);
    const maxc = tf.maximum(tf.maximum(r, g), b);
    const minc = tf.minimum(tf.minimum(r, g), b);
    const grey = tf.equal(maxc, minc);
    const chroma = tf.sub(maxc, minc);
    const s = tf.div(chroma, tf.where(grey, tf.onesLike(maxc), maxc));
    const safe = tf.where(grey, tf.onesLike(chroma), chroma);
    const rc = tf.div(tf.sub(maxc, r), safe);
    const gc = tf.div(tf.sub(maxc, g), safe);
    const bc = tf.div(tf.sub(maxc, b), safe);
    // Hue sector: red is the max -> (b' - g'), green -> 2 + r' - b', blue -> 4 + g' - r'.
    const isR = tf.equal(maxc, r);
    const isG = tf.logicalAnd(tf.equal(maxc, g), tf.logicalNot(isR));
    const hRaw = tf.where(
      isR,
      tf.sub(bc, gc),
      tf.where(isG, tf.add(2, tf.sub(rc, bc)), tf.add(4, tf.sub(gc, rc))),
    );
    let h = tf.mod(tf.add(tf.div(hRaw, 6), 1), 1);
    h = tf.mod(tf.add(h, perImage(factors, 'adjustHue')), 1);
    const v = maxc;
    const h6 = tf.mul(h, 6);
    const sector = tf.mod(tf.floor(h6), 6);
    const f = tf.sub(h6, tf.floor(h6));
    const p = tf.clipByValue(tf.mul(v, tf.sub(1, s)), 0, 1);
    const q = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, f))), 0, 1);
    const t = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, tf.sub(1, f)))), 0, 1);
    // Sector k -> (R, G, B): 0 (v,t,p) 1 (q,v,p) 2 (p,v,t) 3 (p,q,v) 4 (t,p,v) 5 (v,p,q).
    const table: tf.Tensor[][] = [
      [v, t, p],
      [q, v, p],
      [p, v, t],
      [p, q, v],
      [t, p, v],
      [v, p, q],
    ];
    const channel = (c: number) => {
      let out: tf.Tensor = table[5][c];
      for (let k = 4; k >= 0; k--) out = tf.where(tf.equal(sector, k), table[k][c], out);
      return out;
    };
    return tf.mul(tf.concat([channel(0), channel(1), channel(2)], 3), MAX) as tf.Tensor4D;
  });
}

export interface ColorJitterOptions {
  /** Factor drawn from [max(0, 1 - b), 1 + b], or an explicit [min, max]. Default 0 (off). */
  brightness?: number | readonly [number, number];
  contrast?: number | readonly [number, number];
  saturation?: number | readonly [number, number];
  /** Hue shift drawn from [-h, h] (h <= 0.5), or an explicit [min, max]. Default 0 (off). */
  hue?: number | readonly [number, number];
}

function jitterRange(
  key: string,
  value: number | readonly [number, number] | undefined,
  hue: boolean,
): [number, number] | null {
  if (value === undefined || value === 0) return null;
  const fn = 'colorJitter';
  if (typeof value === 'number') {
    checkNumber(fn, key, value, hue ? { min: 0, max: 0.5 } : { min: 0 });
    return hue ? [-value, value] : [Math.max(0, 1 - value), 1 + value];
  }
  if (!Array.isArray(value) || value.length !== 2 || value[0] > value[1]) {
    throw new InvalidArgumentError(fn, key, value, 'a number or [min, max] with min <= max');
  }
  checkNumber(fn, `${key}[0]`, value[0], hue ? { min: -0.5 } : { min: 0 });
  checkNumber(fn, `${key}[1]`, value[1], hue ? { max: 0.5 } : {});
  return [value[0], value[1]];
}

const OPS = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue];

// The same four operations on one image's pixels (float64 arithmetic, float32 storage).
const clampPixel = (v: number) => (v < 0 ? 0 : v > MAX ? MAX : v);
const luma = (d: Float32Array, i: number) => 0.2989 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];

function brightnessPixels(img: PixelImage, f: number): PixelImage {
  const out = pixelImage(img.height, img.width);
  for (let i = 0; i < out.data.length; i++) out.data[i] = clampPixel(img.data[i] * f);
  return out;
}

function contrastPixels(img: PixelImage, f: number): PixelImage {
  const out = pixelImage(img.height, img.width);
  let sum = 0;
  for (let i = 0; i < img.data.length; i += 3) sum += Math.fround(luma(img.data, i));
  const mean = sum / (img.data.length / 3);
  for (let i = 0; i < out.data.length; i++)
    out.data[i] = clampPixel(f * img.data[i] + (1 - f) * mean);
  return out;
}

function saturationPixels(img: PixelImage, f: number): PixelImage {
  const out = pixelImage(img.height, img.width);
  for (let i = 0; i < out.data.length; i += 3) {
    const g = luma(img.data, i);
    for (let c = 0; c < 3; c++) out.data[i + c] = clampPixel(f * img.data[i + c] + (1 - f) * g);
  }
  return out;
}

function huePixels(img: PixelImage, f: number): PixelImage {
  const out = pixelImage(img.height, img.width);
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) {
    const r = d[i] / MAX;
    const g = d[i + 1] / MAX;
    const b = d[i + 2] / MAX;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const chroma = max - min;
    const s = max === min ? 0 : chroma / max;
    const safe = max === min ? 1 : chroma;
    const rc = (max - r) / safe;
    const gc = (max - g) / safe;
    const bc = (max - b) / safe;
    const raw = max === r ? bc - gc : max === g ? 2 + rc - bc : 4 + gc - rc;
    let h = (((raw / 6 + 1) % 1) + 1) % 1;
    h = (((h + f) % 1) + 1) % 1;
    const h6 = h * 6;
    const sector = Math.floor(h6) % 6;
    const fr = h6 - Math.floor(h6);
    const p = Math.min(1, Math.max(0, max * (1 - s)));
    const q = Math.min(1, Math.max(0, max * (1 - s * fr)));
    const t = Math.min(1, Math.max(0, max * (1 - s * (1 - fr))));
    const v = max;
    const rgb =
      sector === 0
        ? [v, t, p]
        : sector === 1
          ? [q, v, p]
          : sector === 2
            ? [p, v, t]
            : sector === 3
              ? [p, q, v]
              : sector === 4
                ? [t, p, v]
                : [v, p, q];
    out.data[i] = rgb[0] * MAX;
    out.data[i + 1] = rgb[1] * MAX;
    out.data[i + 2] = rgb[2] * MAX;
  }
  return out;
}

const PIXEL_OPS = [brightnessPixels, contrastPixels, saturationPixels, huePixels];

/**
 * Random brightness, contrast, saturation and hue, in a random order per image, as torchvision's
 * `ColorJitter`. Per image it draws: a permutation of the four (Fisher-Yates), then the factors of
 * the enabled ones in the order brightness, contrast, saturation, hue.
 */
export function colorJitter(options: ColorJitterOptions = {}): Transform {
  const ranges = [
    jitterRange('brightness', options.brightness, false),
    jitterRange('contrast', options.contrast, false),
    jitterRange('saturation', options.saturation, false),
    jitterRange('hue', options.hue, true),
  ];
  const plan = (rng: Rng) => {
    const order = rng.shuffle([0, 1, 2, 3]).filter((k) => ranges[k] !== null);
    const factors = ranges.map((r) => (r ? rng.uniform(r[0], r[1]) : 0));
    return { order, factors };
  };
  return {
    name: 'colorJitter',
    applyToPixels(image, rng) {
      const { order, factors } = plan(rng);
      let x = image;
      for (const k of order) x = PIXEL_OPS[k](x, factors[k]);
      return x;
    },
    apply(images, rngs) {
      checkBatch('colorJitter', images, rngs);
      const plans = rngs.map(plan);
      if (ranges.every((r) => r === null)) return tf.clone(images);
      return tf.tidy(() => {
        // Images sharing an order are adjusted together; results go back to their places.
        const groups = groupIndices(plans, (p) => p.order.join(''));
        const pieces: tf.Tensor4D[] = [];
        for (const members of groups) {
          let x: tf.Tensor4D =
            members.length === images.shape[0] ? images : tf.gather(images, members);
          for (const k of plans[members[0]].order) {
            x = OPS[k](
              x,
              members.map((i) => plans[i].factors[k]),
            );
          }
          pieces.push(x);
        }
        return restoreOrder(pieces, groups);
      });
    },
  };
}
