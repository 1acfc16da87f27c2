import { splitByLabel, type BinaryLabels, type Scores } from '../input';
import { binaryCounts, type BinaryCounts } from './counts';

/** The equal error rate and the operating point nearest to it. */
export interface EqualErrorRate {
  /**
   * Where the ROC curve, linear between its points, crosses FAR = FRR (FRR = 1 - TAR): the
   * root of `1 - x - tpr(x)` that the usual `brentq(lambda x: 1 - x - interp1d(fpr, tpr)(x))`
   * finds, computed exactly on the segment where FRR - FAR changes sign.
   */
  eer: number;
  /** Threshold of the ROC point minimizing |FRR - FAR| (the first, i.e. highest, on a tie). */
  threshold: number;
  /** FAR at `threshold` (impostor scores >= threshold / impostors). */
  far: number;
  /** FRR at `threshold` (genuine scores < threshold / genuines). */
  frr: number;
}

/** Equal error rate of `score >= threshold` decisions; see {@link EqualErrorRate}. */
export function eer(scores: Scores, labels: BinaryLabels): EqualErrorRate {
  return eerFromCounts(binaryCounts(splitByLabel('eer', scores, labels)));
}

export function eerFromCounts(c: BinaryCounts): EqualErrorRate {
  const { tps, fps, positives: p, negatives: n } = c;
  // g = FRR - FAR strictly decreases along the points (each adds a genuine or an impostor),
  // from 1 at the sentinel to -1 at the last point, so it has exactly one sign change.
  const g = (i: number) => 1 - tps[i] / p - fps[i] / n;
  let i = 1;
  while (g(i) > 0) i++;
  const g0 = g(i - 1);
  const g1 = g(i);
  const t = g0 / (g0 - g1);
  const far0 = fps[i - 1] / n;
  const far1 = fps[i] / n;
  const at = Math.abs(g1) < Math.abs(g0) ? i : i - 1;
  return {
    eer: far0 + t * (far1 - far0),
    threshold: c.thresholds[at],
    far: fps[at] / n,
    frr: 1 - tps[at] / p,
  };
}
