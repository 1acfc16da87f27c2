import { splitByLabel, type BinaryLabels, type Scores } from '../input';
import { binaryCounts, type BinaryCounts } from './counts';

/** A ROC curve as scikit-learn's `roc_curve` returns it, plus the class sizes. */
export interface RocCurve {
  /** False positive rate (FAR) at each threshold, non-decreasing. */
  fpr: Float64Array;
  /** True positive rate (TAR = 1 - FRR) at each threshold, non-decreasing. */
  tpr: Float64Array;
  /**
   * Decreasing thresholds: a pair is accepted when `score >= threshold`. `thresholds[0]` is
   * `Infinity` (accept nothing), as in scikit-learn >= 1.3 (1.2 used `max(score) + 1`).
   */
  thresholds: Float64Array;
  /** Number of genuine pairs (label 1). */
  positives: number;
  /** Number of impostor pairs (label 0). */
  negatives: number;
}

export interface RocOptions {
  /**
   * Drop points that lie on a straight line between their neighbours (scikit-learn's
   * `drop_intermediate`, default `true` as there): the curve and its area are unchanged, it
   * only gets lighter. Pass `false` for one point per distinct score.
   */
  dropIntermediate?: boolean;
}

/**
 * Receiver operating characteristic of `score >= threshold` decisions, scikit-learn's
 * `roc_curve(labels, scores)`: tied scores are one point, thresholds are the distinct scores.
 * Throws unless there is at least one genuine and one impostor pair.
 */
export function roc(scores: Scores, labels: BinaryLabels, options: RocOptions = {}): RocCurve {
  const { dropIntermediate = true } = options;
  return rocFromCounts(binaryCounts(splitByLabel('roc', scores, labels)), dropIntermediate);
}

/**
 * Keeps raw point i unless both second differences of (fps, tps) vanish there: scikit-learn's
 * `np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]`, applied to the raw
 * points (before the sentinel) and only when there are more than two of them.
 */
function keptPoints(c: BinaryCounts, dropIntermediate: boolean): Uint8Array {
  const m = c.thresholds.length; // sentinel + raw points 1..m-1
  const keep = new Uint8Array(m).fill(1);
  if (!dropIntermediate || m - 1 <= 2) return keep;
  const { tps, fps } = c;
  for (let i = 2; i < m - 1; i++) {
    const dfp = fps[i + 1] - 2 * fps[i] + fps[i - 1];
    const dtp = tps[i + 1] - 2 * tps[i] + tps[i - 1];
    if (dfp === 0 && dtp === 0) keep[i] = 0;
  }
  return keep;
}

export function rocFromCounts(c: BinaryCounts, dropIntermediate: boolean): RocCurve {
  const keep = keptPoints(c, dropIntermediate);
  let size = 0;
  for (let i = 0; i < keep.length; i++) size += keep[i];
  const fpr = new Float64Array(size);
  const tpr = new Float64Array(size);
  const thresholds = new Float64Array(size);
  const { positives: p, negatives: n } = c;
  for (let i = 0, o = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    fpr[o] = c.fps[i] / n;
    tpr[o] = c.tps[i] / p;
    thresholds[o] = c.thresholds[i];
    o++;
  }
  return { fpr, tpr, thresholds, positives: p, negatives: n };
}
