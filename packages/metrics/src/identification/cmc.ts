import { checkInteger, InvalidArgumentError } from '@face/core';
import { firstCorrectRank, labelNeighbors, type Neighbors } from './neighbors';

/**
 * Cumulative match characteristic: `cmc[r - 1]` is the rank-r identification rate, the fraction
 * of known queries (whose label occurs in the gallery) with a correct match among their first r
 * matches. Queries of unknown identities are left out (they belong to open-set metrics).
 *
 * With one gallery entry per identity, or neighbors searched with `by: 'identity'` (best match
 * per identity), ranks count identities, the usual CMC; with item-level neighbors they count
 * gallery images.
 */
export function cmc(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  options: { maxRank?: number } = {},
): number[] {
  const fn = 'cmc';
  const n = labelNeighbors(fn, neighbors, queryLabels, galleryLabels);
  const maxRank = options.maxRank ?? n.k;
  checkInteger(fn, 'maxRank', maxRank, { min: 1, max: n.k });
  const hitsAtRank = new Array<number>(maxRank).fill(0);
  let known = 0;
  for (let q = 0; q < n.queries; q++) {
    if (!n.galleryCounts.has(n.queryLabels[q])) continue;
    known++;
    const rank = firstCorrectRank(n, q);
    if (rank <= maxRank) hitsAtRank[rank - 1]++;
  }
  if (known === 0) {
    throw new InvalidArgumentError(
      fn,
      'queryLabels',
      queryLabels,
      'at least one label that occurs in galleryLabels',
    );
  }
  const curve: number[] = [];
  let cumulative = 0;
  for (let r = 0; r < maxRank; r++) {
    cumulative += hitsAtRank[r];
    curve.push(cumulative / known);
  }
  return curve;
}
