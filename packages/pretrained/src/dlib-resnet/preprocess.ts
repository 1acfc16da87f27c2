import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, InvalidArgumentError, ShapeError } from '@face/core';
import { DLIB_RESNET_INPUT_SIZE } from './architecture';

/** Per-channel RGB means the network was trained with (dlib `input_rgb_image`'s defaults). */
export const DLIB_MEAN_RGB: readonly [number, number, number] = [122.782, 117.001, 104.298];

export interface DlibPreprocessOptions {
  /**
   * The centred values are divided by this. face-api divides by 255, and its descriptors are the
   * ones this package reproduces; dlib's own C++ input layer divides by 256.
   */
  divisor?: number;
}

/** Images accepted: one [h, w, 3] image, a [n, h, w, 3] batch, or a list of images. */
export type DlibImages = tf.Tensor3D | tf.Tensor4D | (tf.Tensor3D | tf.Tensor4D)[];

/**
 * Pads an image to a square with black, as face-api's `padToSquare(img, isCenterImage = true)`:
 * `round(d / 2)` rows (or columns) after the image and the rest before it, d = |h - w|.
 */
function padToSquare(image: tf.Tensor3D): tf.Tensor3D {
  const [h, w] = image.shape;
  if (h === w) return image;
  const d = Math.abs(h - w);
  const after = Math.round(d / 2);
  const pad: [number, number] = [d - after, after];
  return tf.pad(image, h > w ? [[0, 0], pad, [0, 0]] : [pad, [0, 0], [0, 0]]);
}

function toImageList(fn: string, images: DlibImages): tf.Tensor3D[] | tf.Tensor4D {
  const list = Array.isArray(images) ? images : [images];
  if (list.length === 0) throw new InvalidArgumentError(fn, 'images', images, 'at least one image');
  list.forEach((t, i) => {
    if (!(t instanceof tf.Tensor)) {
      throw new InvalidArgumentError(
        fn,
        `images[${i}]`,
        t,
        'a tf.Tensor3D [h, w, 3] or Tensor4D [n, h, w, 3]',
      );
    }
    if (
      (t.rank !== 3 && t.rank !== 4) ||
      t.shape[t.rank - 1] !== 3 ||
      t.shape.some((d) => d === 0)
    ) {
      throw new ShapeError(
        fn,
        Array.isArray(images) ? `images[${i}]` : 'images',
        t.shape,
        'shape [h, w, 3] or [n, h, w, 3] with h, w > 0',
      );
    }
  });
  const size = DLIB_RESNET_INPUT_SIZE;
  // Fast path: a batch already at the network's size needs neither padding nor resizing.
  if (
    !Array.isArray(images) &&
    images.rank === 4 &&
    images.shape[1] === size &&
    images.shape[2] === size
  ) {
    return images as tf.Tensor4D;
  }
  return list.flatMap((t) =>
    t.rank === 3 ? [t as tf.Tensor3D] : (tf.unstack(t as tf.Tensor4D) as tf.Tensor3D[]),
  );
}

/**
 * face-api's preprocessing for the dlib ResNet, as a [n, 150, 150, 3] float32 batch:
 * each image (RGB, values 0..255) is padded to a centred square with black, resized to 150x150
 * by bilinear interpolation (`tf.image.resizeBilinear`, no corner alignment, no half-pixel
 * centres) when it is not that size already, then `(x - DLIB_MEAN_RGB) / divisor`.
 * Images should be aligned face chips (dlib's `get_face_chip`: eyes level, 150 px, 25% padding).
 */
export function dlibPreprocess(
  images: DlibImages,
  options: DlibPreprocessOptions = {},
): tf.Tensor4D {
  const fn = 'dlibPreprocess';
  const divisor = checkNumber(fn, 'options.divisor', options.divisor ?? 255, {
    min: 0,
    exclusiveMin: true,
  });
  const size = DLIB_RESNET_INPUT_SIZE;
  return tf.tidy(() => {
    const list = toImageList(fn, images);
    const batch = Array.isArray(list)
      ? tf.stack(
          list.map((image) => {
            const square = padToSquare(tf.cast(image, 'float32'));
            return square.shape[0] === size
              ? square
              : tf.image.resizeBilinear(square, [size, size], false, false);
          }),
        )
      : tf.cast(list, 'float32');
    return tf.div(tf.sub(batch, tf.tensor1d([...DLIB_MEAN_RGB])), divisor) as tf.Tensor4D;
  });
}
