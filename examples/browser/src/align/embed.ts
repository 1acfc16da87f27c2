// The aligned crop through the demo's backbone: resized to its input, normalized as in training.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { applyTransform, normalize } from '@face/data';

/** Embeds one crop `[1, h, w, 3]` (0..255) with `backbone`, whose input is `size` px. */
export async function embedCrop(
  backbone: tfl.LayersModel,
  crop: tf.Tensor4D,
  size: number,
): Promise<number[]> {
  const embedding = tf.tidy(() => {
    const resized = tf.image.resizeBilinear(crop, [size, size]);
    return backbone.predict(applyTransform(normalize(), resized)) as tf.Tensor2D;
  });
  const values = Array.from(await embedding.data());
  embedding.dispose();
  return values;
}
