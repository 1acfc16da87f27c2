import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import {
  accuracyAtThreshold,
  bestThresholdAccuracy,
  eer,
  kFoldAccuracy,
  roc,
  rocAuc,
  tarAtFar,
  verificationMetrics,
} from '@face/metrics';

const scores = [0.9, 0.1, 0.5, 0.4];
const labels = [1, 0, 1, 0];

/** Runs fn and returns the InvalidArgumentError it throws (fails if it throws anything else). */
function caught(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    return err as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError, nothing was thrown');
}

const curves = { roc, rocAuc, eer, verificationMetrics } as const;

describe.each(Object.entries(curves))('%s rejects bad input naming the argument', (name, fn) => {
  const call = (s: ArrayLike<number>, y: ArrayLike<number | boolean>) =>
    (fn as (s: ArrayLike<number>, y: ArrayLike<number | boolean>) => unknown)(s, y);

  it('NaN and infinite scores', () => {
    const e = caught(() => call([0.9, NaN, 0.5, 0.4], labels));
    expect(e.fn).toBe(name);
    expect(e.argument).toBe('scores[1]');
    expect(e.message).toMatch(/scores\[1\] must be a finite number, got NaN/);
    expect(caught(() => call(Float32Array.of(0.9, 0.1, Infinity, 0.4), labels)).argument).toBe(
      'scores[2]',
    );
  });

  it('lengths that differ', () => {
    const e = caught(() => call(scores, [1, 0, 1]));
    expect(e.argument).toBe('labels.length');
    expect(e.message).toMatch(/labels\.length must be 4 \(one per score\), got 3/);
  });

  it('labels not in {0, 1}', () => {
    const e = caught(() => call(scores, [1, 0, 2, 0]));
    expect(e.argument).toBe('labels[2]');
    expect(e.message).toMatch(/must be 0 or 1 \(or a boolean\), got 2/);
    expect(caught(() => call(scores, [1, 0, -1, 0])).argument).toBe('labels[2]');
    expect(caught(() => call(scores, [1, 0, 0.5, 0])).argument).toBe('labels[2]');
  });

  it('no positives, or no negatives', () => {
    const e = caught(() => call(scores, [0, 0, 0, 0]));
    expect(e.argument).toBe('labels');
    expect(e.message).toMatch(/at least one positive \(1\) and one negative \(0\)/);
    expect(e.message).toMatch(/got "0 positive\(s\) and 4 negative\(s\)"/);
    expect(caught(() => call(scores, [true, true, true, true])).argument).toBe('labels');
  });

  it('something that is not an array', () => {
    expect(caught(() => call(null as unknown as number[], labels)).argument).toBe('scores');
    expect(caught(() => call(scores, undefined as unknown as number[])).argument).toBe('labels');
  });
});

describe('targets, thresholds and folds', () => {
  it('tarAtFar wants FARs in [0, 1]', () => {
    expect(caught(() => tarAtFar(scores, labels, 1.5)).argument).toBe('far');
    expect(caught(() => tarAtFar(scores, labels, [0.1, NaN])).argument).toBe('far[1]');
    expect(caught(() => tarAtFar(scores, labels, [])).argument).toBe('far');
  });

  it('accuracy functions take one class but not a NaN threshold', () => {
    expect(accuracyAtThreshold(scores, [0, 0, 0, 0], 0.45)).toBe(0.5);
    expect(caught(() => accuracyAtThreshold(scores, labels, NaN)).argument).toBe('threshold');
    expect(caught(() => accuracyAtThreshold([], [], 0.5)).argument).toBe('scores');
    expect(caught(() => bestThresholdAccuracy(scores, labels, { thresholds: [] })).argument).toBe(
      'thresholds',
    );
  });

  it('kFoldAccuracy wants 2 <= folds <= pairs', () => {
    expect(caught(() => kFoldAccuracy(scores, labels, { folds: 5 })).message).toMatch(
      /folds must be an integer >= 2 and <= 4, got 5/,
    );
    expect(caught(() => kFoldAccuracy(scores, labels, { folds: 1 })).argument).toBe('folds');
    expect(caught(() => kFoldAccuracy([NaN, 1], [0, 1], { folds: 2 })).argument).toBe('scores[0]');
  });
});
