import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';
import type { DataLoader } from '@face/data';
import type { ResumableBatchSource } from '@face/train';

/** A training batch of the recipes: images and their identity labels. */
export interface FaceBatch {
  /** float32 [n, H, W, 3], already transformed (normalized, augmented). */
  images: tf.Tensor4D;
  /** Identity of each image, 0..C-1 (plain numbers: losses read them on the CPU anyway). */
  labels: Int32Array;
}

/**
 * A @face/data `DataLoader` as the trainer's {@link ResumableBatchSource}: batch b of epoch e
 * depends only on the loader's dataset, sampler, transform and seed, so resuming at
 * `{ epoch, batchIndex }` gives exactly the batches an uninterrupted run sees. Batches the
 * loader prefetched are disposed by it when the trainer stops early. Labels are the loader's (one
 * per image in the batch, so an image put in a bad file's place keeps its own label), as numbers.
 */
export function loaderSource(loader: DataLoader): ResumableBatchSource<FaceBatch> {
  if (!loader || typeof loader.epoch !== 'function')
    throw new InvalidArgumentError('loaderSource', 'loader', loader, 'a DataLoader of @face/data');
  return {
    batchesPerEpoch: () => loader.batchesPerEpoch,
    async *batches({ epoch, batchIndex }) {
      for await (const b of loader.epoch(epoch, { startBatch: batchIndex })) {
        // The loader's labels, values as built (no backend round trip: never used in a kernel).
        const labels = (await b.labels.data()) as Int32Array;
        b.labels.dispose();
        yield { images: b.images, labels };
      }
    },
  };
}
