import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  DataLoader,
  ShuffleSampler,
  normalize,
  subset,
  type FaceDataset,
  type Pair,
} from '@face/data';
import {
  VALIDATION_FAR_TARGETS,
  evaluationReport,
  verificationMetrics,
  type EvaluationReport,
  type VerificationMetrics,
} from '@face/metrics';
import { pairSimilarity } from '@face/metrics/similarity';

/** Embeddings (inference mode) of every image of `dataset`, in dataset order: [size, d]. */
export async function embedDataset(
  backbone: tfl.LayersModel,
  dataset: FaceDataset,
  batchSize = 64,
): Promise<tf.Tensor2D> {
  const loader = new DataLoader(dataset, {
    sampler: new ShuffleSampler(dataset, { batchSize, shuffle: false }),
    transform: normalize(),
  });
  const parts: tf.Tensor2D[] = [];
  for await (const { images, labels } of loader) {
    parts.push(backbone.predict(images) as tf.Tensor2D);
    tf.dispose([images, labels]);
  }
  const all = tf.concat(parts);
  tf.dispose(parts);
  return all;
}

export interface Verification {
  /** Cosine similarity of each pair, in `pairs` order. */
  scores: Float32Array;
  same: boolean[];
  metrics: VerificationMetrics;
  /** The JSON report and its SVG plots (ROC, score histograms); absent with `report: false`. */
  report?: EvaluationReport;
}

/** 1:1 verification of `pairs` (indices into the embedded dataset) by cosine similarity. */
export async function verifyPairs(
  embeddings: tf.Tensor2D,
  pairs: Pair[],
  { report = true }: { report?: boolean } = {},
): Promise<Verification> {
  const scoresTensor = tf.tidy(() => {
    const a = tf.gather(
      embeddings,
      pairs.map((p) => p.first),
    );
    const b = tf.gather(
      embeddings,
      pairs.map((p) => p.second),
    );
    return pairSimilarity(a, b);
  });
  const scores = (await scoresTensor.data()) as Float32Array;
  scoresTensor.dispose();
  const same = pairs.map((p) => p.same);
  const metrics = verificationMetrics(scores, same, { far: VALIDATION_FAR_TARGETS });
  if (!report) return { scores, same, metrics };
  return {
    scores,
    same,
    metrics,
    report: await evaluationReport({
      title: 'Unseen people',
      verification: { scores, labels: same, far: VALIDATION_FAR_TARGETS },
    }),
  };
}

/** The first `count` images of `dataset` (the probe whose embeddings the page publishes). */
export function probeSet(dataset: FaceDataset, count: number): FaceDataset {
  return subset(
    dataset,
    Array.from({ length: Math.min(count, dataset.size) }, (_, i) => i),
  );
}

/** Embeddings of a (small) dataset as rows of numbers. */
export async function embedRows(
  backbone: tfl.LayersModel,
  dataset: FaceDataset,
): Promise<number[][]> {
  const e = await embedDataset(backbone, dataset);
  const rows = (await e.array()) as number[][];
  e.dispose();
  return rows;
}
