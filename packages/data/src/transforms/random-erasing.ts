import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkNumber, type Rng } from '@face/core';
import { checkBatch, type Transform } from './transform';

export interface RandomErasingOptions {
  /** Probability of erasing a rectangle in each image. Default 0.5. */
  p?: number;
  /** Range of the erased area as a fraction of the image. Default [0.02, 0.33]. */
  scale?: readonly [number, number];
  /** Range of the rectangle's aspect ratio (height / width), drawn log-uniformly. Default [0.3, 3.3]. */
  ratio?: readonly [number, number];
  /**
   * Fill: a number, one per channel, or 'random' (standard normal noise per pixel, meant for
   * normalized images). In the units the batch has at this step. Default 0.
   */
  value?: number | readonly [number, number, number] | 'random';
}

interface Erase {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Random erasing (Zhong et al., "Random Erasing Data Augmentation", AAAI 2020), drawn as in
 * torchvision's `RandomErasing.get_params`: with probability p, up to 10 tries of an area fraction
 * uniform in `scale` and a log-uniform aspect ratio in `ratio`; h = round(sqrt(area * ratio)),
 * w = round(sqrt(area / ratio)); the first that fits strictly inside the image is placed uniformly.
 */
export function randomErasing(options: RandomErasingOptions = {}): Transform {
  const fn = 'randomErasing';
  const { p = 0.5, scale = [0.02, 0.33], ratio = [0.3, 3.3], value = 0 } = options;
  checkNumber(fn, 'p', p, { min: 0, max: 1 });
  checkPair(fn, 'scale', scale, 0, 1);
  checkPair(fn, 'ratio', ratio, 0, Infinity);
  if (value !== 'random') {
    const values = typeof value === 'number' ? [value] : value;
    if (!Array.isArray(values) || (values.length !== 1 && values.length !== 3)) {
      throw new InvalidArgumentError(fn, 'value', value, "a number, three numbers, or 'random'");
    }
    values.forEach((v, i) => checkNumber(fn, `value[${i}]`, v));
  }
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])];
  const draw = (rng: Rng, h: number, w: number): Erase | null => {
    if (!(rng.next() < p)) return null;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = h * w * rng.uniform(scale[0], scale[1]);
      const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
      const eh = Math.round(Math.sqrt(area * aspect));
      const ew = Math.round(Math.sqrt(area / aspect));
      if (!(eh < h && ew < w) || eh < 1 || ew < 1) continue;
      return { top: rng.int(h - eh + 1), left: rng.int(w - ew + 1), height: eh, width: ew };
    }
    return null;
  };
  const fillValues =
    value === 'random'
      ? null
      : typeof value === 'number'
        ? [value, value, value]
        : (value as readonly number[]).length === 1
          ? [value[0], value[0], value[0]]
          : [...value];
  return {
    name: 'randomErasing',
    applyToPixels(image, rng) {
      const e = draw(rng, image.height, image.width);
      if (!e) return image;
      const out = { data: Float32Array.from(image.data), height: image.height, width: image.width };
      for (let y = e.top; y < e.top + e.height; y++)
        for (let x = e.left; x < e.left + e.width; x++)
          for (let c = 0; c < 3; c++)
            out.data[(y * image.width + x) * 3 + c] = fillValues ? fillValues[c] : rng.normal();
      return out;
    },
    apply(images, rngs) {
      checkBatch(fn, images, rngs);
      const [n, h, w] = images.shape;
      const erases = rngs.map((rng) => draw(rng, h, w));
      if (erases.every((e) => e === null)) return tf.clone(images);
      const mask = new Uint8Array(n * h * w);
      const noise = value === 'random' ? new Float32Array(n * h * w * 3) : null;
      erases.forEach((e, i) => {
        if (!e) return;
        for (let y = e.top; y < e.top + e.height; y++) {
          for (let x = e.left; x < e.left + e.width; x++) {
            const k = (i * h + y) * w + x;
            mask[k] = 1;
            if (noise) for (let c = 0; c < 3; c++) noise[k * 3 + c] = rngs[i].normal();
          }
        }
      });
      return tf.tidy(() => {
        const m = tf.tensor4d(mask, [n, h, w, 1], 'bool');
        const fill = noise
          ? tf.tensor4d(noise, [n, h, w, 3])
          : tf.tensor1d(typeof value === 'number' ? [value] : [...(value as readonly number[])]);
        return tf.where(m, fill, images) as tf.Tensor4D;
      });
    },
  };
}

function checkPair(
  fn: string,
  key: string,
  pair: readonly number[],
  min: number,
  max: number,
): void {
  if (!Array.isArray(pair) || pair.length !== 2 || !(pair[0] <= pair[1])) {
    throw new InvalidArgumentError(fn, key, pair, '[min, max] with min <= max');
  }
  checkNumber(fn, `${key}[0]`, pair[0], { min, exclusiveMin: true });
  checkNumber(fn, `${key}[1]`, pair[1], { max });
}
