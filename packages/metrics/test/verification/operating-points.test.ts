import { describe, expect, it } from 'vitest';
import { expectClose } from '@face/test-support';
import {
  accuracyAtThreshold,
  bestThresholdAccuracy,
  eer,
  kFoldAccuracy,
  tarAtFar,
  verificationMetrics,
} from '@face/metrics';
import { cases, inf, scoresOf } from './fixture';

const close = (a: number, e: number, what: string) =>
  expectClose(a, e, { rtol: 0, atol: 1e-9, what });

describe.each(cases.map((c) => [c.name, c] as const))(
  'on %s scores vs the reference script',
  (_, c) => {
    const scores = scoresOf(c);

    it('eer: interpolated crossing (also = brentq) and the nearest threshold', () => {
      const e = eer(scores, c.labels);
      close(e.eer, c.eer.eer, 'eer');
      close(e.eer, c.eer.eerBrentq, 'eer vs brentq');
      expect(e.threshold).toBe(inf(c.eer.threshold));
      close(e.far, c.eer.far, 'far');
      close(e.frr, c.eer.frr, 'frr');
    });

    it('tarAtFar: lowest threshold within each FAR target', () => {
      const points = tarAtFar(
        scores,
        c.labels,
        c.tarAtFar.map((p) => p.far),
      );
      points.forEach((p, i) => {
        const ref = c.tarAtFar[i];
        close(p.tar, ref.tar, `tar at ${ref.far}`);
        close(p.actualFar, ref.actualFar, `actual far at ${ref.far}`);
        expect(p.threshold).toBe(inf(ref.threshold));
        expect(p.actualFar).toBeLessThanOrEqual(ref.far);
      });
      expect(tarAtFar(scores, c.labels, c.tarAtFar[3].far).tar).toBe(points[3].tar);
    });

    it('bestThresholdAccuracy and accuracyAtThreshold agree with brute force', () => {
      const best = bestThresholdAccuracy(scores, c.labels);
      close(best.accuracy, c.bestAccuracy.accuracy, 'accuracy');
      expect(best.threshold).toBe(inf(c.bestAccuracy.threshold));
      close(accuracyAtThreshold(scores, c.labels, best.threshold), best.accuracy, 'at threshold');
    });

    it.each(Object.keys(c.kfold))('kFoldAccuracy with %s folds', (k) => {
      const ref = c.kfold[k];
      const got = kFoldAccuracy(scores, c.labels, { folds: Number(k) });
      expectClose(got.accuracies, ref.accuracies, { rtol: 0, atol: 1e-9, what: 'fold accuracies' });
      expectClose(got.thresholds, ref.thresholds.map(inf), {
        rtol: 0,
        atol: 0,
        what: 'thresholds',
      });
      close(got.mean, ref.mean, 'mean');
      close(got.std, ref.std, 'std');
    });

    it('verificationMetrics gives the same numbers from one sort', () => {
      const m = verificationMetrics(scores, c.labels, { far: c.tarAtFar.map((p) => p.far) });
      close(m.auc, c.auc, 'auc');
      close(m.eer.eer, c.eer.eer, 'eer');
      close(m.bestAccuracy.accuracy, c.bestAccuracy.accuracy, 'best accuracy');
      m.tarAtFar.forEach((p, i) => close(p.tar, c.tarAtFar[i].tar, 'tar'));
      expect(m.positives).toBe(c.labels.filter((y) => y === 1).length);
    });
  },
);

describe('kFoldAccuracy on a fixed threshold grid', () => {
  const c = cases.find((x) => x.kfold10Grid)!;
  it('searches the grid in order, first best wins', () => {
    const ref = c.kfold10Grid!;
    const got = kFoldAccuracy(c.scores, c.labels, { folds: 10, thresholds: c.grid });
    expectClose(got.accuracies, ref.accuracies, { rtol: 0, atol: 1e-9 });
    expectClose(got.thresholds, ref.thresholds.map(inf), { rtol: 0, atol: 0 });
    close(got.mean, ref.mean, 'mean');
    close(got.std, ref.std, 'std');
  });
});

describe('operating points on a hand-checked example', () => {
  // genuine: 0.9 0.8 0.6 0.4, impostor: 0.7 0.5 0.3 0.2 0.1
  const scores = [0.9, 0.8, 0.6, 0.4, 0.7, 0.5, 0.3, 0.2, 0.1];
  const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0];

  it('tarAtFar picks the lowest threshold within the target', () => {
    expect(tarAtFar(scores, labels, 0)).toEqual({ far: 0, tar: 0.5, threshold: 0.8, actualFar: 0 });
    expect(tarAtFar(scores, labels, 0.2)).toEqual({
      far: 0.2,
      tar: 0.75,
      threshold: 0.6,
      actualFar: 0.2,
    });
    expect(tarAtFar(scores, labels, 1).threshold).toBe(0.1);
  });

  it('accuracy counts score >= threshold as genuine', () => {
    expect(accuracyAtThreshold(scores, labels, 0.6)).toBeCloseTo(7 / 9, 15);
    expect(accuracyAtThreshold(scores, labels, Infinity)).toBeCloseTo(5 / 9, 15);
  });

  it('eer crosses between the points (FAR 0.2, FRR 0.25) and (0.4, 0.25)', () => {
    // at 0.6: FAR 1/5, FRR 1/4 (g = 0.05); at 0.5: FAR 2/5, FRR 1/4 (g = -0.15): t = 1/4
    const e = eer(scores, labels);
    expect(e.eer).toBeCloseTo(0.25, 15);
    expect(e.threshold).toBe(0.6);
  });
});
