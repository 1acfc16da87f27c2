import { checkInteger, InvalidArgumentError } from '@face/core';
import { checkIdentityLabels, countLabels } from '../input';

/**
 * Ranked gallery matches of each query, best first: what `searchGallery` (from
 * `@face/metrics/similarity`) returns, or what you build from your own search.
 */
export interface Neighbors {
  /** Number of queries. */
  queries: number;
  /** Matches kept per query. */
  k: number;
  /** Gallery index of match j of query i at `[i * k + j]`; -1 where a query has fewer than k. */
  indices: Int32Array;
  /** Similarity of each match (higher = more alike); `-Infinity` where the index is -1. */
  scores: Float32Array | Float64Array;
}

/** Neighbors with their identity labels resolved, after validation. */
export interface LabeledNeighbors extends Neighbors {
  /** Gallery label of each match (`indices` mapped through `galleryLabels`); NaN for -1. */
  matchLabels: Float64Array;
  /** Gallery items per identity label. */
  galleryCounts: Map<number, number>;
  queryLabels: ArrayLike<number>;
}

/** Validates neighbors against query and gallery labels and resolves match labels. */
export function labelNeighbors(
  fn: string,
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
): LabeledNeighbors {
  if (neighbors === null || typeof neighbors !== 'object') {
    throw new InvalidArgumentError(fn, 'neighbors', neighbors, '{ queries, k, indices, scores }');
  }
  const { queries, k, indices, scores } = neighbors;
  checkInteger(fn, 'neighbors.queries', queries, { min: 0 });
  checkInteger(fn, 'neighbors.k', k, { min: 1 });
  for (const [name, a] of [
    ['neighbors.indices', indices],
    ['neighbors.scores', scores],
  ] as const) {
    if (!a || a.length !== queries * k) {
      throw new InvalidArgumentError(
        fn,
        `${name}.length`,
        a?.length,
        `queries * k = ${queries * k}`,
      );
    }
  }
  checkIdentityLabels(fn, 'queryLabels', queryLabels);
  checkIdentityLabels(fn, 'galleryLabels', galleryLabels);
  if (queryLabels.length !== queries) {
    throw new InvalidArgumentError(
      fn,
      'queryLabels.length',
      queryLabels.length,
      `${queries} (neighbors.queries)`,
    );
  }
  const galleryCounts = countLabels(galleryLabels);
  const matchLabels = new Float64Array(queries * k);
  for (let i = 0; i < indices.length; i++) {
    const g = indices[i];
    const s = scores[i];
    if (g === -1) {
      if (s !== -Infinity) {
        throw new InvalidArgumentError(
          fn,
          `neighbors.scores[${i}]`,
          s,
          '-Infinity where the index is -1',
        );
      }
      matchLabels[i] = NaN;
      continue;
    }
    if (!Number.isInteger(g) || g < 0 || g >= galleryLabels.length) {
      throw new InvalidArgumentError(
        fn,
        `neighbors.indices[${i}]`,
        g,
        `-1 or a gallery index in [0, ${galleryLabels.length - 1}]`,
      );
    }
    if (Number.isNaN(s))
      throw new InvalidArgumentError(fn, `neighbors.scores[${i}]`, s, 'a number');
    matchLabels[i] = galleryLabels[g];
  }
  return { ...neighbors, matchLabels, galleryCounts, queryLabels };
}

/** 1-based rank of the first match with the query's label, or Infinity if none of the k has it. */
export function firstCorrectRank(n: LabeledNeighbors, query: number): number {
  const y = n.queryLabels[query];
  for (let j = 0; j < n.k; j++) if (n.matchLabels[query * n.k + j] === y) return j + 1;
  return Infinity;
}
