import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { expectClose, loadFixture } from '@face/test-support';
import { confusionMatrix, perClassAccuracy, predictedClasses, topKAccuracy } from '@face/metrics';

interface ClassificationFixture {
  numClasses: number;
  scores: number[][];
  labels: number[];
  predictions: number[];
  confusionMatrix: number[][];
  perClassAccuracy: (number | null)[];
  support: number[];
  balancedAccuracy: number;
  topK: Record<string, number>;
}

const ref = loadFixture<ClassificationFixture>(
  new URL('../x', import.meta.url).href,
  'classification',
);

describe('classification metrics vs scikit-learn', () => {
  it('predictedClasses is argmax', () => {
    expect(Array.from(predictedClasses(ref.scores))).toEqual(ref.predictions);
    expect(Array.from(predictedClasses([[0.2, 0.5, 0.5]]))).toEqual([1]); // first on a tie
  });

  it('confusionMatrix matches confusion_matrix (rows true, columns predicted)', () => {
    expect(confusionMatrix(ref.labels, ref.predictions, ref.numClasses)).toEqual(
      ref.confusionMatrix,
    );
  });

  it('perClassAccuracy matches per-class recall and balanced_accuracy_score', () => {
    const got = perClassAccuracy(ref.labels, ref.predictions, ref.numClasses);
    expect(got.support).toEqual(ref.support);
    expectClose(
      got.accuracy,
      ref.perClassAccuracy.map((v) => (v === null ? NaN : v)),
      {
        rtol: 0,
        atol: 1e-12,
      },
    );
    expect(got.accuracy[6]).toBeNaN(); // class 6 has no samples
    expect(Math.abs(got.balanced - ref.balancedAccuracy)).toBeLessThan(1e-12);
  });

  it.each(Object.keys(ref.topK))('topKAccuracy k=%s matches top_k_accuracy_score', (k) => {
    expect(Math.abs(topKAccuracy(ref.scores, ref.labels, Number(k)) - ref.topK[k])).toBeLessThan(
      1e-12,
    );
  });

  it('rejects labels out of range and mismatched lengths, naming them', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(
      /labels\[1\] must be integers in \[0, 2\], got 3/,
    );
    expect(() => confusionMatrix([0, 1], [0], 3)).toThrow(InvalidArgumentError);
    expect(() => perClassAccuracy([0, 1], [0, 1.5], 3)).toThrow(/predictions\[1\]/);
    expect(() => predictedClasses([[0.1, NaN]])).toThrow(/scores\[0\]\[1\] must be a number/);
    expect(() => perClassAccuracy([], [], 2)).toThrow(/labels must be non-empty/);
  });
});
