import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Rng, ShapeError, checkInteger } from '@face/core';
import { deriveSeed } from '../seed';

/** One image as float pixels: RGB interleaved, rows top to bottom (HWC). */
export interface PixelImage {
  data: Float32Array;
  height: number;
  width: number;
}

/**
 * A step of the image pipeline, with two equivalent implementations:
 * - `apply`, on a batch tensor: `images` float32 `[N, H, W, 3]` (0..255 until a `normalize`
 *   step), `rngs` one generator per image. Never disposes its input; returns a new tensor the
 *   caller owns.
 * - `applyToPixels`, on one image in memory, drawing from `rng` exactly as `apply` does for that
 *   image. The DataLoader uses it (when every step has one) to augment images before they become
 *   a tensor, as PyTorch's loader workers do: simple loops beat broadcasting ops on the `cpu`
 *   backend by orders of magnitude, and nothing is uploaded twice on GPU backends.
 * A random step draws only from image i's generator, so an image's augmentation is the same alone
 * or in a batch, on either path, on any backend.
 */
export interface Transform {
  readonly name: string;
  apply(images: tf.Tensor4D, rngs: readonly Rng[]): tf.Tensor4D;
  applyToPixels?(image: PixelImage, rng: Rng): PixelImage;
  /**
   * What the transform is, as JSON that `transformFromSpec` rebuilds it from (the deterministic
   * built-ins: `normalize`, `resize`, `centerCrop`, and `compose` of them). Absent on a transform
   * that cannot be saved (a caller's own function, a random augmentation).
   */
  readonly spec?: TransformSpec;
}

/** A size as the geometry transforms take it: a number, or `[height, width]`. */
export type SizeSpec = number | [number, number];

/** A saved transform: plain JSON, rebuilt by `transformFromSpec`. */
export type TransformSpec =
  | { kind: 'normalize'; mean: [number, number, number]; std: [number, number, number] }
  | { kind: 'resize'; size: SizeSpec; method: 'bilinear' | 'nearest' }
  | { kind: 'centerCrop'; size: SizeSpec }
  | { kind: 'compose'; transforms: TransformSpec[] }
  | RegisteredTransformSpec;

/**
 * The kind of a transform another package registers (`registerTransformKind`): prefixed with
 * its package, `'align.similarity'`, so it never takes a built-in's name.
 */
export type RegisteredTransformKind = `${string}.${string}`;

/** A saved transform of a registered kind: its kind and the JSON its builder reads. */
export interface RegisteredTransformSpec {
  kind: RegisteredTransformKind;
  [key: string]: unknown;
}

/** Asserts a `[N, H, W, 3]` batch and one generator per image. */
export function checkBatch(fn: string, images: tf.Tensor, rngs?: readonly Rng[]): void {
  if (!(images instanceof tf.Tensor)) {
    throw new InvalidArgumentError(fn, 'images', images, 'a tf.Tensor4D [N, H, W, 3]');
  }
  if (images.rank !== 4 || images.shape[3] !== 3) {
    throw new ShapeError(fn, 'images', images.shape, 'shape [N, H, W, 3]');
  }
  if (rngs !== undefined && (!Array.isArray(rngs) || rngs.length !== images.shape[0])) {
    throw new InvalidArgumentError(fn, 'rngs', rngs, `one Rng per image (${images.shape[0]})`);
  }
}

/** Runs transforms in order; intermediate tensors are disposed. */
export function compose(transforms: readonly Transform[]): Transform {
  if (!Array.isArray(transforms)) {
    throw new InvalidArgumentError('compose', 'transforms', transforms, 'an array of transforms');
  }
  transforms.forEach((t, i) => {
    if (!t || typeof t.apply !== 'function') {
      throw new InvalidArgumentError('compose', `transforms[${i}]`, t, 'a Transform');
    }
  });
  // Saveable when every step is.
  const specs = transforms.map((t) => t.spec);
  const spec: TransformSpec | null = specs.every((x) => x !== undefined)
    ? { kind: 'compose', transforms: specs as TransformSpec[] }
    : null;
  const composed: Transform = {
    name: `compose(${transforms.map((t) => t.name).join(', ')})`,
    ...(spec ? { spec } : {}),
    apply(images, rngs) {
      checkBatch('compose', images, rngs);
      if (transforms.length === 0) return tf.clone(images);
      return tf.tidy(() => {
        let x = images;
        for (const t of transforms) x = t.apply(x, rngs);
        return x;
      });
    },
  };
  if (transforms.every((t) => typeof t.applyToPixels === 'function')) {
    composed.applyToPixels = (image, rng) => {
      let x = image;
      for (const t of transforms)
        x = (t.applyToPixels as NonNullable<Transform['applyToPixels']>)(x, rng);
      return x;
    };
  }
  return composed;
}

/**
 * Applies a transform with generators seeded from `seed`: image i draws from
 * `new Rng(deriveSeed(seed, i))`. Accepts a single image `[H, W, 3]` too.
 */
export function applyTransform<T extends tf.Tensor3D | tf.Tensor4D>(
  transform: Transform,
  images: T,
  seed = 0,
): T {
  checkInteger('applyTransform', 'seed', seed);
  const single = images.rank === 3;
  const batch = (single ? tf.expandDims(images, 0) : images) as tf.Tensor4D;
  checkBatch('applyTransform', batch);
  const rngs = Array.from({ length: batch.shape[0] }, (_, i) => new Rng(deriveSeed(seed, i)));
  const out = transform.apply(batch, rngs);
  if (!single) return out as T;
  batch.dispose();
  const squeezed = tf.squeeze(out, [0]);
  out.dispose();
  return squeezed as T;
}

/** Output size from a number (square) or [height, width]. */
export function readSize(fn: string, size: number | readonly [number, number]): [number, number] {
  if (typeof size === 'number') {
    checkInteger(fn, 'size', size, { min: 1 });
    return [size, size];
  }
  if (!Array.isArray(size) || size.length !== 2) {
    throw new InvalidArgumentError(fn, 'size', size, 'an integer or [height, width]');
  }
  checkInteger(fn, 'size[0]', size[0], { min: 1 });
  checkInteger(fn, 'size[1]', size[1], { min: 1 });
  return [size[0], size[1]];
}

/** Indices of `items` grouped by `key`, groups in order of first appearance. */
export function groupIndices<T>(items: readonly T[], key: (item: T) => string): number[][] {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(i);
    else groups.set(k, [i]);
  });
  return [...groups.values()];
}

/**
 * The rows of `pieces` (computed per group of `groupIndices`) back in the original order: piece
 * rows come in the order of `groups` flattened.
 */
export function restoreOrder(pieces: tf.Tensor4D[], groups: readonly number[][]): tf.Tensor4D {
  if (pieces.length === 1) return pieces[0];
  const inverse = new Array<number>(groups.reduce((n, g) => n + g.length, 0));
  let pos = 0;
  for (const group of groups) for (const i of group) inverse[i] = pos++;
  return tf.gather(tf.concat(pieces, 0), inverse);
}

/** A blank image of the given size. */
export function pixelImage(height: number, width: number): PixelImage {
  return { data: new Float32Array(height * width * 3), height, width };
}
