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
  const plan = readOptions(fn, options);
  const Q = toTensor2D(fn, 'queries', queries);
  const G = toTensor2D(fn, 'gallery', gallery);
  const owned: tf.Tensor[] = [];
  if (Q.owned) owned.push(Q.tensor);
  if (G.owned) owned.push(G.tensor);
  try {
    const wanted = checkInputs(fn, Q.tensor, G.tensor, plan);
    const { metric, k, by, galleryLabels } = plan;
    const nq = Q.tensor.shape[0];
    const top = new RunningTopK(nq, k, by === 'identity' ? galleryLabels : undefined);
    // Queries prepared once: unit rows for cosine, squared norms for euclidean.
    const qRows = metric === 'cosine' ? l2Normalize(Q.tensor) : Q.tensor;
    if (qRows !== Q.tensor) owned.push(qRows);
    const qSq = metric === 'euclidean' ? squaredNorms(Q.tensor) : null;
    if (qSq) owned.push(qSq);
    const search = { plan, qRows, qSq, top, wanted };
    // Gallery blocks outside, query blocks inside: each gallery block is prepared (normalized,
    // transposed) once.
    for (let g0 = 0; g0 < G.tensor.shape[0]; g0 += plan.galleryBatchSize) {
      await searchGalleryBlock(search, G.tensor, g0);
    }
    return { queries: nq, k, indices: top.indices, scores: top.scores };
  } finally {
    tf.dispose(owned);
  }
}

/** The options, defaulted and checked (those that need no tensor, checked before any is made). */
interface SearchPlan {
  k: number;
  metric: SimilarityMetric;
  by: 'item' | 'identity';
  galleryLabels: ArrayLike<number> | undefined;
  excludeSelf: boolean;
  queryBatchSize: number;
  galleryBatchSize: number;
}

function readOptions(fn: string, options: SearchOptions): SearchPlan {
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
  return { k, metric, by, galleryLabels, excludeSelf, queryBatchSize, galleryBatchSize };
}

/**
 * Checks the embeddings against each other and the options; returns how many candidates each
 * block must keep for the merged top-k to be exact.
 */
function checkInputs(fn: string, q: tf.Tensor2D, g: tf.Tensor2D, plan: SearchPlan): number {
  checkSameDim(fn, q, g, 'gallery');
  checkFinite(fn, 'queries', q);
  checkFinite(fn, 'gallery', g);
  const nq = q.shape[0];
  const ng = g.shape[0];
  if (plan.excludeSelf && nq !== ng) {
    throw new InvalidArgumentError(
      fn,
      'queries.shape[0]',
      nq,
      `${ng} (excludeSelf: the queries are the gallery)`,
    );
  }
  const { perIdentity, candidates } = identityCounts(fn, plan, ng);
  checkInteger(fn, 'k', plan.k, { min: 1, max: candidates });
  // Per block, enough candidates that the merged result is exact: k items, or k identities
  // (at most perIdentity rows each), plus one when the query itself may be among them.
  return plan.k * perIdentity + (plan.excludeSelf ? 1 : 0);
}

/**
 * By identity, a query's k answers are k identities: there are as many candidates as
 * identities, and one identity may fill up to `perIdentity` (its row count) places of a
 * block's item top-k before the next identity shows. By item, every row is one candidate.
 */
function identityCounts(
  fn: string,
  { by, galleryLabels }: SearchPlan,
  ng: number,
): { perIdentity: number; candidates: number } {
  if (galleryLabels === undefined && by !== 'identity') return { perIdentity: 1, candidates: ng };
  if (galleryLabels === undefined) {
    throw new InvalidArgumentError(
      fn,
      'galleryLabels',
      galleryLabels,
      "one label per gallery row (by: 'identity')",
    );
  }
  // Labels given with by: 'item' are still checked: a wrong array is a mistake either way.
  checkIdentityLabels(fn, 'galleryLabels', galleryLabels);
  if (galleryLabels.length !== ng) {
    throw new InvalidArgumentError(
      fn,
      'galleryLabels.length',
      galleryLabels.length,
      `${ng} (gallery rows)`,
    );
  }
  if (by !== 'identity') return { perIdentity: 1, candidates: ng };
  const counts = countLabels(galleryLabels);
  return { perIdentity: Math.max(...counts.values()), candidates: counts.size };
}

/** What every block of one search shares. */
interface Search {
  plan: SearchPlan;
  /** Query rows (unit rows for cosine) and, for euclidean, their squared norms. */
  qRows: tf.Tensor2D;
  qSq: tf.Tensor1D | null;
  top: RunningTopK;
  /** Candidates to keep per block (see checkInputs). */
  wanted: number;
}

/** Every query block against gallery rows [g0, g0 + galleryBatchSize), merged into `top`. */
async function searchGalleryBlock(search: Search, gallery: tf.Tensor2D, g0: number): Promise<void> {
  const { plan, top } = search;
  const nq = search.qRows.shape[0];
  const gn = Math.min(plan.galleryBatchSize, gallery.shape[0] - g0);
  const kk = Math.min(search.wanted, gn);
  const [gT, gSq] = prepareGalleryBlock(plan.metric, gallery, g0, gn);
  try {
    for (let q0 = 0; q0 < nq; q0 += plan.queryBatchSize) {
      const qn = Math.min(plan.queryBatchSize, nq - q0);
      const [v, ix] = await blockTopK(search, gT, gSq, q0, qn, kk);
      for (let i = 0; i < qn; i++) {
        top.offer(q0 + i, v, ix, i * kk, kk, g0, plan.excludeSelf ? q0 + i : -1);
      }
    }
  } finally {
    gT.dispose();
    gSq?.dispose();
  }
}

/**
 * The `kk` best scores (and their columns) of each of queries [q0, q0 + qn) against one
 * prepared gallery block, read back to the CPU. Only this block's similarities exist at once.
 */
async function blockTopK(
  { plan, qRows, qSq }: Search,
  gT: tf.Tensor2D,
  gSq: tf.Tensor1D | null,
  q0: number,
  qn: number,
  kk: number,
): Promise<[ArrayLike<number>, ArrayLike<number>]> {
  const { values, indices } = tf.tidy(() => {
    const dots = tf.matMul(tf.slice(qRows, [q0, 0], [qn, qRows.shape[1]]), gT) as tf.Tensor2D;
    const block =
      plan.metric === 'cosine'
        ? dots
        : negDistanceFromDots(dots, tf.slice(qSq as tf.Tensor1D, [q0], [qn]), gSq as tf.Tensor1D);
    return tf.topk(block, kk, true);
  });
  try {
    return await Promise.all([values.data(), indices.data()]);
  } finally {
    values.dispose();
    indices.dispose();
  }
}

/**
 * Gallery rows [g0, g0 + gn) as a [d, gn] matrix (unit columns for cosine) and, for euclidean,
 * their squared norms. It is handed to matMul as [d, n] rather than with transposeB: the wasm
 * backend runs only the untransposed product through XNNPACK, about 10x faster.
 */
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
