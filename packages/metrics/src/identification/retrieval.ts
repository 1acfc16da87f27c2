import { InvalidArgumentError } from '@face/core';
import { countLabels } from '../input';
import { labelNeighbors, type LabeledNeighbors, type Neighbors } from './neighbors';

export interface RetrievalOptions {
  /**
   * The queries are the gallery itself (query i is gallery item i), searched with
   * `excludeSelf`: R then counts the other items of the query's identity.
   */
  excludeSelf?: boolean;
}

/** Precision@1, R-precision and MAP@R (Musgrave et al., "A Metric Learning Reality Check", 2020). */
export interface RetrievalMetrics {
  precisionAt1: number;
  rPrecision: number;
  mapAtR: number;
  /** Queries scored: those with R >= 1 (queries of identities absent from the gallery are left out). */
  queries: number;
}

/**
 * For each query, R = gallery items with its label (minus itself with `excludeSelf`).
 * - precision@1: is the first match of the query's identity;
 * - R-precision = r / R with r the correct matches among the first R;
 * - MAP@R = (1 / R) sum_{i=1..R} P(i), P(i) = precision at i if match i is correct, else 0
 *   (Musgrave et al. 2020, section 3.2),
 * each averaged over queries with R >= 1. R-precision and MAP@R need item-level neighbors with
 * `k >= max R` (search with k = {@link maxR}).
 */
export function retrievalMetrics(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  options: RetrievalOptions = {},
): RetrievalMetrics {
  return compute('retrievalMetrics', neighbors, queryLabels, galleryLabels, options, true);
}

/** Precision@1 of {@link retrievalMetrics}; needs only k >= 1. */
export function precisionAt1(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  options: RetrievalOptions = {},
): number {
  return compute('precisionAt1', neighbors, queryLabels, galleryLabels, options, false)
    .precisionAt1;
}

/** R-precision of {@link retrievalMetrics}. */
export function rPrecision(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  options: RetrievalOptions = {},
): number {
  return compute('rPrecision', neighbors, queryLabels, galleryLabels, options, true).rPrecision;
}

/** MAP@R of {@link retrievalMetrics}. */
export function mapAtR(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  options: RetrievalOptions = {},
): number {
  return compute('mapAtR', neighbors, queryLabels, galleryLabels, options, true).mapAtR;
}

/** The k a search needs for R-precision and MAP@R: the largest R over the queries. */
export function maxR(
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  options: RetrievalOptions = {},
): number {
  const counts = countLabels(galleryLabels);
  let max = 0;
  for (let q = 0; q < queryLabels.length; q++) {
    max = Math.max(max, (counts.get(queryLabels[q]) ?? 0) - (options.excludeSelf ? 1 : 0));
  }
  return max;
}

function compute(
  fn: string,
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  { excludeSelf = false }: RetrievalOptions,
  needR: boolean,
): RetrievalMetrics {
  const n = labelNeighbors(fn, neighbors, queryLabels, galleryLabels);
  if (excludeSelf) checkNoSelf(fn, n, galleryLabels.length);
  let scored = 0;
  let p1 = 0;
  let rp = 0;
  let map = 0;
  for (let q = 0; q < n.queries; q++) {
    const y = n.queryLabels[q];
    const r = (n.galleryCounts.get(y) ?? 0) - (excludeSelf ? 1 : 0);
    if (r < 1) continue;
    if (needR && r > n.k) {
      throw new InvalidArgumentError(
        fn,
        'neighbors.k',
        n.k,
        `>= ${maxR(queryLabels, galleryLabels, { excludeSelf })} (the largest R; query ${q} has R = ${r})`,
      );
    }
    scored++;
    const row = q * n.k;
    if (n.matchLabels[row] === y) p1++;
    let correct = 0;
    let precisionSum = 0;
    for (let i = 0; i < Math.min(r, n.k); i++) {
      if (n.matchLabels[row + i] === y) {
        correct++;
        precisionSum += correct / (i + 1);
      }
    }
    rp += correct / r;
    map += precisionSum / r;
  }
  if (scored === 0) {
    throw new InvalidArgumentError(
      fn,
      'queryLabels',
      queryLabels,
      'at least one query with R >= 1 (its label in galleryLabels)',
    );
  }
  return {
    precisionAt1: p1 / scored,
    rPrecision: rp / scored,
    mapAtR: map / scored,
    queries: scored,
  };
}

function checkNoSelf(fn: string, n: LabeledNeighbors, gallerySize: number): void {
  if (n.queries !== gallerySize) {
    throw new InvalidArgumentError(
      fn,
      'neighbors.queries',
      n.queries,
      `${gallerySize} (excludeSelf: the queries are the gallery)`,
    );
  }
  for (let q = 0; q < n.queries; q++) {
    for (let j = 0; j < n.k; j++) {
      if (n.indices[q * n.k + j] === q) {
        throw new InvalidArgumentError(
          fn,
          `neighbors.indices[${q * n.k + j}]`,
          q,
          'not the query itself (search with excludeSelf: true)',
        );
      }
    }
  }
}
