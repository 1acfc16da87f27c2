import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkOneOf, InvalidArgumentError } from '@face/core';
import { checkIdentityLabels, countLabels } from '../input';
import {
  checkFinite,
  checkMetric,
  l2Normalize,
  squaredNorms,
  toTensor2D,
  type Embeddings,
  type SimilarityMetric,
} from './embeddings';
import type { Neighbors } from './neighbors';
import { RunningTopK } from './running-top-k';
import { checkSameDim, negDistanceFromDots } from './similarity-matrix';

export interface SearchOptions {
  /** Matches to keep per query (default 1). */
  k?: number;
  /** Default `cosine`; `euclidean` scores are negated distances (higher = closer). */
  metric?: SimilarityMetric;
  /**
   * `item` (default): the k most similar gallery rows. `identity`: the k most similar
   * identities, each represented by its best row (needs `galleryLabels`); ranks then count
   * identities, as a CMC curve does.
   */
  by?: 'item' | 'identity';
  /** Identity of each gallery row; required with `by: 'identity'`. */
  galleryLabels?: ArrayLike<number>;
  /** The queries are the gallery itself: never return row i as a match of query i. */
  excludeSelf?: boolean;
  /** Queries per block (default 1024). */
  queryBatchSize?: number;
  /** Gallery rows per block (default 8192): a block is queryBatchSize x galleryBatchSize floats. */
  galleryBatchSize?: number;
}

/**
 * Nearest gallery rows of each query, computed block by block on the current TF.js backend:
 * one `queryBatchSize x galleryBatchSize` block of similarities exists at a time, its top
 * candidates (`tf.topk`) are read back and merged into a running top-k per query, so a 100k (or
 * 10M) gallery never needs its full similarity matrix. Ties go to the lower gallery index.
 */
export async function searchGallery(
  queries: Embeddings,
  gallery: Embeddings,
  options: SearchOptions = {},
): Promise<Neighbors> {
  const fn = 'searchGallery';
  const {
    k = 1,
    by = 'item',
    galleryLabels,
    excludeSelf = false,
    queryBatchSize = 1024,
    galleryBatchSize = 8192,
  } = options;
  const metric = checkMetric(fn, options.metric ?? 'cosine');
  checkOneOf(fn, 'by', by, ['item', 'identity'] as const);
  checkInteger(fn, 'queryBatchSize', queryBatchSize, { min: 1 });
  checkInteger(fn, 'galleryBatchSize', galleryBatchSize, { min: 1 });

  const Q = toTensor2D(fn, 'queries', queries);
  const G = toTensor2D(fn, 'gallery', gallery);
  const owned: tf.Tensor[] = [];
  if (Q.owned) owned.push(Q.tensor);
  if (G.owned) owned.push(G.tensor);
  try {
    checkSameDim(fn, Q.tensor, G.tensor, 'gallery');
    checkFinite(fn, 'queries', Q.tensor);
    checkFinite(fn, 'gallery', G.tensor);
    const [nq, d] = Q.tensor.shape;
    const ng = G.tensor.shape[0];
    if (excludeSelf && nq !== ng) {
      throw new InvalidArgumentError(
        fn,
        'queries.shape[0]',
        nq,
        `${ng} (excludeSelf: the queries are the gallery)`,
      );
    }
    let perIdentity = 1;
    let candidates = ng;
    if (galleryLabels !== undefined || by === 'identity') {
      if (galleryLabels === undefined) {
        throw new InvalidArgumentError(
          fn,
          'galleryLabels',
          galleryLabels,
          "one label per gallery row (by: 'identity')",
        );
      }
      checkIdentityLabels(fn, 'galleryLabels', galleryLabels);
      if (galleryLabels.length !== ng) {
        throw new InvalidArgumentError(
          fn,
          'galleryLabels.length',
          galleryLabels.length,
          `${ng} (gallery rows)`,
        );
      }
    }
    if (by === 'identity') {
      const counts = countLabels(galleryLabels!);
      perIdentity = Math.max(...counts.values());
      candidates = counts.size;
    }
    checkInteger(fn, 'k', k, { min: 1, max: candidates });

    const top = new RunningTopK(nq, k, by === 'identity' ? galleryLabels : undefined);
    // Per block, enough candidates that the merged result is exact: k items, or k identities
    // (at most perIdentity rows each), plus one when the query itself may be among them.
    const wanted = k * perIdentity + (excludeSelf ? 1 : 0);
    // Queries prepared once: unit rows for cosine, squared norms for euclidean.
    const qRows = metric === 'cosine' ? l2Normalize(Q.tensor) : Q.tensor;
    if (qRows !== Q.tensor) owned.push(qRows);
    const qSq = metric === 'euclidean' ? squaredNorms(Q.tensor) : null;
    if (qSq) owned.push(qSq);

    // Gallery blocks outside, query blocks inside: each gallery block is prepared (normalized,
    // transposed) once. It is passed to matMul as a [d, n] matrix rather than with
    // transposeB: the wasm backend runs only the untransposed product through XNNPACK, about
    // 10x faster.
    for (let g0 = 0; g0 < ng; g0 += galleryBatchSize) {
      const gn = Math.min(galleryBatchSize, ng - g0);
      const kk = Math.min(wanted, gn);
      const [gT, gSq] = prepareGalleryBlock(metric, G.tensor, g0, gn);
      try {
        for (let q0 = 0; q0 < nq; q0 += queryBatchSize) {
          const qn = Math.min(queryBatchSize, nq - q0);
          const { values, indices } = tf.tidy(() => {
            const dots = tf.matMul(tf.slice(qRows, [q0, 0], [qn, d]), gT) as tf.Tensor2D;
            const block =
              metric === 'cosine'
                ? dots
                : negDistanceFromDots(
                    dots,
                    tf.slice(qSq as tf.Tensor1D, [q0], [qn]),
                    gSq as tf.Tensor1D,
                  );
            return tf.topk(block, kk, true);
          });
          let v: ArrayLike<number>;
          let ix: ArrayLike<number>;
          try {
            [v, ix] = await Promise.all([values.data(), indices.data()]);
          } finally {
            values.dispose();
            indices.dispose();
          }
          for (let i = 0; i < qn; i++) {
            top.offer(q0 + i, v, ix, i * kk, kk, g0, excludeSelf ? q0 + i : -1);
          }
        }
      } finally {
        gT.dispose();
        gSq?.dispose();
      }
    }
    return { queries: nq, k, indices: top.indices, scores: top.scores };
  } finally {
    tf.dispose(owned);
  }
}

/** Gallery rows [g0, g0 + gn) as a [d, gn] matrix (unit columns for cosine) and, for euclidean, their squared norms. */
function prepareGalleryBlock(
  metric: SimilarityMetric,
  gallery: tf.Tensor2D,
  g0: number,
  gn: number,
): [tf.Tensor2D, tf.Tensor1D | null] {
  const rows = tf.slice(gallery, [g0, 0], [gn, gallery.shape[1]]);
  try {
    if (metric === 'cosine') return [tf.tidy(() => tf.transpose(l2Normalize(rows))), null];
    return [tf.transpose(rows), squaredNorms(rows)];
  } finally {
    rows.dispose();
  }
}
