import { describe, expect, it } from 'vitest';
import { niceTicks, trainingCurvesSvg } from '../src/curves';

describe('training-curve axes', () => {
  it('tick on round values that cover the data', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.2873, 4.9131)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(niceTicks(2.31, 2.47)).toEqual([2.3, 2.35, 2.4, 2.45, 2.5]);
    expect(niceTicks(13.7, 61.2)).toEqual([10, 20, 30, 40, 50, 60, 70]);
    for (const [lo, hi] of [
      [0.013, 0.0171],
      [-3.2, 7.9],
      [1e-4, 9e-4],
    ]) {
      const t = niceTicks(lo, hi);
      expect(t[0]).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(hi);
      expect(t.length).toBeGreaterThanOrEqual(3);
      expect(t.length).toBeLessThanOrEqual(8);
      const step = t[1] - t[0];
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      expect([1, 2, 2.5, 5].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
    }
  });

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
