import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@face/core';
import { checkBatch, pixelImage, type Transform } from './transform';

export interface NormalizeOptions {
  /** Per-channel (or scalar) mean, on the [0, 1] scale. */
  mean?: number | readonly number[];
  /** Per-channel (or scalar) standard deviation, on the [0, 1] scale. */
  std?: number | readonly number[];
}

/**
 * Maps 0..255 pixels to the network's input range: (x / 255 - mean) / std. The default
 * mean = std = 0.5 gives [-1, 1], as InsightFace's ArcFace training does.
 */
export function normalizeImage<T extends tf.Tensor>(images: T, options: NormalizeOptions = {}): T {
  const { mean = 0.5, std = 0.5 } = options;
  const means = typeof mean === 'number' ? [mean] : [...mean];
  const stds = typeof std === 'number' ? [std] : [...std];
  means.forEach((m, i) => checkNumber('normalizeImage', `mean[${i}]`, m));
  stds.forEach((s, i) =>
    checkNumber('normalizeImage', `std[${i}]`, s, { min: 0, exclusiveMin: true }),
  );
  return tf.tidy(() => {
    const m = tf.tensor1d(means);
    const s = tf.tensor1d(stds);
    return tf.div(tf.sub(tf.div(tf.cast(images, 'float32'), 255), m), s) as T;
  });
}

/** `normalizeImage` as a pipeline step: (x / 255 - mean) / std, InsightFace's [-1, 1] by default. */
export function normalize(options: NormalizeOptions = {}): Transform {
  // Validate now, not at the first batch (the probe's result is disposed too: no tensor is kept).
  tf.tidy(() => {
    normalizeImage(tf.zeros([1, 1, 1, 3]), options);
  });
  const { mean = 0.5, std = 0.5 } = options;
  const channel = (v: number | readonly number[], c: number) =>
    typeof v === 'number' ? v : v.length === 1 ? v[0] : v[c];
  const scale = [0, 1, 2].map((c) => 1 / (255 * channel(std, c)));
  const shift = [0, 1, 2].map((c) => channel(mean, c) / channel(std, c));
  const rgb = (v: number | readonly number[]) =>
    [0, 1, 2].map((c) => channel(v, c)) as [number, number, number];
  return {
    name: 'normalize',
    // Per channel: a scalar or a one-entry list applies to all three, with the same numbers.
    spec: { kind: 'normalize', mean: rgb(mean), std: rgb(std) },
    applyToPixels(image) {
      const out = pixelImage(image.height, image.width);
      for (let i = 0; i < out.data.length; i++)
        out.data[i] = image.data[i] * scale[i % 3] - shift[i % 3];
      return out;
    },
    apply(images) {
      checkBatch('normalize', images);
      return normalizeImage(images, options);
    },
  };
}
