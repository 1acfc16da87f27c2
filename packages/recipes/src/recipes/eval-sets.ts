import { InvalidArgumentError, checkInteger } from '@face/core';
import { generatePairs, type FaceDataset, type Pair } from '@face/data';

/**
 * The images of `dataset` whose identity (by name) is one of `classNames`, labelled with its index
 * there: a saved model's classes, so that its classifier head can be scored on new data. Images of
 * other identities are left out (`dataset.size - result.size` of them); nothing is copied.
 */
export function byModelClasses(dataset: FaceDataset, classNames: readonly string[]): FaceDataset {
  const fn = 'byModelClasses';
  if (!Array.isArray(classNames) || classNames.some((n) => typeof n !== 'string'))
    throw new InvalidArgumentError(fn, 'classNames', classNames, 'an array of identity names');
  const classOf = new Map(classNames.map((n, i) => [n, i]));
  const keep: number[] = [];
  for (let i = 0; i < dataset.size; i++)
    if (classOf.has(dataset.classNames[dataset.labels[i]])) keep.push(i);
  return {
    size: keep.length,
    labels: Int32Array.from(keep, (i) => classOf.get(dataset.classNames[dataset.labels[i]])!),
    classNames,
    load: (i) => dataset.load(keep[i]),
    source: (i) => dataset.source(keep[i]),
  };
}

/** The data hold no two images of one person in some fold: no same pair can be drawn. */
export class TooFewPairsError extends InvalidArgumentError {
  override name = 'TooFewPairsError';
  constructor(fn: string, identities: number, images: number) {
    super(
      fn,
      'dataset',
      `${identities} identities, ${images} images`,
      'data with at least 2 identities and 2 images of one person per fold',
    );
  }
}

/** Same pairs per fold asked of `drawVerificationPairs` (LFW's 300). */
export const DEFAULT_PAIRS_PER_FOLD = 300;
/** Folds asked of `drawVerificationPairs` (the LFW protocol's 10). */
export const DEFAULT_PAIR_FOLDS = 10;

export interface DrawPairsOptions {
  /** Same pairs per fold asked for (as many different ones). Default 300. */
  pairsPerFold?: number;
  /** Folds asked for. Default 10. */
  folds?: number;
  seed?: number;
}

/**
 * Verification pairs drawn from the data, as many as it allows up to what was asked: at most one
 * fold per 2 identities, and per fold `pairsPerFold` same pairs, halved until the identities of each
 * fold can fill them. Data with no pair to draw is a `TooFewPairsError`; any other refusal of
 * `generatePairs` (bad labels) is thrown as it is.
 */
export function drawVerificationPairs(
  dataset: FaceDataset,
  options: DrawPairsOptions = {},
): Pair[] {
  const fn = 'drawVerificationPairs';
  const pairsPerFold = checkInteger(
    fn,
    'pairsPerFold',
    options.pairsPerFold ?? DEFAULT_PAIRS_PER_FOLD,
    { min: 1 },
  );
  const folds = checkInteger(fn, 'folds', options.folds ?? DEFAULT_PAIR_FOLDS, { min: 1 });
  const seed = checkInteger(fn, 'seed', options.seed ?? 0);
  const identities = new Set(dataset.labels).size;
  if (identities < 2) throw new TooFewPairsError(fn, identities, dataset.size);
  const f = Math.max(1, Math.min(folds, Math.floor(identities / 2)));
  for (let n = pairsPerFold; n >= 1; n = Math.floor(n / 2)) {
    try {
      return generatePairs(dataset, { pairsPerFold: n, folds: f, seed });
    } catch (err) {
      // Too few images in a fold for n pairs: try fewer. Anything else is not about the count.
      if (!(err instanceof InvalidArgumentError && err.argument === 'pairsPerFold')) throw err;
    }
  }
  throw new TooFewPairsError(fn, identities, dataset.size);
}
