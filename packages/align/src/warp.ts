import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError } from '@face/core';
import type { PixelImage } from '@face/data';
import {
  checkPoints,
  estimateSimilarity,
  invertAffine,
  type AffineMatrix,
  type Point,
} from './similarity';
import { alignmentTemplate, type AlignmentTemplate, type TemplateName } from './templates';

function checkMatrix(fn: string, argument: string, m: unknown): AffineMatrix {
  if (!Array.isArray(m) || m.length !== 6 || !m.every(Number.isFinite))
    throw new InvalidArgumentError(fn, argument, m, '[a, b, tx, c, d, ty]: six finite numbers');
  return m as unknown as AffineMatrix;
}

/**
 * Warps each image by its affine map (image -> crop) into a `[height, width]` crop with bilinear
 * sampling on the backend; pixels mapped from outside the image are 0. `tf.image.transform` takes
 * the other direction (output pixel -> input point), so each map is inverted first. Images are
 * warped one at a time: tfjs-backend-cpu 4.22's Transform kernel returns after the first image
 * of a batch, leaving the others at the fill value. Returns a float32 `[N, height, width, C]`.
 */
export function warpAffine(
  images: tf.Tensor4D,
  matrices: readonly AffineMatrix[],
  size: readonly [number, number],
): tf.Tensor4D {
  const fn = 'warpAffine';
  if (!(images instanceof tf.Tensor) || images.rank !== 4)
    throw new ShapeError(fn, 'images', (images as tf.Tensor)?.shape, 'a Tensor4D [N, H, W, C]');
  if (!Array.isArray(matrices) || matrices.length !== images.shape[0])
    throw new InvalidArgumentError(
      fn,
      'matrices',
      matrices,
      `one matrix per image (${images.shape[0]})`,
    );
  const [h, w] = size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1)
    throw new InvalidArgumentError(fn, 'size', size, '[height, width], integers >= 1');
  const inverses = matrices.map((m, i) => {
    const [a, b, tx, c, d, ty] = invertAffine(checkMatrix(fn, `matrices[${i}]`, m));
    return [a, b, tx, c, d, ty, 0, 0];
  });
  return tf.tidy(() => {
    const x = tf.cast(images, 'float32');
    const crops = inverses.map((t, i) =>
      tf.image.transform(
        tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D,
        tf.tensor2d([t], [1, 8]),
        'bilinear',
        'constant',
        0,
        [h, w],
      ),
    );
    return crops.length === 1 ? crops[0] : tf.concat(crops, 0);
  });
}

/**
 * The same warp on one image in memory (what a DataLoader's pixel path runs): output pixel
 * (x, y) reads the image at `inverse(m) (x, y)` bilinearly, neighbours outside the image as 0,
 * as tfjs's Transform kernel does.
 */
export function warpAffinePixels(
  image: PixelImage,
  m: AffineMatrix,
  size: readonly [number, number],
): PixelImage {
  const [h, w] = size;
  const [a, b, tx, c, d, ty] = invertAffine(checkMatrix('warpAffinePixels', 'm', m));
  const { data, height: ih, width: iw } = image;
  const out = new Float32Array(h * w * 3);
  const read = (y: number, x: number, ch: number) =>
    y >= 0 && y < ih && x >= 0 && x < iw ? data[(y * iw + x) * 3 + ch] : 0;
  for (let oy = 0; oy < h; oy++) {
    for (let ox = 0; ox < w; ox++) {
      const x = a * ox + b * oy + tx;
      const y = c * ox + d * oy + ty;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      for (let ch = 0; ch < 3; ch++) {
        const top = (1 - fx) * read(y0, x0, ch) + fx * read(y0, x0 + 1, ch);
        const bottom = (1 - fx) * read(y0 + 1, x0, ch) + fx * read(y0 + 1, x0 + 1, ch);
        out[(oy * w + ox) * 3 + ch] = (1 - fy) * top + fy * bottom;
      }
    }
  }
  return { data: out, height: h, width: w };
}

/** The image -> crop similarity that takes `landmarks` onto the template's points. */
export function alignmentMatrix(
  landmarks: readonly Point[],
  template: TemplateName | AlignmentTemplate = 'arcface',
): AffineMatrix {
  const t = alignmentTemplate(template);
  checkPoints('alignmentMatrix', 'landmarks', landmarks, t.points.length);
  if (landmarks.length !== t.points.length)
    throw new InvalidArgumentError(
      'alignmentMatrix',
      'landmarks',
      landmarks,
      `${t.points.length} points, as the template has`,
    );
  return estimateSimilarity(landmarks, t.points);
}

/**
 * Canonical crops: image i warped so that its landmarks (five points, or as many as the template
 * has) land on the template (default: ArcFace 112x112). `images` `[N, H, W, 3]` with one point set
 * per image, or one `[H, W, 3]` with its point set; returns float32 crops the caller disposes.
 */
export function alignFaces<T extends tf.Tensor3D | tf.Tensor4D>(
  images: T,
  landmarks: T extends tf.Tensor3D ? readonly Point[] : readonly (readonly Point[])[],
  template: TemplateName | AlignmentTemplate = 'arcface',
): T {
  const t = alignmentTemplate(template);
  const single = images.rank === 3;
  const sets = (single ? [landmarks] : landmarks) as readonly (readonly Point[])[];
  if (!Array.isArray(landmarks) || sets.length !== (single ? 1 : images.shape[0]))
    throw new InvalidArgumentError(
      'alignFaces',
      'landmarks',
      landmarks,
      single ? 'the points of the image' : `one set of points per image (${images.shape[0]})`,
    );
  const matrices = sets.map((l) => alignmentMatrix(l, t));
  return tf.tidy(() => {
    const batch = (single ? tf.expandDims(images, 0) : images) as tf.Tensor4D;
    const out = warpAffine(batch, matrices, [t.height, t.width]);
    return (single ? tf.squeeze(out, [0]) : out) as T;
  });
}
