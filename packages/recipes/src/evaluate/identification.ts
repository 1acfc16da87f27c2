import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';
import {
  splitGalleryQuery,
  type FaceDataset,
  type GalleryQueryOptions,
  type GalleryQuerySplit,
  type Problem,
} from '@face/data';
import {
  cmc,
  dirAtFar,
  openSetCounts,
  VALIDATION_FAR_TARGETS,
  type DirAtFar,
  type Neighbors,
  type OpenSetCounts,
} from '@face/metrics';
import { searchGallery } from '@face/metrics/similarity';
import {
  embedDataset,
  embeddingRow,
  type DatasetEmbeddings,
  type EmbedOptions,
  type EmbeddingModel,
} from './embed';

export interface IdentificationResult {
  /** The split evaluated: the one asked for, less unreadable images (a known identity with no
   * readable gallery image becomes unknown). */
  split: GalleryQuerySplit;
  /** Gallery images and queries left out because they could not be decoded. */
  dropped: { gallery: number; queries: number };
  /** The unreadable images (onBadImage 'skip'), each once. */
  skipped: Problem[];
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
  /** False alarm rates (default @face/metrics' `VALIDATION_FAR_TARGETS`, [0.01, 0.1]). */
  far?: readonly number[];
  /** CMC depth. Default 5. */
  maxRank?: number;
}

/**
 * Open-set 1:N identification on people the model may never have seen: known identities enrol
 * gallery images, the other images query; unknown identities only query and must be rejected
 * (balanced known/unknown queries by default). Search by cosine similarity, one best image per
 * gallery identity (`by: 'identity'`). Unreadable images leave the gallery or the queries
 * (`dropped`) unless `onBadImage` is 'fail'.
 */
export async function evaluateIdentification(
  model: EmbeddingModel,
  dataset: FaceDataset,
  { split, far = VALIDATION_FAR_TARGETS, maxRank = 5, ...options }: IdentificationOptions = {},
): Promise<IdentificationResult> {
  const s: GalleryQuerySplit =
    split && 'gallery' in split
      ? split
      : splitGalleryQuery(dataset, (split as GalleryQueryOptions) ?? {});
  // One embedding pass over the images the split uses; unreadable ones come back without a row.
  const e = await embedDataset(model, dataset, { ...options, indices: [...s.gallery, ...s.query] });
  const rowOf = new Map(Array.from(e.indices, (idx, row) => [idx, row]));
  const kept = readableSplit(s, rowOf, dataset.labels);
  if (kept.gallery.length === 0 || kept.query.length === 0)
    throw new InvalidArgumentError(
      'evaluateIdentification',
      'dataset',
      `${kept.gallery.length} readable gallery images and ${kept.query.length} queries (${e.skipped.length} images skipped)`,
      'at least one readable gallery image and one readable query',
    );
  const rows = (indices: number[]) => {
    const at = indices.map((i) => rowOf.get(i)!);
    return tf.tensor2d(gatherRows(e, at), [at.length, e.dim]);
  };
  const galleryLabels = Int32Array.from(kept.gallery, (i) => dataset.labels[i]);
  const queryLabels = Int32Array.from(kept.query, (i) => dataset.labels[i]);
  const g = rows(kept.gallery);
  const q = rows(kept.query);
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
    split: kept,
    dropped: {
      gallery: s.gallery.length - kept.gallery.length,
      queries: s.query.length - kept.query.length,
    },
    skipped: e.skipped,
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

/** Rows `rows` of row-major embeddings, copied into one [rows.length, dim] array. */
function gatherRows(e: DatasetEmbeddings, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * e.dim);
  rows.forEach((r, k) => out.set(embeddingRow(e, r), k * e.dim));
  return out;
}

/** `s` less the images without an embedding row; known/unknown follows the gallery that is left. */
function readableSplit(
  s: GalleryQuerySplit,
  rowOf: Map<number, number>,
  labels: Int32Array,
): GalleryQuerySplit {
  if (rowOf.size === s.gallery.length + s.query.length) return s;
  const gallery = s.gallery.filter((i) => rowOf.has(i));
  const query = s.query.filter((i) => rowOf.has(i));
  const enrolled = new Set(gallery.map((i) => labels[i]));
  return {
    gallery,
    query,
    queryIsKnown: query.map((i) => enrolled.has(labels[i])),
    knownIdentities: s.knownIdentities.filter((y) => enrolled.has(y)),
    unknownIdentities: [
      ...s.unknownIdentities,
      ...s.knownIdentities.filter((y) => !enrolled.has(y)),
    ].sort((a, b) => a - b),
  };
}
