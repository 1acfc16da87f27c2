import { InvalidArgumentError, Rng, checkInteger, checkNumber } from '@face/core';
import { groupByLabel, presentLabels, readLabels, type LabelSource } from './labels';
import { deriveSeed } from './seed';

// Splits take labels (or a dataset) and return sorted image indices; `subset(dataset, indices,
// { relabel })` turns them into datasets. Every split is a pure function of (labels, options).

export interface SplitByImageOptions {
  /** Fraction of each identity's images that go to test. Default 0.2. */
  testFraction?: number;
  /** Images each identity keeps in train, whatever the fraction. Default 1. */
  minTrainPerIdentity?: number;
  seed?: number;
}

export interface ImageSplit {
  train: number[];
  test: number[];
}

/**
 * Closed-set split (classification): every identity is in train, and round(n * testFraction) of
 * its n images (at most n - minTrainPerIdentity) go to test. Labels are unchanged.
 */
export function splitByImage(labels: LabelSource, options: SplitByImageOptions = {}): ImageSplit {
  const fn = 'splitByImage';
  const { testFraction = 0.2, minTrainPerIdentity = 1, seed = 0 } = options;
  checkNumber(fn, 'testFraction', testFraction, { min: 0, max: 1 });
  checkInteger(fn, 'minTrainPerIdentity', minTrainPerIdentity, { min: 0 });
  checkInteger(fn, 'seed', seed);
  const { labels: y, numClasses } = readLabels(fn, 'labels', labels);
  const rng = new Rng(deriveSeed(seed, 0x5b1));
  const train: number[] = [];
  const test: number[] = [];
  for (const group of groupByLabel(y, numClasses)) {
    const items = rng.shuffle([...group]);
    const nTest = Math.max(
      0,
      Math.min(Math.round(items.length * testFraction), items.length - minTrainPerIdentity),
    );
    test.push(...items.slice(0, nTest));
    train.push(...items.slice(nTest));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

export interface SplitByIdentityOptions {
  /** Fraction of identities held out for test. Default 0.2. Ignored if `testIdentities` is given. */
  testFraction?: number;
  /** Exact number of identities held out. */
  testIdentities?: number;
  seed?: number;
}

export interface IdentitySplit extends ImageSplit {
  trainIdentities: number[];
  testIdentities: number[];
}

/**
 * Open-set split (verification): identities are divided, so no test person is seen in training.
 * Use `subset(dataset, split.train, { relabel: true })` to get contiguous training labels.
 */
export function splitByIdentity(
  labels: LabelSource,
  options: SplitByIdentityOptions = {},
): IdentitySplit {
  const fn = 'splitByIdentity';
  const { testFraction = 0.2, seed = 0 } = options;
  checkNumber(fn, 'testFraction', testFraction, { min: 0, max: 1 });
  checkInteger(fn, 'seed', seed);
  const { labels: y, numClasses } = readLabels(fn, 'labels', labels);
  const groups = groupByLabel(y, numClasses);
  const present = presentLabels(groups);
  if (present.length < 2) {
    throw new InvalidArgumentError(fn, 'labels', labels, 'at least 2 identities');
  }
  const nTest = options.testIdentities ?? Math.round(present.length * testFraction);
  checkInteger(fn, 'testIdentities', nTest, { min: 1, max: present.length - 1 });
  const order = new Rng(deriveSeed(seed, 0x1d)).shuffle([...present]);
  const testIds = order.slice(0, nTest).sort((a, b) => a - b);
  const trainIds = order.slice(nTest).sort((a, b) => a - b);
  const isTest = new Set(testIds);
  const train: number[] = [];
  const test: number[] = [];
  y.forEach((c, i) => (isTest.has(c) ? test : train).push(i));
  return { train, test, trainIdentities: trainIds, testIdentities: testIds };
}

export interface GalleryQueryOptions {
  /** Fraction of identities left out of the gallery (their queries must be rejected). Default 0.5. */
  unknownFraction?: number;
  /** Images each known identity enrols in the gallery. Default 1. */
  galleryPerIdentity?: number;
  /** Subsample queries so known and unknown queries are equally many. Default true. */
  balance?: boolean;
  seed?: number;
}

export interface GalleryQuerySplit {
  gallery: number[];
  query: number[];
  /** For each query, whether its identity is enrolled in the gallery. */
  queryIsKnown: boolean[];
  knownIdentities: number[];
  unknownIdentities: number[];
}

/**
 * Open-set identification split (1:N with "unknown"): known identities enrol
 * `galleryPerIdentity` images in the gallery and query with the rest; unknown identities only
 * query. A known identity needs more than `galleryPerIdentity` images, so it has a query.
 */
export function splitGalleryQuery(
  labels: LabelSource,
  options: GalleryQueryOptions = {},
): GalleryQuerySplit {
  const fn = 'splitGalleryQuery';
  const { unknownFraction = 0.5, galleryPerIdentity = 1, balance = true, seed = 0 } = options;
  checkNumber(fn, 'unknownFraction', unknownFraction, { min: 0, max: 1 });
  checkInteger(fn, 'galleryPerIdentity', galleryPerIdentity, { min: 1 });
  checkInteger(fn, 'seed', seed);
  const { labels: y, numClasses } = readLabels(fn, 'labels', labels);
  const groups = groupByLabel(y, numClasses);
  const present = presentLabels(groups);
  const rng = new Rng(deriveSeed(seed, 0x6a11));
  const nUnknown = Math.round(present.length * unknownFraction);
  const nKnown = present.length - nUnknown;
  const eligible = rng.shuffle(present.filter((c) => groups[c].length > galleryPerIdentity));
  if (eligible.length < nKnown) {
    throw new InvalidArgumentError(
      fn,
      'unknownFraction',
      unknownFraction,
      `at least ${1 - eligible.length / present.length} (${nKnown} known identities are needed, ` +
        `only ${eligible.length} have more than galleryPerIdentity = ${galleryPerIdentity} images)`,
    );
  }
  const known = eligible.slice(0, nKnown).sort((a, b) => a - b);
  const isKnown = new Set(known);
  const unknown = present.filter((c) => !isKnown.has(c));
  const gallery: number[] = [];
  let knownQueries: number[] = [];
  let unknownQueries: number[] = [];
  for (const c of known) {
    const items = rng.shuffle([...groups[c]]);
    gallery.push(...items.slice(0, galleryPerIdentity));
    knownQueries.push(...items.slice(galleryPerIdentity));
  }
  for (const c of unknown) unknownQueries.push(...groups[c]);
  if (balance && known.length > 0 && unknown.length > 0) {
    const n = Math.min(knownQueries.length, unknownQueries.length);
    knownQueries = rng.shuffle(knownQueries).slice(0, n);
    unknownQueries = rng.shuffle(unknownQueries).slice(0, n);
  }
  const query = [...knownQueries, ...unknownQueries].sort((a, b) => a - b);
  return {
    gallery: gallery.sort((a, b) => a - b),
    query,
    queryIsKnown: query.map((i) => isKnown.has(y[i])),
    knownIdentities: known,
    unknownIdentities: unknown,
  };
}
