import { describe, expect, it } from 'vitest';
import { expectClose } from '@face/test-support';
import { auc, roc, rocAuc } from '@face/metrics';
import { cases, inf, scoresOf } from './fixture';

describe.each(cases.map((c) => [c.name, c] as const))(
  'roc on %s scores vs scikit-learn',
  (_, c) => {
    it('matches roc_curve (drop_intermediate=True, the default) to 1e-9', () => {
      const curve = roc(scoresOf(c), c.labels);
      expect(curve.fpr.length).toBe(c.roc.fpr.length);
      expectClose(curve.fpr, c.roc.fpr, { rtol: 0, atol: 1e-9, what: 'fpr' });
      expectClose(curve.tpr, c.roc.tpr, { rtol: 0, atol: 1e-9, what: 'tpr' });
      // scikit-learn 1.2 puts max(score) + 1 first; we follow >= 1.3 with Infinity
      expect(curve.thresholds[0]).toBe(Infinity);
      expectClose(curve.thresholds.slice(1), c.roc.thresholds.slice(1).map(inf), {
        rtol: 0,
        atol: 1e-9,
        what: 'thresholds',
      });
    });

    it('matches roc_curve(drop_intermediate=False) to 1e-9', () => {
      const curve = roc(scoresOf(c), c.labels, { dropIntermediate: false });
      expect(curve.fpr.length).toBe(c.rocAll.fpr.length);
      expectClose(curve.fpr, c.rocAll.fpr, { rtol: 0, atol: 1e-9, what: 'fpr' });
      expectClose(curve.tpr, c.rocAll.tpr, { rtol: 0, atol: 1e-9, what: 'tpr' });
      expectClose(curve.thresholds.slice(1), c.rocAll.thresholds.slice(1).map(inf), {
        rtol: 0,
        atol: 1e-9,
        what: 'thresholds',
      });
      expect(curve.positives + curve.negatives).toBe(c.scores.length);
    });

    it('matches roc_auc_score to 1e-9, also from auc(fpr, tpr)', () => {
      expect(Math.abs(rocAuc(scoresOf(c), c.labels) - c.auc)).toBeLessThan(1e-9);
      const curve = roc(c.scores, c.labels);
      expect(Math.abs(auc(curve.fpr, curve.tpr) - c.auc)).toBeLessThan(1e-9);
    });

    it('takes boolean labels and plain arrays alike', () => {
      const curve = roc(
        c.scores,
        c.labels.map((y) => y === 1),
      );
      expectClose(curve.tpr, c.roc.tpr, { rtol: 0, atol: 1e-9 });
    });
  },
);

describe('rocAuc', () => {
  it('counts a tie between a genuine and an impostor score as one half', () => {
    // pairs (pos, neg): (0.9 > 0.5), (0.9 > 0.1), (0.5 = 0.5), (0.5 > 0.1) -> 3.5 / 4
    expect(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBe(0.875);
  });

  it('is 1 for separated scores and 0 for reversed ones', () => {
    expect(rocAuc([3, 2, 1, 0], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([3, 2, 1, 0], [0, 0, 1, 1])).toBe(0);
  });
});

describe('auc', () => {
  it('integrates with trapezoids and flips a decreasing x, as scikit-learn', () => {
    expect(auc([0, 1, 2], [0, 1, 1])).toBe(1.5);
    expect(auc([2, 1, 0], [1, 1, 0])).toBe(1.5);
    expect(() => auc([0, 2, 1], [0, 1, 1])).toThrow(/x must be monotonic/);
  });
});
