import { checkNumber, InvalidArgumentError } from '@face/core';
import { splitByLabel, type BinaryLabels, type Scores } from '../input';
import { binaryCounts, type BinaryCounts } from './counts';

/** One operating point chosen for a target false accept rate. */
export interface TarAtFar {
  /** The target FAR. */
  far: number;
  /** True accept rate at `threshold`: genuine scores >= threshold / genuines. */
  tar: number;
  /** The lowest threshold (a score value, or `Infinity`) whose FAR does not exceed `far`. */
  threshold: number;
  /** The FAR actually reached at `threshold` (<= `far`; the ROC is a step function). */
  actualFar: number;
}

/**
 * True accept rate at a false accept rate: the threshold is the lowest ROC threshold with
 * `FAR <= far`, which gives the highest TAR any threshold reaches without exceeding the target;
 * no interpolation between ROC points (an operating point you can actually deploy). A target
 * below the smallest reachable FAR gives the strictest threshold with FAR 0 (possibly
 * `Infinity`, TAR 0).
 */
export function tarAtFar(scores: Scores, labels: BinaryLabels, far: number): TarAtFar;
export function tarAtFar(scores: Scores, labels: BinaryLabels, far: readonly number[]): TarAtFar[];
export function tarAtFar(
  scores: Scores,
  labels: BinaryLabels,
  far: number | readonly number[],
): TarAtFar | TarAtFar[] {
  const targets = checkFarTargets('tarAtFar', far);
  const c = binaryCounts(splitByLabel('tarAtFar', scores, labels));
  const points = targets.map((f) => tarAtFarFromCounts(c, f));
  return typeof far === 'number' ? points[0] : points;
}

/** Validates one FAR target or a non-empty list of them, each in [0, 1]. */
export function checkFarTargets(fn: string, far: number | readonly number[]): number[] {
  if (typeof far === 'number') return [checkNumber(fn, 'far', far, { min: 0, max: 1 })];
  if (!Array.isArray(far) || far.length === 0) {
    throw new InvalidArgumentError(
      fn,
      'far',
      far,
      'a number in [0, 1] or a non-empty array of them',
    );
  }
  return far.map((f, i) => checkNumber(fn, `far[${i}]`, f, { min: 0, max: 1 }));
}

/** Largest i with fps[i] / N <= far (FAR is non-decreasing in i; i = 0 always qualifies). */
export function tarAtFarFromCounts(c: BinaryCounts, far: number): TarAtFar {
  const { fps, tps, negatives: n } = c;
  let lo = 0;
  let hi = fps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (fps[mid] / n <= far) lo = mid;
    else hi = mid - 1;
  }
  return { far, tar: tps[lo] / c.positives, threshold: c.thresholds[lo], actualFar: fps[lo] / n };
}
