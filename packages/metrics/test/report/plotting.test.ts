import { afterEach, describe, expect, it, vi } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { FaceError, InvalidArgumentError, Rng } from '@face/core';
import {
  eer,
  evaluationReport,
  PlottingUnavailableError,
  rocAuc,
  rocComparison,
  tarAtFar,
} from '@face/metrics';
import { renderSvg } from '../../src/report/render';

/** Genuine scores ~ N(mu, 1), impostor ~ N(0, 1): `pos` genuine and `neg` impostor pairs. */
function pairs(mu: number, pos: number, neg: number, seed: number) {
  const rng = new Rng(seed);
  const normal = () =>
    Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const scores = [
    ...Array.from({ length: pos }, () => mu + normal()),
    ...Array.from({ length: neg }, () => normal()),
  ];
  const labels = scores.map((_, i) => (i < pos ? 1 : 0));
  return { scores, labels };
}

afterEach(() => {
  vi.doUnmock('vega');
  vi.resetModules();
});

describe('rocComparison', () => {
  const weak = pairs(1, 300, 500, 1);
  const strong = pairs(3, 300, 500, 2);

  it('overlays the models with AUC and EER in the legend and marks the measurable FAR targets', async () => {
    const out = await rocComparison(
      [
        { name: 'weak', ...weak },
        { name: 'strong', ...strong },
      ],
      { title: 'two models' },
    );
    expect(XMLValidator.validate(out.svg)).toBe(true);
    for (const [name, d] of [
      ['weak', weak],
      ['strong', strong],
    ] as const) {
      const row = out.json.models.find((m) => m.name === name);
      expect(row?.auc).toBeCloseTo(rocAuc(d.scores, d.labels), 12);
      expect(row?.eer).toBeCloseTo(eer(d.scores, d.labels).eer, 12);
      const legend = `${name}: AUC ${rocAuc(d.scores, d.labels).toFixed(3)}, EER ${eer(d.scores, d.labels).eer.toFixed(3)}`;
      expect(out.svg).toContain(legend);
      // 500 impostor pairs measure FAR 1e-2 and 1e-1, not 1e-3 (which needs 1000).
      const points = row?.operatingPoints ?? [];
      expect(points.map((p) => [p.far, p.measurable])).toEqual([
        [1e-3, false],
        [1e-2, true],
        [1e-1, true],
      ]);
      expect(points[2].tar).toBe(tarAtFar(d.scores, d.labels, 0.1).tar);
    }
    expect(out.svg).toContain('FAR 1e-3 (n/a)');
    expect(out.svg).toContain('FAR 1e-2');
    const layers = (out.spec.layer as { data: { values: unknown[] } }[]).map((l) => l.data.values);
    expect(layers[3]).toHaveLength(4); // two models x two measurable targets
  });

  it('refuses an empty list and duplicate names', async () => {
    await expect(rocComparison([])).rejects.toThrow(InvalidArgumentError);
    await expect(
      rocComparison([
        { name: 'a', ...weak },
        { name: 'a', ...strong },
      ]),
    ).rejects.toThrow(/models\[1\]\.name must be a unique, non-empty name, got "a"/);
  });
});

describe('the histogram', () => {
  it('names its axis and draws the threshold (the EER one by default)', async () => {
    const d = pairs(2, 200, 200, 3);
    const { svg, specs } = await evaluationReport({
      verification: { ...d, scoreName: 'cosine similarity' },
    });
    const threshold = eer(d.scores, d.labels).threshold;
    expect(svg.histogram).toContain('cosine similarity');
    expect(svg.histogram).toContain(`EER threshold ${threshold.toFixed(3)}`);
    const rule = (specs.histogram?.layer as { data: { values: { value: number }[] } }[])[1];
    expect(rule.data.values).toEqual([{ value: threshold, label: expect.any(String) }]);
    const chosen = await evaluationReport({ verification: { ...d, threshold: 0.5 } });
    expect(chosen.svg.histogram).toContain('threshold 0.500');
  });
});

describe('without the plotting stack', () => {
  it('says which optional peer to install, as a FaceError', async () => {
    const missing = (name: string) =>
      name === 'vega-lite'
        ? Promise.reject(new Error("Cannot find package 'vega-lite'"))
        : import('vega');
    const err = await renderSvg({}, 'evaluationReport', missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlottingUnavailableError);
    expect(err).toBeInstanceOf(FaceError);
    expect((err as PlottingUnavailableError).missing).toBe('vega-lite');
    expect((err as Error).message).toMatch(
      /^evaluationReport: drawing plots needs the optional peers vega and vega-lite, and 'vega-lite' did not load \(Cannot find package 'vega-lite'\): npm install vega@\^6 "vega-lite@>=6 <6\.5"/,
    );
  });

  it('computes metrics on plain arrays without loading vega; a report then fails with the typed error', async () => {
    let loaded = false;
    vi.doMock('vega', () => {
      loaded = true;
      throw new Error("Cannot find package 'vega'");
    });
    vi.resetModules();
    const metrics = await import('@face/metrics');
    const d = pairs(2, 50, 50, 4);
    expect(metrics.verificationMetrics(d.scores, d.labels).auc).toBeGreaterThan(0.5);
    expect(loaded).toBe(false);
    const err = await metrics.evaluationReport({ verification: d }).catch((e: unknown) => e);
    expect(loaded).toBe(true);
    expect((err as Error).name).toBe('PlottingUnavailableError');
    expect((err as Error).message).toContain("'vega' did not load");
  });
});
