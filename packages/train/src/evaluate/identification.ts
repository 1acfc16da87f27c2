import * as tf from '@tensorflow/tfjs-core';
import {
  splitGalleryQuery,
  type FaceDataset,
  type GalleryQueryOptions,
  type GalleryQuerySplit,
} from '@face/data';
import {
  cmc,
  dirAtFar,
  openSetCounts,
  type DirAtFar,
  type Neighbors,
  type OpenSetCounts,
} from '@face/metrics';
import { searchGallery } from '@face/metrics/similarity';
import { embedDataset, type EmbedOptions, type EmbeddingModel } from './embed';

export interface IdentificationResult {
  split: GalleryQuerySplit;
  neighbors: Neighbors;
  queryLabels: Int32Array;
  galleryLabels: Int32Array;
  /** Rank-r identification rate of the known queries at index r - 1 (closed-set part). */
  cmc: number[];
  /** Open-set detection and identification rate at each false alarm rate. */
  dirAtFar: DirAtFar[];
  /** Rank-1 decisions at the threshold of the highest FAR target (accepts, false alarms, rejects). */
  openSet: OpenSetCounts;
}

export interface IdentificationOptions extends EmbedOptions {
  /** How the dataset is divided into gallery and queries (`splitGalleryQuery`), or the split itself. */
  split?: GalleryQuerySplit | GalleryQueryOptions;
  /** False alarm rates (default [0.01, 0.1]). */
  far?: readonly number[];
  /** CMC depth. Default 5. */
  maxRank?: number;
}

/**
 * Open-set 1:N identification on people the model may never have seen: known identities enrol
 * gallery images, the other images query; unknown identities only query and must be rejected
 * (balanced known/unknown queries by default). Search by cosine similarity, one best image per
 * gallery identity (`by: 'identity'`).
 */
export async function evaluateIdentification(
  model: EmbeddingModel,
  dataset: FaceDataset,
  { split, far = [0.01, 0.1], maxRank = 5, ...options }: IdentificationOptions = {},
): Promise<IdentificationResult> {
  const s: GalleryQuerySplit =
    split && 'gallery' in split
      ? split
      : splitGalleryQuery(dataset, (split as GalleryQueryOptions) ?? {});
  // Gallery rows first, then query rows: one embedding pass over the images the split uses.
  const used = [...s.gallery, ...s.query];
  const e = await embedDataset(model, dataset, { ...options, indices: used });
  const rows = (from: number, count: number) =>
    tf.tensor2d(e.embeddings.slice(from * e.dim, (from + count) * e.dim), [count, e.dim]);
  const galleryLabels = Int32Array.from(s.gallery, (i) => dataset.labels[i]);
  const queryLabels = Int32Array.from(s.query, (i) => dataset.labels[i]);
  const g = rows(0, s.gallery.length);
  const q = rows(s.gallery.length, s.query.length);
  let neighbors: Neighbors;
  try {
    const identities = new Set(galleryLabels).size;
    neighbors = await searchGallery(q, g, {
      k: Math.min(maxRank, identities),
      by: 'identity',
      galleryLabels,
    });
  } finally {
    tf.dispose([q, g]);
  }
  const points = dirAtFar(neighbors, queryLabels, galleryLabels, far);
  const loosest = points[points.length - 1];
  return {
    split: s,
    neighbors,
    queryLabels,
    galleryLabels,
    cmc: cmc(neighbors, queryLabels, galleryLabels),
    dirAtFar: points,
    openSet: openSetCounts(
      neighbors,
      queryLabels,
      galleryLabels,
      Number.isFinite(loosest.threshold) ? loosest.threshold : Number.MAX_VALUE,
    ),
  };
}
