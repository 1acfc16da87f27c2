import { InvalidArgumentError, Rng, checkInteger } from '@face/core';
import { groupByLabel, presentLabels, readLabels, type LabelSource } from '../labels';
import { deriveSeed } from '../seed';

/** Two images (dataset indices) and whether they show the same person. */
export interface Pair {
  first: number;
  second: number;
  same: boolean;
  /** Cross-validation fold, 0-based. */
  fold: number;
}

export interface GeneratePairsOptions {
  /** Same pairs per fold, and as many different ones. Default 300 (LFW's). */
  pairsPerFold?: number;
  /** Number of folds; identities are divided among folds, as in LFW's View 2. Default 1. */
  folds?: number;
  seed?: number;
}

/**
 * Balanced verification pairs: per fold, `pairsPerFold` same-identity pairs (identity uniform
 * among those with 2+ images, two distinct images) then as many different-identity pairs (two
 * distinct identities, one image each), no pair twice. With several folds the identities are
 * shuffled and dealt round-robin, so folds share no person (LFW View 2's rule).
 */
export function generatePairs(labels: LabelSource, options: GeneratePairsOptions = {}): Pair[] {
  const fn = 'generatePairs';
  const { pairsPerFold = 300, folds = 1, seed = 0 } = options;
  checkInteger(fn, 'pairsPerFold', pairsPerFold, { min: 1 });
  checkInteger(fn, 'folds', folds, { min: 1 });
  checkInteger(fn, 'seed', seed);
  const { labels: y, numClasses } = readLabels(fn, 'labels', labels);
  const groups = groupByLabel(y, numClasses);
  const rng = new Rng(deriveSeed(seed, 0xfa1));
  const present = rng.shuffle(presentLabels(groups));
  if (present.length < 2 * folds) {
    throw new InvalidArgumentError(
      fn,
      'folds',
      folds,
      `at most ${Math.floor(present.length / 2)} (2 identities per fold; there are ${present.length})`,
    );
  }
  const pairs: Pair[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const ids = present.filter((_, i) => i % folds === fold);
    const multi = ids.filter((c) => groups[c].length >= 2);
    const sameCapacity = multi.reduce(
      (s, c) => s + (groups[c].length * (groups[c].length - 1)) / 2,
      0,
    );
    if (sameCapacity < pairsPerFold) {
      throw new InvalidArgumentError(
        fn,
        'pairsPerFold',
        pairsPerFold,
        `at most ${sameCapacity} (distinct same pairs available in fold ${fold})`,
      );
    }
    const seen = new Set<string>();
    const add = (a: number, b: number, same: boolean): boolean => {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (seen.has(key)) return false;
      seen.add(key);
      pairs.push({ first: a, second: b, same, fold });
      return true;
    };
    // Rejection of repeats; bounded so an impossible request fails instead of spinning.
    const budget = 100 * pairsPerFold + 1000;
    let made = 0;
    for (let tries = 0; made < pairsPerFold; tries++) {
      if (tries > budget)
        throw new InvalidArgumentError(
          fn,
          'pairsPerFold',
          pairsPerFold,
          `a number the identities of fold ${fold} can fill with distinct same pairs`,
        );
      const images = groups[multi[rng.int(multi.length)]];
      const i = rng.int(images.length);
      const j = (i + 1 + rng.int(images.length - 1)) % images.length;
      if (add(images[i], images[j], true)) made++;
    }
    made = 0;
    for (let tries = 0; made < pairsPerFold; tries++) {
      if (tries > budget)
        throw new InvalidArgumentError(
          fn,
          'pairsPerFold',
          pairsPerFold,
          `a number the identities of fold ${fold} can fill with distinct different pairs`,
        );
      const a = rng.int(ids.length);
      const b = (a + 1 + rng.int(ids.length - 1)) % ids.length;
      const ga = groups[ids[a]];
      const gb = groups[ids[b]];
      if (add(ga[rng.int(ga.length)], gb[rng.int(gb.length)], false)) made++;
    }
  }
  return pairs;
}
