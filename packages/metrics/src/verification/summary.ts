import { splitByLabel, type BinaryLabels, type Scores } from '../input';
import { bestThreshold, type ThresholdAccuracy } from './accuracy';
import { aucFromCounts } from './auc';
import { binaryCounts } from './counts';
import { eerFromCounts, type EqualErrorRate } from './eer';
import { checkFarTargets, tarAtFarFromCounts, type TarAtFar } from './tar-at-far';

/** The usual 1:1 verification numbers, from one sort of the scores. */
export interface VerificationMetrics {
  /** Genuine pairs. */
  positives: number;
  /** Impostor pairs. */
  negatives: number;
  /** {@link rocAuc}. */
  auc: number;
  /** {@link eer}. */
  eer: EqualErrorRate;
  /** {@link tarAtFar} at each requested FAR. */
  tarAtFar: TarAtFar[];
  /** {@link bestThresholdAccuracy}. */
  bestAccuracy: ThresholdAccuracy;
}

/** Default FAR targets: the decades face verification benchmarks report (IJB-C style). */
export const DEFAULT_FAR_TARGETS: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

/** AUC, EER, TAR@FAR and best accuracy at once: the scores are sorted a single time. */
export function verificationMetrics(
  scores: Scores,
  labels: BinaryLabels,
  options: { far?: readonly number[] } = {},
): VerificationMetrics {
  const fn = 'verificationMetrics';
  const targets = checkFarTargets(fn, options.far ?? DEFAULT_FAR_TARGETS);
  const split = splitByLabel(fn, scores, labels);
  const counts = binaryCounts(split);
  return {
    positives: counts.positives,
    negatives: counts.negatives,
    auc: aucFromCounts(counts),
    eer: eerFromCounts(counts),
    tarAtFar: targets.map((f) => tarAtFarFromCounts(counts, f)),
    bestAccuracy: bestThreshold(split, undefined, counts),
  };
}
