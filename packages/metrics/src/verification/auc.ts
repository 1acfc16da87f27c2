import { InvalidArgumentError } from '@face/core';
import {
  checkSameLength,
  checkScores,
  splitByLabel,
  type BinaryLabels,
  type Scores,
} from '../input';
import { binaryCounts, type BinaryCounts } from './counts';

/**
 * Area under the ROC curve, scikit-learn's `roc_auc_score(labels, scores)` for binary labels:
 * the trapezoidal area, so a tie between a genuine and an impostor score counts one half
 * (the Mann-Whitney U statistic / (P N)).
 */
export function rocAuc(scores: Scores, labels: BinaryLabels): number {
  return aucFromCounts(binaryCounts(splitByLabel('rocAuc', scores, labels)));
}

/**
 * Trapezoids summed in integer counts, `sum (fp_i - fp_{i-1}) (tp_i + tp_{i-1}) / (2 P N)`:
 * exact up to 2^53 (about 10^8 scores), with one rounding at the end.
 */
export function aucFromCounts(c: BinaryCounts): number {
  const { tps, fps } = c;
  let twiceArea = 0;
  for (let i = 1; i < tps.length; i++) twiceArea += (fps[i] - fps[i - 1]) * (tps[i] + tps[i - 1]);
  return twiceArea / (2 * c.positives * c.negatives);
}

/**
 * Area under a curve given by points (x, y) with the trapezoidal rule, scikit-learn's
 * `auc(x, y)`: `x` must be monotonic (non-decreasing, or non-increasing for a negative
 * orientation that is flipped, as scikit-learn does).
 */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkScores('auc', x, 'x');
  checkScores('auc', y, 'y');
  checkSameLength('auc', x, y, 'y');
  if (x.length < 2) throw new InvalidArgumentError('auc', 'x.length', x.length, 'at least 2');
  let increasing = true;
  let decreasing = true;
  for (let i = 1; i < x.length; i++) {
    if (x[i] < x[i - 1]) increasing = false;
    if (x[i] > x[i - 1]) decreasing = false;
  }
  if (!increasing && !decreasing) {
    throw new InvalidArgumentError('auc', 'x', x, 'monotonic (increasing or decreasing)');
  }
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return increasing ? area : -area;
}
