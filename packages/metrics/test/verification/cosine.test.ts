import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from '@face/metrics';
import { pairSimilarity } from '@face/metrics/similarity';

describe('cosineSimilarity (plain numbers)', () => {
  it('is the backend pair similarity of the same rows, and 0 with a zero vector', () => {
    const a = [
      [1, 2, 3],
      [0.5, -1, 0],
      [0, 0, 0],
    ];
    const b = [
      [2, 1, 0],
      [-0.5, 1, 0],
      [1, 1, 1],
    ];
    const on = pairSimilarity(a, b);
    const want = on.dataSync();
    on.dispose();
    a.forEach((row, i) => expect(cosineSimilarity(row, b[i])).toBeCloseTo(want[i], 6));
    expect(cosineSimilarity([3, 4], [6, 8])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([0, 0], [1, 0])).toBe(0);
  });
});
