import { checkInteger, InvalidArgumentError } from '@face/core';
import { splitByLabel, type BinaryLabels, type Scores } from '../input';
import { bestThreshold, checkCandidates, correctAt, type BestThresholdOptions } from './accuracy';

export interface KFoldOptions extends BestThresholdOptions {
  /** Number of folds (LFW: 10). */
  folds?: number;
}

export interface KFoldAccuracy {
  /** Mean of the per-fold test accuracies. */
  mean: number;
  /** Their population standard deviation (`np.std`, ddof = 0, as LFW results are reported). */
  std: number;
  /** Test accuracy of each fold. */
  accuracies: number[];
  /** Threshold chosen for each fold on the other folds. */
  thresholds: number[];
}

/**
 * The LFW protocol's verification accuracy: split the pairs into `folds` contiguous folds (the
 * order of LFW's pairs.txt, which lists its 10 folds one after another; sizes as scikit-learn's
 * `KFold(folds)`: the first `n % folds` folds get one extra pair); for each fold, pick the
 * best-accuracy threshold on the other folds ({@link bestThresholdAccuracy}), and score the
 * held-out fold with it. Reports mean and standard deviation over folds.
 */
export function kFoldAccuracy(
  scores: Scores,
  labels: BinaryLabels,
  options: KFoldOptions = {},
): KFoldAccuracy {
  const fn = 'kFoldAccuracy';
  const { folds = 10, thresholds: candidates } = options;
  splitByLabel(fn, scores, labels, { requireBoth: false }); // validates
  const n = scores.length;
  if (n < 2) throw new InvalidArgumentError(fn, 'scores.length', n, 'at least 2 (two folds)');
  checkInteger(fn, 'folds', folds, { min: 2, max: n });
  if (candidates !== undefined) checkCandidates(fn, candidates);

  const accuracies: number[] = [];
  const thresholds: number[] = [];
  const base = Math.floor(n / folds);
  let start = 0;
  for (let f = 0; f < folds; f++) {
    const stop = start + base + (f < n % folds ? 1 : 0);
    const train = splitByLabel(fn, without(scores, start, stop), without(labels, start, stop), {
      requireBoth: false,
    });
    const { threshold } = bestThreshold(train, candidates);
    const test = splitByLabel(fn, slice(scores, start, stop), slice(labels, start, stop), {
      requireBoth: false,
    });
    accuracies.push(correctAt(test.positives, test.negatives, threshold) / (stop - start));
    thresholds.push(threshold);
    start = stop;
  }
  const mean = accuracies.reduce((a, b) => a + b, 0) / folds;
  const variance = accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / folds;
  return { mean, std: Math.sqrt(variance), accuracies, thresholds };
}

function slice<T>(a: ArrayLike<T>, start: number, stop: number): T[] {
  return Array.prototype.slice.call(a, start, stop) as T[];
}

function without<T>(a: ArrayLike<T>, start: number, stop: number): T[] {
  return [...slice(a, 0, start), ...slice(a, stop, a.length)];
}
