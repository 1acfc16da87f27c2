import { describe, expect, it } from 'vitest';
import { trainingCurvesSvg } from '../src/curves';

describe('training-curve axes', () => {
  it('labels the loss axis with the round values', () => {
    const svg = trainingCurvesSvg(
      [{ name: 'loss', points: [1, 2, 3].map((x, i) => ({ x, y: [4.71, 2.93, 1.38][i] })) }],
      [{ name: 'auc', points: [1, 2, 3].map((x) => ({ x, y: 0.5 + x / 10 })) }],
    );
    const labels = [...svg.matchAll(/text-anchor="end" font-size="11">([^<]+)</g)].map((m) => m[1]);
    expect(labels.slice(0, 5)).toEqual(['1', '2', '3', '4', '5']);
    expect(labels.slice(5)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
  });
});
