import { splitByLabel, type BinaryLabels, type Scores, type SplitScores } from '../input';
import { bestThreshold, type ThresholdAccuracy } from './accuracy';
import { aucFromCounts } from './auc';
import { binaryCounts, type BinaryCounts } from './counts';
import { eerFromCounts, type EqualErrorRate } from './eer';
import { farMeasurability, withMeasurability, type Measurability } from './measurable';
import { checkFarTargets, tarAtFarFromCounts, type TarAtFar } from './tar-at-far';

/**
 * A TAR@FAR point of {@link verificationMetrics}: {@link TarAtFar}, and whether the impostor
 * pairs can measure its FAR (`farMeasurability`); when not, `tar` is written as null in JSON.
 */
export type MeasuredTarAtFar = TarAtFar & Measurability;

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
  /**
   * {@link tarAtFar} at each requested FAR, each saying whether the impostor pairs can measure
   * it (a FAR of f needs >= 1/f of them): read `tar` only when `measurable`.
   */
  tarAtFar: MeasuredTarAtFar[];
  /** {@link bestThresholdAccuracy}. */
  bestAccuracy: ThresholdAccuracy;
}

// The FAR targets of @face, one constant per use; every package and the CLI read them from here.
// They differ on purpose: a FAR of f is measured only with well over 1/f impostor pairs (or
// unknown queries), so each default asks for no smaller FAR than its usual data can resolve.

/**
 * TAR@FAR of `verificationMetrics` and the report: the decades face verification benchmarks
 * report (IJB-C style), for benchmark-sized pair lists.
 */
export const DEFAULT_FAR_TARGETS: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

/**
 * Open-set DIR@FAR of the report, and the targets of `face eval`: a test set of thousands of
 * pairs or unknown queries.
 */
export const DEFAULT_OPEN_SET_FAR: readonly number[] = [1e-3, 1e-2, 1e-1];

/**
 * FARs measured during training and in the demos, on held-out identities of a few hundred to a
 * few thousand pairs or queries (@face/recipes' evaluations and validation).
 */
export const VALIDATION_FAR_TARGETS: readonly number[] = [1e-2, 1e-1];

/** AUC, EER, TAR@FAR and best accuracy at once: the scores are sorted a single time. */
export function verificationMetrics(
  scores: Scores,
  labels: BinaryLabels,
  options: { far?: readonly number[] } = {},
): VerificationMetrics {
  const fn = 'verificationMetrics';
  const targets = checkFarTargets(fn, options.far ?? DEFAULT_FAR_TARGETS);
  const split = splitByLabel(fn, scores, labels);
  return metricsFromCounts(split, binaryCounts(split), targets);
}

/** {@link verificationMetrics} of scores already split and counted (the report counts once too). */
export function metricsFromCounts(
  split: SplitScores,
  counts: BinaryCounts,
  targets: readonly number[],
): VerificationMetrics {
  return {
    positives: counts.positives,
    negatives: counts.negatives,
    auc: aucFromCounts(counts),
    eer: eerFromCounts(counts),
    tarAtFar: targets.map((f) =>
      withMeasurability(
        tarAtFarFromCounts(counts, f),
        'tar',
        farMeasurability(f, counts.negatives),
      ),
    ),
    bestAccuracy: bestThreshold(split, undefined, counts),
  };
}
