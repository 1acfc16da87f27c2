import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkBoolean, checkInteger } from '@face/core';
import {
  disposeBatch,
  DataLoader,
  ShuffleSampler,
  normalize,
  type FaceDataset,
  type Problem,
  type Transform,
} from '@face/data';
import type { ClassifierHead } from '../recipes/heads';
import { badImagePolicy, embedBatch, type EmbeddingModel, type OnBadImage } from './embed';
import { DEFAULT_EVAL_BATCH_SIZE } from '../recipes/defaults';

export interface ClassificationResult {
  samples: number;
  /** Top-1 accuracy. */
  accuracy: number;
  /** Top-k accuracy for each requested k (ties go to the lower class index). */
  topK: Record<number, number>;
  /** Inference scores [samples][numClasses] when `keepScores` was set (for reports). */
  scores?: Float32Array[];
  /** The label of each image evaluated (`samples` of them). */
  labels: Int32Array;
  /** Images that could not be decoded and were left out (onBadImage 'skip'), each once. */
  skipped: Problem[];
}

export interface ClassificationOptions {
  batchSize?: number;
  transform?: Transform;
  /** Which top-k accuracies (default [1, 5]; k larger than the classes is left out). */
  k?: readonly number[];
  keepScores?: boolean;
  /** An image that cannot be decoded: 'skip' (default) leaves it out, 'fail' throws. */
  onBadImage?: OnBadImage;
  /** Flip test-time augmentation (see `EmbedOptions.flip`): the head scores the mean embedding. */
  flip?: boolean;
}

/**
 * Closed-set accuracy: the backbone embeds each image (inference mode), the head scores the
 * classes (no margin), and the highest score is the prediction. `dataset`'s labels must be the
 * head's classes (held-out images of the training identities). Unreadable images are left out
 * (`skipped`) unless `onBadImage` is 'fail'.
 */
export async function evaluateClassification(
  model: EmbeddingModel,
  head: ClassifierHead,
  dataset: FaceDataset,
  {
    batchSize = DEFAULT_EVAL_BATCH_SIZE,
    transform = normalize(),
    k = [1, 5],
    keepScores = false,
    onBadImage = 'skip',
    flip = false,
  }: ClassificationOptions = {},
): Promise<ClassificationResult> {
  const fn = 'evaluateClassification';
  checkInteger(fn, 'batchSize', batchSize, { min: 1 });
  checkBoolean(fn, 'flip', flip);
  if (dataset.size === 0)
    throw new InvalidArgumentError(fn, 'dataset', dataset, 'at least one image');
  const bad = dataset.labels.findIndex((y) => y >= head.numClasses);
  if (bad >= 0)
    throw new InvalidArgumentError(
      fn,
      `dataset.labels[${bad}]`,
      dataset.labels[bad],
      `a class of the head (< ${head.numClasses}): classification is evaluated on identities seen in training`,
    );
  const ks = [...new Set([1, ...k])].filter((x) => x <= head.numClasses).sort((a, b) => a - b);
  const hits = new Map(ks.map((x) => [x, 0]));
  const scores: Float32Array[] = [];
  const loader = new DataLoader(dataset, {
    sampler: new ShuffleSampler(dataset, { batchSize, shuffle: false }),
    transform,
    ...badImagePolicy(fn, onBadImage),
  });
  let row = 0;
  const labels: number[] = [];
  for await (const batch of loader.epoch(0)) {
    let data: Float32Array;
    const n = batch.images.shape[0];
    try {
      const logits = tf.tidy(() => {
        const e = embedBatch(model, batch.images, { flip });
        return head.logits(e);
      });
      data = (await logits.data()) as Float32Array;
      logits.dispose();
    } finally {
      disposeBatch(batch);
    }
    const c = head.numClasses;
    for (let i = 0; i < n; i++, row++) {
      const s = data.subarray(i * c, (i + 1) * c);
      if (keepScores) scores.push(Float32Array.from(s));
      const y = dataset.labels[batch.indices[i]];
      labels.push(y);
      // Rank of the true class: classes scoring higher, plus equal ones at a lower index.
      let rank = 0;
      for (let j = 0; j < c; j++) if (s[j] > s[y] || (s[j] === s[y] && j < y)) rank++;
      for (const x of ks) if (rank < x) hits.set(x, hits.get(x)! + 1);
    }
  }
  const topK: Record<number, number> = {};
  if (row === 0)
    throw new InvalidArgumentError(
      fn,
      'dataset',
      `${dataset.size} images, none decodable (${loader.skipped.length} skipped)`,
      'at least one image that decodes',
    );
  for (const x of ks) topK[x] = hits.get(x)! / row;
  return {
    samples: row,
    accuracy: topK[1],
    topK,
    ...(keepScores ? { scores } : {}),
    labels: Int32Array.from(labels),
    skipped: [...loader.skipped],
  };
}
