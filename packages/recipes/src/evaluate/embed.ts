import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidArgumentError,
  ShapeError,
  checkBoolean,
  checkInteger,
  checkOneOf,
} from '@face/core';
import {
  disposeBatch,
  DataLoader,
  ShuffleSampler,
  normalize,
  subset,
  type FaceDataset,
  type Problem,
  type Transform,
} from '@face/data';
import { DEFAULT_EVAL_BATCH_SIZE } from '../recipes/defaults';

/** What turns a batch of images into embeddings: a tfjs-layers model (the backbone). */
export interface EmbeddingModel {
  apply(inputs: tf.Tensor, kwargs?: { training?: boolean }): tf.Tensor | tf.Tensor[] | unknown;
}

/** Embeddings of a dataset's images, one row each, in dataset order (less unreadable images). */
export interface DatasetEmbeddings {
  /** Row-major [count, dim]. */
  embeddings: Float32Array;
  dim: number;
  count: number;
  /** The dataset's label of each row. */
  labels: Int32Array;
  /** The dataset index of each row: every image asked for, less the skipped ones. */
  indices: Int32Array;
  /** Images that could not be decoded and have no row (onBadImage 'skip'), each once. */
  skipped: Problem[];
}

/** What evaluation does with an image it cannot decode. */
export type OnBadImage = 'skip' | 'fail';

export interface EmbedOptions {
  /** Images per forward pass. Default 64. */
  batchSize?: number;
  /** What the images go through before the model (default `normalize()`: x / 127.5 - 1). */
  transform?: Transform;
  /** Only these dataset indices (in this order). Default: every image. */
  indices?: readonly number[];
  /**
   * An image that cannot be decoded: 'skip' (default) leaves it out (no row; evaluations drop the
   * pairs and queries that need it and say how many); 'fail' throws its ImageDecodeError.
   */
  onBadImage?: OnBadImage;
  /**
   * Flip test-time augmentation: each image's embedding is the mean of the embeddings of the image
   * and of its horizontal mirror (two forward passes). InsightFace's LFW-style verification sums
   * the two (`embeddings_list[0] + embeddings_list[1]` in its eval/verification.py) before
   * normalizing; the mean points the same way (same cosine scores) and keeps one pass's scale.
   * Default false.
   */
  flip?: boolean;
  /**
   * Scale each embedding to unit L2 norm (after `flip`), as InsightFace hands them out. Cosine
   * scores do not change; without it norms are whatever the backbone gives (7-9 for the
   * library's backbones trained with a margin head). Default false.
   */
  l2Normalize?: boolean;
}

/** Options of {@link embedBatch}: the test-time flip and the unit norm of {@link EmbedOptions}. */
export type EmbedBatchOptions = Pick<EmbedOptions, 'flip' | 'l2Normalize'>;

/** The DataLoader policy of an `onBadImage` option: skipped images are dropped, never replaced. */
export function badImagePolicy(fn: string, onBadImage: unknown) {
  const policy = checkOneOf(fn, 'onBadImage', onBadImage, ['skip', 'fail']);
  return { onError: policy === 'fail' ? ('throw' as const) : ('skip' as const), replace: false };
}

/**
 * Runs `model` in inference mode on images [n, H, W, 3]; returns [n, d] (a tensor you dispose).
 * With `flip`, the mean of the embeddings of the images and of their mirrors (width reversed);
 * with `l2Normalize`, each row scaled to unit norm.
 */
export function embedBatch(
  model: EmbeddingModel,
  images: tf.Tensor4D,
  { flip = false, l2Normalize = false }: EmbedBatchOptions = {},
): tf.Tensor2D {
  return tf.tidy(() => {
    let out = forward(model, images);
    // NHWC: axis 2 is the width, so this is the horizontal mirror.
    if (flip) out = tf.div(tf.add(out, forward(model, tf.reverse(images, 2))), 2);
    // A zero row stays zero (no NaN): its norm is clamped to the smallest float32 normal.
    if (l2Normalize)
      out = tf.div(out, tf.maximum(tf.norm(out, 'euclidean', 1, true), 1.1754943508222875e-38));
    return out;
  });
}

function forward(model: EmbeddingModel, images: tf.Tensor4D): tf.Tensor2D {
  const out = model.apply(images, { training: false });
  if (!(out instanceof tf.Tensor) || out.rank !== 2) {
    throw new ShapeError(
      'embedBatch',
      'model output',
      out instanceof tf.Tensor ? out.shape : out,
      'one [n, d] tensor (an embedding per image)',
    );
  }
  return out as tf.Tensor2D;
}

/**
 * Embeds every image of `dataset` (or `indices` of it) with `model` in inference mode (BatchNorm on
 * its running statistics), batch by batch (with `flip`, the mean over each image and its mirror;
 * with `l2Normalize`, unit rows); no tensor survives the call. Unreadable images are left
 * out by default (`indices` says which image each row is, `skipped` which files failed).
 */
export async function embedDataset(
  model: EmbeddingModel,
  dataset: FaceDataset,
  {
    batchSize = DEFAULT_EVAL_BATCH_SIZE,
    transform = normalize(),
    indices,
    onBadImage = 'skip',
    flip = false,
    l2Normalize = false,
  }: EmbedOptions = {},
): Promise<DatasetEmbeddings> {
  const fn = 'embedDataset';
  if (!model || typeof model.apply !== 'function')
    throw new InvalidArgumentError(fn, 'model', model, 'a model with apply() (a tf.LayersModel)');
  checkInteger(fn, 'batchSize', batchSize, { min: 1 });
  checkBoolean(fn, 'flip', flip);
  checkBoolean(fn, 'l2Normalize', l2Normalize);
  const order = indices ? [...indices] : Array.from({ length: dataset.size }, (_, i) => i);
  if (order.length === 0)
    throw new InvalidArgumentError(fn, 'dataset', dataset, 'at least one image');
  const view = indices ? subset(dataset, order) : dataset;
  const loader = new DataLoader(view, {
    sampler: new ShuffleSampler(view, { batchSize, shuffle: false }),
    transform,
    ...badImagePolicy(fn, onBadImage),
  });
  let out: Float32Array | null = null;
  let dim = 0;
  let row = 0;
  const rows: number[] = [];
  for await (const batch of loader.epoch(0)) {
    try {
      const e = embedBatch(model, batch.images, { flip, l2Normalize });
      const data = await e.data();
      dim = e.shape[1];
      e.dispose();
      out ??= new Float32Array(order.length * dim);
      out.set(data as Float32Array, row * dim);
      row += batch.images.shape[0];
      for (const i of batch.indices) rows.push(order[i]);
    } finally {
      disposeBatch(batch);
    }
  }
  return {
    // Rows of skipped images were never written: cut them off.
    embeddings: out ? (row < order.length ? out.slice(0, row * dim) : out) : new Float32Array(0),
    dim,
    count: row,
    labels: Int32Array.from(rows, (i) => dataset.labels[i]),
    indices: Int32Array.from(rows),
    skipped: [...loader.skipped],
  };
}

/** Row `i` of row-major embeddings. */
export function embeddingRow(e: DatasetEmbeddings, i: number): Float32Array {
  return e.embeddings.subarray(i * e.dim, (i + 1) * e.dim);
}

// The pair score is @face/metrics'; re-exported so `cosineSimilarity` of @face/train stays.
export { cosineSimilarity } from '@face/metrics';
