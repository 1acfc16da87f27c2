import type { SplitScores } from '../input';
import type { RocCurve } from '../verification/roc';

/** A ROC point for plots and reports. */
export interface RocPoint {
  far: number;
  tar: number;
  threshold: number;
}

/**
 * The ROC points worth drawing on a log-FAR axis: FAR = 0 cannot be shown, and a curve of
 * millions of points is thinned to the first and last point of each of `bins` equal steps of
 * log10(FAR), which keeps every visible corner at the plot's resolution.
 */
export function logFarPoints(curve: RocCurve, bins = 200): RocPoint[] {
  const { fpr, tpr, thresholds } = curve;
  let first = 0;
  while (first < fpr.length && fpr[first] === 0) first++;
  if (first === fpr.length) return [];
  const lo = Math.log10(fpr[first]);
  const span = -lo || 1;
  const bin = (f: number) => Math.min(bins - 1, Math.floor(((Math.log10(f) - lo) / span) * bins));
  const points: RocPoint[] = [];
  for (let i = first; i < fpr.length; i++) {
    const b = bin(fpr[i]);
    const startsBin = i === first || bin(fpr[i - 1]) !== b;
    const endsBin = i === fpr.length - 1 || bin(fpr[i + 1]) !== b;
    if (startsBin || endsBin) points.push({ far: fpr[i], tar: tpr[i], threshold: thresholds[i] });
  }
  return points;
}

/** Genuine and impostor score densities over shared bins. */
export interface ScoreHistogram {
  /** `bins + 1` bin edges, ascending. */
  edges: number[];
  /** Density of genuine scores in each bin (count / (genuines * bin width)). */
  genuine: number[];
  /** Density of impostor scores in each bin. */
  impostor: number[];
}

/** Equal-width bins from the lowest to the highest score; the last bin includes its right edge. */
export function scoreHistogram(split: SplitScores, bins = 50): ScoreHistogram {
  const { positives: pos, negatives: neg } = split;
  const min = Math.min(pos.length ? pos[0] : Infinity, neg.length ? neg[0] : Infinity);
  const max = Math.max(
    pos.length ? pos[pos.length - 1] : -Infinity,
    neg.length ? neg[neg.length - 1] : -Infinity,
  );
  const lo = max > min ? min : min - 0.5;
  const width = max > min ? (max - min) / bins : 1 / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const density = (sorted: ArrayLike<number>) => {
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < sorted.length; i++) {
      counts[Math.min(bins - 1, Math.floor((sorted[i] - lo) / width))]++;
    }
    return counts.map((c) => (sorted.length ? c / (sorted.length * width) : 0));
  };
  return { edges, genuine: density(pos), impostor: density(neg) };
}
