import { InvalidArgumentError } from '@face/core';
import { sortFloat32, sortFloat64 } from './sort';

/** Scores of a binary decision (higher = more likely the same identity). */
export type Scores = ArrayLike<number>;

/** 1 (or `true`) = genuine / same identity, 0 (or `false`) = impostor / different identities. */
export type BinaryLabels = ArrayLike<number | boolean>;

/** Scores split by label, each sorted ascending in a copy of the input's own float type. */
export interface SplitScores {
  /** Scores of genuine pairs (label 1), ascending. */
  positives: Float32Array | Float64Array;
  /** Scores of impostor pairs (label 0), ascending. */
  negatives: Float32Array | Float64Array;
}

/** Throws unless `labels` has one entry per score. */
export function checkSameLength(
  fn: string,
  scores: ArrayLike<unknown>,
  other: ArrayLike<unknown>,
  argument = 'labels',
): void {
  if (other === null || other === undefined || typeof other.length !== 'number') {
    throw new InvalidArgumentError(fn, argument, other, 'an array');
  }
  if (other.length !== scores.length) {
    throw new InvalidArgumentError(
      fn,
      `${argument}.length`,
      other.length,
      `${scores.length} (one per score)`,
    );
  }
}

/** Throws on a score that is not a finite number (NaN first among the usual mistakes). */
export function checkScores(fn: string, scores: Scores, argument = 'scores'): void {
  if (scores === null || scores === undefined || typeof scores.length !== 'number') {
    throw new InvalidArgumentError(fn, argument, scores, 'an array of numbers');
  }
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    // `s - s` is NaN for NaN and +-Infinity, 0 for every finite number: one test, no call.
    if (typeof s !== 'number' || s - s !== 0) {
      throw new InvalidArgumentError(fn, `${argument}[${i}]`, s, 'a finite number');
    }
  }
}

/**
 * Validates scores and 0/1 labels and splits the scores by label into sorted copies: the one
 * sorting step behind every curve. Sorting two float arrays by radix (no comparator, no index
 * permutation) is what makes 10 million scores cheap; ties stay together because equal values
 * sort next to each other.
 */
export function splitByLabel(
  fn: string,
  scores: Scores,
  labels: BinaryLabels,
  { requireBoth = true } = {},
): SplitScores {
  if (scores === null || scores === undefined || typeof scores.length !== 'number') {
    throw new InvalidArgumentError(fn, 'scores', scores, 'an array of numbers');
  }
  checkSameLength(fn, scores, labels);
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    // `s - s` is NaN for NaN and +-Infinity, 0 for every finite number
    if (typeof s !== 'number' || s - s !== 0) {
      throw new InvalidArgumentError(fn, `scores[${i}]`, s, 'a finite number');
    }
    const y = labels[i];
    if (y === 1 || y === true) positives++;
    else if (y !== 0 && y !== false) {
      throw new InvalidArgumentError(fn, `labels[${i}]`, y, '0 or 1 (or a boolean)');
    }
  }
  const negatives = n - positives;
  if (requireBoth && (positives === 0 || negatives === 0)) {
    throw new InvalidArgumentError(
      fn,
      'labels',
      `${positives} positive(s) and ${negatives} negative(s)`,
      'at least one positive (1) and one negative (0): the rates are undefined otherwise',
    );
  }
  const Float = scores instanceof Float32Array ? Float32Array : Float64Array;
  const pos = new Float(positives);
  const neg = new Float(negatives);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === 1 || labels[i] === true) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  return { positives: sortFloats(pos), negatives: sortFloats(neg) };
}

/** Throws unless every entry is an integer (identity labels; any integer, negatives included). */
export function checkIdentityLabels(fn: string, argument: string, labels: ArrayLike<number>): void {
  if (labels === null || labels === undefined || typeof labels.length !== 'number') {
    throw new InvalidArgumentError(fn, argument, labels, 'an array of integer identity labels');
  }
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isInteger(labels[i])) {
      throw new InvalidArgumentError(fn, `${argument}[${i}]`, labels[i], 'an integer');
    }
  }
}

function sortFloats(a: Float32Array | Float64Array): Float32Array | Float64Array {
  return a instanceof Float32Array ? sortFloat32(a) : sortFloat64(a);
}

/** How many times each label occurs. */
export function countLabels(labels: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return counts;
}
