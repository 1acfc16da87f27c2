import { InvalidArgumentError } from '@face/core';
import { dirAtFar, type Neighbors } from '@face/metrics';
import type { Gallery } from './gallery';
import type { IdentifyOptions } from './identify';
import { checkName } from './vectors';

/** Query embeddings with their true identities; identities not enrolled are the unknowns. */
export interface LabelledQueries {
  embeddings: readonly ArrayLike<number>[];
  identities: readonly string[];
}

export interface Calibration {
  /** The target false alarm rate. */
  far: number;
  /** The lowest threshold whose false alarm rate on the unknown queries is <= far. */
  threshold: number;
  /** The false alarm rate reached at `threshold`. */
  actualFar: number;
  /** Rank-1 detection and identification rate of the known queries at `threshold`. */
  dir: number;
  known: number;
  unknown: number;
}

/**
 * The open-set threshold for a target false alarm rate, chosen from data: each query is
 * identified in the gallery (rank 1, the same search and aggregation `identify` will use), and
 * @face/metrics' `dirAtFar` picks the threshold as FRVT's watch-list protocol does. Needs both
 * known queries (identity enrolled) and unknown ones. Store it with `gallery.setThreshold`.
 */
export async function calibrate(
  gallery: Gallery,
  queries: LabelledQueries,
  options: { far: number } & Pick<IdentifyOptions, 'aggregate' | 'search' | 'efSearch'>,
): Promise<Calibration> {
  const fn = 'calibrate';
  const { embeddings, identities } = queries ?? {};
  if (
    !Array.isArray(identities) ||
    !Array.isArray(embeddings) ||
    identities.length !== embeddings.length
  ) {
    throw new InvalidArgumentError(
      fn,
      'queries',
      queries,
      '{ embeddings, identities } of equal length',
    );
  }
  identities.forEach((id, i) => checkName(fn, `queries.identities[${i}]`, id));
  const { far, ...search } = options;
  const results = await gallery.identify(embeddings, { ...search, k: 1, threshold: -1 });
  // Gallery "rows" are the enrolled identities, one each; an unknown query gets label -1.
  const enrolled = new Map<string, number>();
  for (const name of (await gallery.enrolledSources()).keys()) enrolled.set(name, enrolled.size);
  const n: Neighbors = {
    queries: results.length,
    k: 1,
    indices: Int32Array.from(results, (r) =>
      r.candidates[0] ? enrolled.get(r.candidates[0].identity)! : -1,
    ),
    scores: Float64Array.from(results, (r) => r.score),
  };
  const queryLabels = identities.map((id) => enrolled.get(id) ?? -1);
  const galleryLabels = Array.from(enrolled.values());
  const point = dirAtFar(n, queryLabels, galleryLabels, far);
  const unknown = queryLabels.filter((l) => l === -1).length;
  return { ...point, known: queryLabels.length - unknown, unknown };
}
