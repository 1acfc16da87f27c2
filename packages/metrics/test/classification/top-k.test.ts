import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { topKAccuracy } from '@face/metrics';

describe('topKAccuracy', () => {
  const scores = [
    [0.1, 0.7, 0.2],
    [0.5, 0.3, 0.2],
    [0.2, 0.3, 0.5],
    [0.4, 0.4, 0.2],
  ];

  it('counts the true class among the k best', () => {
    expect(topKAccuracy(scores, [1, 1, 2, 1], 1)).toBe(0.5);
    expect(topKAccuracy(scores, [1, 1, 2, 1], 2)).toBe(1);
    expect(topKAccuracy(scores, [0, 2, 0, 2], 3)).toBe(1);
  });

  it('breaks ties by class index, deterministically', () => {
    expect(topKAccuracy([[0.4, 0.4, 0.2]], [0], 1)).toBe(1);
    expect(topKAccuracy([[0.4, 0.4, 0.2]], [1], 1)).toBe(0);
  });

  it('rejects bad labels, k and lengths', () => {
    expect(() => topKAccuracy(scores, [1, 1, 3, 0])).toThrow(InvalidArgumentError);
    expect(() => topKAccuracy(scores, [1, 1, 2])).toThrow(/labels must be length 4/);
    expect(() => topKAccuracy(scores, [1, 1, 2, 0], 4)).toThrow(
      /k must be an integer >= 1 and <= 3/,
    );
  });
});
