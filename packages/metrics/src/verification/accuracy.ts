import { InvalidArgumentError } from '@face/core';
import { splitByLabel, type BinaryLabels, type Scores, type SplitScores } from '../input';
import { binaryCounts, countAtLeast, type BinaryCounts } from './counts';

/** An accuracy and the threshold that gives it. */
export interface ThresholdAccuracy {
  accuracy: number;
  /** Pairs with `score >= threshold` are called genuine. */
  threshold: number;
}

export interface BestThresholdOptions {
  /**
   * Candidate thresholds, searched in the order given (the first best wins, like `np.argmax`).
   * Default: `Infinity` followed by every distinct score in descending order (the ROC
   * thresholds), so a tie goes to the highest threshold. Pass a fixed grid to reproduce
   * protocols that search one (e.g. `-1, -0.999, ..., 1` for cosine similarity).
   */
  thresholds?: ArrayLike<number>;
}

/** Fraction of pairs decided right by `score >= threshold` (genuine) / `< threshold` (impostor). */
export function accuracyAtThreshold(
  scores: Scores,
  labels: BinaryLabels,
  threshold: number,
): number {
  const fn = 'accuracyAtThreshold';
  checkThreshold(fn, 'threshold', threshold);
  const { positives, negatives } = splitByLabel(fn, scores, labels, { requireBoth: false });
  if (scores.length === 0) throw new InvalidArgumentError(fn, 'scores', scores, 'non-empty');
  return correctAt(positives, negatives, threshold) / scores.length;
}

/** The highest accuracy any threshold reaches on these pairs, and that threshold. */
export function bestThresholdAccuracy(
  scores: Scores,
  labels: BinaryLabels,
  options: BestThresholdOptions = {},
): ThresholdAccuracy {
  const fn = 'bestThresholdAccuracy';
  if (options.thresholds !== undefined) checkCandidates(fn, options.thresholds);
  const split = splitByLabel(fn, scores, labels, { requireBoth: false });
  if (scores.length === 0) throw new InvalidArgumentError(fn, 'scores', scores, 'non-empty');
  return bestThreshold(split, options.thresholds);
}

/** Correct decisions at `t`: genuines at or above it plus impostors below it. */
export function correctAt(pos: ArrayLike<number>, neg: ArrayLike<number>, t: number): number {
  return countAtLeast(pos, t) + neg.length - countAtLeast(neg, t);
}

/** Best-accuracy threshold over `candidates`, or over the ROC thresholds (`counts`, if already computed). */
export function bestThreshold(
  split: SplitScores,
  candidates?: ArrayLike<number>,
  counts?: BinaryCounts,
): ThresholdAccuracy {
  const { positives: pos, negatives: neg } = split;
  const total = pos.length + neg.length;
  let best = -1;
  let threshold = Infinity;
  if (candidates === undefined) {
    const c = counts ?? binaryCounts(split);
    for (let i = 0; i < c.tps.length; i++) {
      const correct = c.tps[i] + neg.length - c.fps[i];
      if (correct > best) {
        best = correct;
        threshold = c.thresholds[i];
      }
    }
  } else {
    for (let i = 0; i < candidates.length; i++) {
      const correct = correctAt(pos, neg, candidates[i]);
      if (correct > best) {
        best = correct;
        threshold = candidates[i];
      }
    }
  }
  return { accuracy: best / total, threshold };
}

export function checkThreshold(fn: string, argument: string, t: unknown): number {
  if (typeof t !== 'number' || Number.isNaN(t)) {
    throw new InvalidArgumentError(fn, argument, t, 'a number (+-Infinity allowed)');
  }
  return t;
}

export function checkCandidates(fn: string, thresholds: ArrayLike<number>): void {
  if (thresholds === null || typeof thresholds !== 'object' || thresholds.length === 0) {
    throw new InvalidArgumentError(fn, 'thresholds', thresholds, 'a non-empty array of numbers');
  }
  for (let i = 0; i < thresholds.length; i++) checkThreshold(fn, `thresholds[${i}]`, thresholds[i]);
}
