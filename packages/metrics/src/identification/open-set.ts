import { checkInteger, InvalidArgumentError } from '@face/core';
import { checkScores } from '../input';
import { sortFloat64 } from '../sort';
import { checkThreshold } from '../verification/accuracy';
import { binaryCounts } from '../verification/counts';
import {
  farMeasurability,
  withMeasurability,
  type Measurability,
} from '../verification/measurable';
import { checkFarTargets, tarAtFarFromCounts } from '../verification/tar-at-far';
import {
  firstCorrectRank,
  labelNeighbors,
  type LabeledNeighbors,
  type Neighbors,
} from './neighbors';

/**
 * One open-set operating point chosen for a target false alarm rate, and whether the unknown
 * queries can measure that rate (a FAR of f needs >= 1/f of them; when not, `dir` is written as
 * null in JSON, with the `reason`).
 */
export interface DirAtFar extends Measurability {
  /** The target false alarm rate (FPIR: unknown queries accepted / unknown queries). */
  far: number;
  /** Detection and identification rate: known queries whose mate is within `rank` and scores >= threshold, / known queries. */
  dir: number;
  /**
   * The lowest candidate threshold whose false alarm rate does not exceed `far`; candidates are
   * the scores the decisions depend on (the ROC thresholds of this problem): Infinity, the best
   * scores of unknown queries and the scores of mates found within `rank`.
   */
  threshold: number;
  /** The false alarm rate actually reached at `threshold`. */
  actualFar: number;
}

/** Decisions of a watch-list search at one threshold: the best match is accepted if its score >= threshold. */
export interface OpenSetCounts {
  threshold: number;
  /** Queries whose identity is in the gallery. */
  known: {
    total: number;
    /** Best match is the right identity and accepted. */
    correctAccepts: number;
    /** Best match is another identity and accepted (misidentification). */
    falseAccepts: number;
    /** Best match scores below the threshold. */
    falseRejects: number;
  };
  /** Queries whose identity is not in the gallery. */
  unknown: {
    total: number;
    /** Best match accepted: a false alarm. */
    falseAccepts: number;
    /** Best match rejected: correctly answered "unknown". */
    correctRejects: number;
  };
  /** DIR at rank 1: known.correctAccepts / known.total (NaN when there are no known queries). */
  dir: number;
  /** False alarm rate (FPIR): unknown.falseAccepts / unknown.total (NaN when there are no unknown queries). */
  far: number;
}

/**
 * Open-set identification rate at false alarm rates (the watch-list DIR@FAR of Phillips et al.,
 * FRVT 2002, and of IJB-C's 1:N protocol): a known query is detected and identified when its mate
 * is among its first `rank` matches with a score >= threshold; a query of an unknown identity
 * raises a false alarm when its best score is >= threshold. The threshold is picked as in
 * {@link tarAtFar}: the lowest score value whose false alarm rate does not exceed the target.
 */
export function dirAtFar(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  far: number,
  options?: { rank?: number },
): DirAtFar;
export function dirAtFar(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  far: readonly number[],
  options?: { rank?: number },
): DirAtFar[];
export function dirAtFar(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  far: number | readonly number[],
  options: { rank?: number } = {},
): DirAtFar | DirAtFar[] {
  const fn = 'dirAtFar';
  const targets = checkFarTargets(fn, far);
  const n = labelNeighbors(fn, neighbors, queryLabels, galleryLabels);
  const rank = options.rank ?? 1;
  checkInteger(fn, 'rank', rank, { min: 1, max: n.k });
  const { mates, known, unknown } = splitQueries(n, rank);
  if (known === 0 || unknown.length === 0) {
    throw new InvalidArgumentError(
      fn,
      'queryLabels',
      `${known} known and ${unknown.length} unknown queries`,
      'at least one query whose label is in galleryLabels and one whose label is not',
    );
  }
  // A ROC problem: detected mates are the positives, unknown best scores the negatives; rates of
  // the positives are taken over all known queries (missed mates are never detected).
  const counts = {
    ...binaryCounts({ positives: sorted(mates), negatives: sorted(unknown) }),
    positives: known,
  };
  const points = targets.map((f) => {
    const p = tarAtFarFromCounts(counts, f);
    const point = { far: f, dir: p.tar, threshold: p.threshold, actualFar: p.actualFar };
    return withMeasurability(point, 'dir', farMeasurability(f, unknown.length, 'unknown queries'));
  });
  return typeof far === 'number' ? points[0] : points;
}

/** Counts of right and wrong open-set decisions at `threshold` (rank-1 decisions). */
export function openSetCounts(
  neighbors: Neighbors,
  queryLabels: ArrayLike<number>,
  galleryLabels: ArrayLike<number>,
  threshold: number,
): OpenSetCounts {
  const fn = 'openSetCounts';
  checkThreshold(fn, 'threshold', threshold);
  const n = labelNeighbors(fn, neighbors, queryLabels, galleryLabels);
  const known = { total: 0, correctAccepts: 0, falseAccepts: 0, falseRejects: 0 };
  const unknown = { total: 0, falseAccepts: 0, correctRejects: 0 };
  for (let q = 0; q < n.queries; q++) {
    const top = q * n.k;
    const accepted = n.scores[top] >= threshold;
    if (n.galleryCounts.has(n.queryLabels[q])) {
      known.total++;
      if (!accepted) known.falseRejects++;
      else if (n.matchLabels[top] === n.queryLabels[q]) known.correctAccepts++;
      else known.falseAccepts++;
    } else {
      unknown.total++;
      if (accepted) unknown.falseAccepts++;
      else unknown.correctRejects++;
    }
  }
  return {
    threshold,
    known,
    unknown,
    dir: known.total ? known.correctAccepts / known.total : NaN,
    far: unknown.total ? unknown.falseAccepts / unknown.total : NaN,
  };
}

/**
 * The threshold that meets a target false accept rate on impostor scores alone (the best scores
 * of unknown queries, or impostor pair scores): the lowest impostor score t, or Infinity, with
 * `(impostor scores >= t) / impostors <= far`. Any threshold between the next lower impostor
 * score and t gives the same rate.
 */
export function thresholdAtFar(impostorScores: ArrayLike<number>, far: number): number {
  const fn = 'thresholdAtFar';
  checkScores(fn, impostorScores, 'impostorScores');
  if (impostorScores.length === 0)
    throw new InvalidArgumentError(fn, 'impostorScores', impostorScores, 'non-empty');
  const [target] = checkFarTargets(fn, far);
  const counts = binaryCounts({
    positives: new Float64Array(0),
    negatives: sorted(impostorScores),
  });
  return tarAtFarFromCounts({ ...counts, positives: 1 }, target).threshold;
}

function splitQueries(n: LabeledNeighbors, rank: number) {
  const mates: number[] = [];
  const unknown: number[] = [];
  let known = 0;
  for (let q = 0; q < n.queries; q++) {
    if (n.galleryCounts.has(n.queryLabels[q])) {
      known++;
      const r = firstCorrectRank(n, q);
      if (r <= rank) mates.push(n.scores[q * n.k + r - 1]);
    } else {
      unknown.push(n.scores[q * n.k]);
    }
  }
  return { mates, known, unknown };
}

/** An ascending float64 copy, through the package's radix sort (as the ROC uses). */
function sorted(values: ArrayLike<number>): Float64Array {
  return sortFloat64(Float64Array.from(values));
}
