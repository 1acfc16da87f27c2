import type { SplitScores } from '../input';

/**
 * The raw operating points of a score threshold `score >= t`, one per distinct score, highest
 * first, after a sentinel point that accepts nothing. This is scikit-learn's
 * `_binary_clf_curve` (tied scores form one point) with the `thresholds[0] = inf` point that
 * `roc_curve` prepends (scikit-learn >= 1.3; 1.2 used `max + 1`).
 */
export interface BinaryCounts {
  /** `Infinity`, then the distinct scores in descending order. */
  thresholds: Float64Array;
  /** Genuine scores `>= thresholds[i]` (true accepts). */
  tps: Float64Array;
  /** Impostor scores `>= thresholds[i]` (false accepts). */
  fps: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * Walks the two ascending arrays from their tops, taking every score equal to the current
 * maximum from both at once, so a tie between genuine and impostor scores is one point. One
 * pass; the output grows by doubling and is trimmed at the end.
 */
export function binaryCounts(split: SplitScores): BinaryCounts {
  const { positives: pos, negatives: neg } = split;
  let capacity = Math.min(pos.length + neg.length + 1, 1 << 16);
  let thresholds = new Float64Array(capacity);
  let tps = new Float64Array(capacity);
  let fps = new Float64Array(capacity);
  thresholds[0] = Infinity;
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let m = 1; // index 0 is the sentinel
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? neg[j] : j < 0 ? pos[i] : pos[i] > neg[j] ? pos[i] : neg[j];
    while (i >= 0 && pos[i] === v) {
      i--;
      tp++;
    }
    while (j >= 0 && neg[j] === v) {
      j--;
      fp++;
    }
    if (m === capacity) {
      capacity = Math.min(2 * capacity, pos.length + neg.length + 1);
      thresholds = grow(thresholds, capacity);
      tps = grow(tps, capacity);
      fps = grow(fps, capacity);
    }
    thresholds[m] = v;
    tps[m] = tp;
    fps[m] = fp;
    m++;
  }
  return {
    thresholds: thresholds.slice(0, m),
    tps: tps.slice(0, m),
    fps: fps.slice(0, m),
    positives: pos.length,
    negatives: neg.length,
  };
}

function grow(a: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

/** Number of entries of the ascending array `sorted` that are `>= t` (binary search). */
export function countAtLeast(sorted: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}
