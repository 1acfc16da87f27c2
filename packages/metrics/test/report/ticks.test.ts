import { describe, expect, it } from 'vitest';
import { niceTicks, tickLabel } from '@face/metrics';

describe('niceTicks', () => {
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

  it("gives a unit span around a single value, and labels with the step's decimals", () => {
    expect(niceTicks(3, 3)).toEqual([2.4, 2.6, 2.8, 3, 3.2, 3.4, 3.6]);
    expect(tickLabel(0.75, 0.25)).toBe('0.75');
    expect(tickLabel(1.5, 0.5)).toBe('1.5');
    expect(tickLabel(4, 2)).toBe('4');
    expect(tickLabel(0.3, 0.1)).toBe('0.3');
    expect(tickLabel(1, 0.25)).toBe('1.00');
  });
});
