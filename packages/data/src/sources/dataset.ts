import { InvalidArgumentError, checkInteger } from '@face/core';
import type { DecodedImage } from '../image';

/**
 * A labelled image collection: what the loader, splits and samplers work on. Image i has identity
 * `labels[i]`, named `classNames[labels[i]]`.
 */
export interface FaceDataset {
  /** Number of images. */
  readonly size: number;
  /** Identity label of each image, in [0, classNames.length). */
  readonly labels: Int32Array;
  /** Identity names, indexed by label. */
  readonly classNames: readonly string[];
  /** Image `index` as RGB bytes; rejects with `ImageDecodeError` (naming the file) if it is bad. */
  load(index: number): Promise<DecodedImage>;
  /** Where image `index` comes from (a path, or a synthetic key), for reports and errors. */
  source(index: number): string;
}

/**
 * `dataset` with another `load` (same size, labels, class names and sources): how a step that
 * changes or watches each picture (a crop, an alignment, a record of failures) wraps a dataset.
 */
export function withLoad(dataset: FaceDataset, load: FaceDataset['load']): FaceDataset {
  return {
    size: dataset.size,
    labels: dataset.labels,
    classNames: dataset.classNames,
    source: (i) => dataset.source(i),
    load,
  };
}

export interface IdentityCount {
  identity: string;
  label: number;
  count: number;
}

/** Images per identity, indexed by label. */
export function countsPerIdentity(dataset: FaceDataset): IdentityCount[] {
  const counts = dataset.classNames.map((identity, label) => ({ identity, label, count: 0 }));
  for (let i = 0; i < dataset.labels.length; i++) counts[dataset.labels[i]].count++;
  return counts;
}

export interface SubsetOptions {
  /**
   * Renumber the identities present to 0..C-1 (in order of their old labels), as a classifier
   * trained on the subset needs. Default false: labels stay those of the parent.
   */
  relabel?: boolean;
}

/** Checks `index` is an image index of `dataset`. */
export function checkIndex(fn: string, dataset: { size: number }, index: number): void {
  checkInteger(fn, 'index', index, { min: 0, max: dataset.size - 1 });
}

/** A view on some images of a dataset (a split's train or test part), optionally relabelled. */
export class DatasetSubset implements FaceDataset {
  readonly size: number;
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  /** The parent's index of each image of this subset. */
  readonly indices: Int32Array;

  constructor(
    readonly parent: FaceDataset,
    indices: ArrayLike<number>,
    options: SubsetOptions = {},
  ) {
    this.indices = Int32Array.from(indices as ArrayLike<number>);
    this.indices.forEach((j, i) => {
      if (!Number.isInteger(j) || j < 0 || j >= parent.size) {
        throw new InvalidArgumentError(
          'subset',
          `indices[${i}]`,
          j,
          `an image index in [0, ${parent.size - 1}]`,
        );
      }
    });
    this.size = this.indices.length;
    const parentLabels = Array.from(this.indices, (j) => parent.labels[j]);
    if (options.relabel) {
      const kept = [...new Set(parentLabels)].sort((a, b) => a - b);
      const map = new Map(kept.map((old, k) => [old, k]));
      this.labels = Int32Array.from(parentLabels, (y) => map.get(y) as number);
      this.classNames = kept.map((y) => parent.classNames[y]);
    } else {
      this.labels = Int32Array.from(parentLabels);
      this.classNames = parent.classNames;
    }
  }

  load(index: number): Promise<DecodedImage> {
    checkIndex('DatasetSubset.load', this, index);
    return this.parent.load(this.indices[index]);
  }

  source(index: number): string {
    checkIndex('DatasetSubset.source', this, index);
    return this.parent.source(this.indices[index]);
  }
}

/** `new DatasetSubset(dataset, indices, options)`: the images `indices` of `dataset`. */
export function subset(
  dataset: FaceDataset,
  indices: ArrayLike<number>,
  options: SubsetOptions = {},
): DatasetSubset {
  return new DatasetSubset(dataset, indices, options);
}
