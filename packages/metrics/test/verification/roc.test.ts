import { describe, expect, it } from 'vitest';
import { expectClose } from '@face/test-support';
import { Rng } from '@face/core';
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

describe('roc on 6000 tied scores (the radix-sort path) against a naive reference', () => {
  const rng = new Rng(9);
  const labels = Array.from({ length: 6000 }, () => (rng.next() < 0.3 ? 1 : 0));
  const raw = labels.map((y) => Math.round((rng.normal(y, 1) + 0) * 20) / 20); // ~150 values

  it.each([Float64Array, Float32Array])('%o', (Float) => {
    const scores = Float.from(raw);
    // naive: sort pairs by score descending, one point per distinct score
    const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
    const fpr = [0];
    const tpr = [0];
    let tp = 0;
    let fp = 0;
    const p = labels.filter((y) => y === 1).length;
    order.forEach((i, j) => {
      if (labels[i]) tp++;
      else fp++;
      if (j === order.length - 1 || scores[order[j + 1]] !== scores[i]) {
        fpr.push(fp / (6000 - p));
        tpr.push(tp / p);
      }
    });
    const curve = roc(scores, labels, { dropIntermediate: false });
    expect(Array.from(curve.fpr)).toEqual(fpr);
    expect(Array.from(curve.tpr)).toEqual(tpr);
    // AUC as the Mann-Whitney statistic: P(genuine > impostor) + P(tie) / 2
    let wins = 0;
    for (let i = 0; i < 6000; i++) {
      if (!labels[i]) continue;
      for (let j = 0; j < 6000; j++) {
        if (!labels[j]) wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
    expect(rocAuc(scores, labels)).toBeCloseTo(wins / (p * (6000 - p)), 14);
  });
});

describe('rocAuc on 150k scores (a curve longer than the first output buffer)', () => {
  it('equals the rank-sum (Mann-Whitney U) formula with mid-ranks for ties', () => {
    const rng = new Rng(10);
    const n = 150_000;
    const labels = Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    const scores = Float64Array.from(labels, (y) => Math.round(rng.normal(0.3 * y, 1) * 1e5) / 1e5);
    const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b]);
    let rankSum = 0;
    for (let start = 0; start < n;) {
      let stop = start;
      while (stop < n && scores[order[stop]] === scores[order[start]]) stop++;
      const midRank = (start + 1 + stop) / 2; // ranks start..stop-1 are 1-based start+1..stop
      for (let j = start; j < stop; j++) if (labels[order[j]]) rankSum += midRank;
      start = stop;
    }
    const p = labels.filter((y) => y === 1).length;
    const u = rankSum - (p * (p + 1)) / 2;
    const curve = roc(scores, labels, { dropIntermediate: false });
    expect(curve.fpr.length).toBeGreaterThan(1 << 16);
    expect(rocAuc(scores, labels)).toBeCloseTo(u / (p * (n - p)), 12);
  });
});
