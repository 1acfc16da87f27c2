import { checkInteger, checkLabels, InvalidArgumentError } from '@face/core';

/** Rows of class scores (logits or probabilities), one row per sample: `number[][]`, `Float32Array[]`. */
export type ScoreRows = readonly ArrayLike<number>[];

/**
 * Top-k accuracy: the fraction of samples whose true class is among the k highest scores.
 * Ties are counted against the prediction: a class tied with the true class's score and
 * ordered before it (lower index) takes the slot, as `torch.topk` on equal values does not
 * guarantee either; this keeps the metric deterministic.
 */
export function topKAccuracy(scores: ScoreRows, labels: ArrayLike<number>, k = 1): number {
  if (scores.length !== labels.length) {
    throw new InvalidArgumentError(
      'topKAccuracy',
      'labels',
      labels.length,
      `length ${scores.length} (one per score row)`,
    );
  }
  if (scores.length === 0)
    throw new InvalidArgumentError('topKAccuracy', 'scores', scores, 'at least one row');
  const numClasses = scores[0].length;
  checkInteger('topKAccuracy', 'k', k, { min: 1, max: numClasses });
  checkLabels('topKAccuracy', 'labels', labels, numClasses);
  let hits = 0;
  for (let i = 0; i < scores.length; i++) {
    const row = scores[i];
    if (row.length !== numClasses) {
      throw new InvalidArgumentError(
        'topKAccuracy',
        `scores[${i}].length`,
        row.length,
        `${numClasses}`,
      );
    }
    const y = labels[i];
    const target = row[y];
    if (Number.isNaN(target))
      throw new InvalidArgumentError('topKAccuracy', `scores[${i}][${y}]`, target, 'a number');
    // rank = classes that beat the target (strictly higher, or equal with a lower index)
    let rank = 0;
    for (let c = 0; c < numClasses && rank < k; c++) {
      if (row[c] > target || (row[c] === target && c < y)) rank++;
    }
    if (rank < k) hits++;
  }
  return hits / scores.length;
}
