import { checkInteger, checkLabels, InvalidArgumentError } from '@face/core';
import type { ScoreRows } from './top-k';

/**
 * Predicted class of each row: the index of its highest score, the lowest index on a tie
 * (`np.argmax`). NaN scores are rejected.
 */
export function predictedClasses(scores: ScoreRows): Int32Array {
  const fn = 'predictedClasses';
  if (!Array.isArray(scores))
    throw new InvalidArgumentError(fn, 'scores', scores, 'an array of rows');
  const out = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const row = scores[i];
    if (!row || row.length === 0) {
      throw new InvalidArgumentError(fn, `scores[${i}]`, row, 'a non-empty row of scores');
    }
    let best = 0;
    for (let c = 0; c < row.length; c++) {
      if (Number.isNaN(row[c]))
        throw new InvalidArgumentError(fn, `scores[${i}][${c}]`, row[c], 'a number');
      if (row[c] > row[best]) best = c;
    }
    out[i] = best;
  }
  return out;
}

function checkPairs(
  fn: string,
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number,
): void {
  checkInteger(fn, 'numClasses', numClasses, { min: 1 });
  if (
    predictions === null ||
    typeof predictions !== 'object' ||
    predictions.length !== labels.length
  ) {
    throw new InvalidArgumentError(
      fn,
      'predictions.length',
      predictions?.length,
      `${labels.length} (one per label)`,
    );
  }
  checkLabels(fn, 'labels', labels, numClasses);
  checkLabels(fn, 'predictions', predictions, numClasses);
}

/**
 * `matrix[t][p]` = samples of true class t predicted as p (rows true, columns predicted, as
 * scikit-learn's `confusion_matrix(labels, predictions, labels=range(numClasses))`).
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number,
): number[][] {
  checkPairs('confusionMatrix', labels, predictions, numClasses);
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]][predictions[i]]++;
  return matrix;
}

/** Accuracy of each class and their mean over the classes that occur. */
export interface PerClassAccuracy {
  /** Recall of each class: correct / samples of that class; NaN for a class with no samples. */
  accuracy: number[];
  /** Samples of each class. */
  support: number[];
  /**
   * Mean of `accuracy` over classes with samples: scikit-learn's `balanced_accuracy_score`
   * (which also drops absent classes).
   */
  balanced: number;
}

/** Per-class accuracy (recall) from labels and predicted classes. */
export function perClassAccuracy(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number,
): PerClassAccuracy {
  const fn = 'perClassAccuracy';
  checkPairs(fn, labels, predictions, numClasses);
  if (labels.length === 0) throw new InvalidArgumentError(fn, 'labels', labels, 'non-empty');
  const support = new Array<number>(numClasses).fill(0);
  const correct = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    support[labels[i]]++;
    if (labels[i] === predictions[i]) correct[labels[i]]++;
  }
  const accuracy = support.map((s, c) => (s === 0 ? NaN : correct[c] / s));
  const present = accuracy.filter((a) => !Number.isNaN(a));
  return {
    accuracy,
    support,
    balanced: present.reduce((a, b) => a + b, 0) / present.length,
  };
}
