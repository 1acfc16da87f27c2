import { beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InvalidArgumentError, Rng } from '@face/core';
import {
  cmc,
  eer,
  evaluationReport,
  kFoldAccuracy,
  roc,
  rocAuc,
  type EvaluationReport,
  type Neighbors,
  type ReportJson,
} from '@face/metrics';
import { logFarPoints } from '../../src/report/plot-data';

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

/** Every element named `tag` in the parsed tree whose class contains `cls`. */
function findAll(node: unknown, tag: string, cls: string, out: Node[] = []): Node[] {
  if (Array.isArray(node)) node.forEach((n) => findAll(n, tag, cls, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const items = Array.isArray(value) ? value : [value];
      if (key === tag) {
        for (const item of items) {
          if (item && typeof item === 'object' && String((item as Node).class ?? '').includes(cls))
            out.push(item as Node);
        }
      }
      findAll(value, tag, cls, out);
    }
  }
  return out;
}

function paths(group: Node): Node[] {
  const p = group.path;
  return (Array.isArray(p) ? p : [p]) as Node[];
}

/** The (x, y) vertices of an SVG path made of M and L commands. */
function vertices(d: string): [number, number][] {
  expect(d).toMatch(/^M[-\d.e,L]+$/);
  return [...d.matchAll(/[ML](-?[\d.e]+),(-?[\d.e]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

function parse(svg: string | undefined): Node {
  expect(svg).toBeTypeOf('string');
  expect(XMLValidator.validate(svg as string)).toBe(true); // well-formed XML
  const doc = parser.parse(svg as string) as Node;
  expect(doc.svg).toBeTypeOf('object');
  return doc;
}

const rng = new Rng(3);
const labels = Array.from({ length: 3000 }, (_, i) => (i % 6 === 0 ? 1 : 0));
const scores = labels.map((y) => rng.normal(2 * y, 1));
const neighbors: Neighbors = {
  queries: 4,
  k: 3,
  indices: Int32Array.of(0, 1, 2, 2, 1, 0, 1, 0, 2, 2, 0, 1),
  scores: Float64Array.of(0.9, 0.5, 0.1, 0.8, 0.6, 0.2, 0.7, 0.4, 0.3, 0.95, 0.5, 0.4),
};
const queryLabels = [0, 1, 0, 7]; // ranks 1, 2, 2; query 3 is unknown
const galleryLabels = [0, 1, 2];

describe('evaluationReport', () => {
  let report: EvaluationReport;
  let v: NonNullable<ReportJson['verification']>;
  beforeAll(async () => {
    report = await evaluationReport({
      title: 'Test',
      verification: { scores, labels, bins: 20 },
      identification: { neighbors, queryLabels, galleryLabels },
      classification: {
        scores: [
          [0.1, 0.9],
          [0.8, 0.2],
          [0.3, 0.7],
        ],
        labels: [1, 0, 0],
      },
    });
    v = report.json.verification!;
  });

  it('holds the same numbers as the metric functions', () => {
    expect(v.auc).toBe(rocAuc(scores, labels));
    expect(v.eer).toEqual(eer(scores, labels));
    expect(v.kFold).toEqual(kFoldAccuracy(scores, labels));
    expect(v.positives).toBe(500);
    expect(report.json.identification!.cmc).toEqual(cmc(neighbors, queryLabels, galleryLabels));
    expect(report.json.identification!.cmc).toEqual([1 / 3, 1, 1]);
    expect(report.json.identification!.dirAtFar).toHaveLength(3);
    expect(report.json.classification!.topK).toEqual({ '1': 2 / 3 });
    expect(JSON.parse(JSON.stringify(report.json)).verification.auc).toBe(v.auc);
  });

  it('draws the ROC on a log-FAR axis through every reported point', () => {
    const doc = parse(report.svg.roc);
    const [line] = findAll(doc, 'g', 'mark-line role-mark');
    const xy = vertices(String(paths(line)[0].d));
    expect(xy).toHaveLength(v.roc.length);
    expect(v.roc.length).toBeGreaterThan(50);
    const width = 480;
    const height = 320;
    const lo = Math.log10(v.roc[0].far);
    xy.forEach(([x, y], i) => {
      // log scale: x = width * (log far - log far_min) / (0 - log far_min)
      expect(x).toBeCloseTo((width * (Math.log10(v.roc[i].far) - lo)) / -lo, 2);
      expect(y).toBeCloseTo(height * (1 - v.roc[i].tar), 2);
    });
    expect(xy.at(-1)).toEqual([width, 0]); // (FAR 1, TAR 1) at the top right
    expect(report.svg.roc).toContain('False accept rate (log scale)');
  });

  it('draws one bar per bin and class, heights proportional to the densities', () => {
    const doc = parse(report.svg.histogram);
    const [rects] = findAll(doc, 'g', 'mark-rect role-mark');
    const bars = paths(rects);
    expect(bars).toHaveLength(40);
    const heights = bars.map((b) => Number(/v(-?[\d.e]+)/.exec(String(b.d))![1]));
    const densities = [...v.histogram.genuine, ...v.histogram.impostor];
    const k = heights[densities.indexOf(Math.max(...densities))] / Math.max(...densities);
    heights.forEach((h, i) => expect(h).toBeCloseTo(k * densities[i], 4));
    expect(bars.filter((b) => b.fill === '#1b7837')).toHaveLength(20);
    // densities integrate to 1 over the bins
    const w = v.histogram.edges[1] - v.histogram.edges[0];
    expect(v.histogram.genuine.reduce((a, b) => a + b * w, 0)).toBeCloseTo(1, 12);
  });

  it('draws the CMC curve with a point per rank', () => {
    const doc = parse(report.svg.cmc);
    const [line] = findAll(doc, 'g', 'mark-line role-mark');
    const xy = vertices(String(paths(line)[0].d));
    expect(xy.map(([, y]) => y)).toEqual(
      [320 * (1 - 1 / 3), 0, 0].map((y) => expect.closeTo(y, 2)),
    );
    expect(paths(findAll(doc, 'g', 'mark-symbol role-mark')[0])).toHaveLength(3);
  });

  it('leaves out plots that do not apply and rejects an empty input', async () => {
    const only = await evaluationReport({
      identification: { neighbors, queryLabels, galleryLabels },
    });
    expect(Object.keys(only.svg)).toEqual(['cmc']);
    expect(only.json.verification).toBeUndefined();
    await expect(evaluationReport({})).rejects.toThrow(InvalidArgumentError);
    await expect(
      evaluationReport({ verification: { scores: [1, NaN], labels: [1, 0] } }),
    ).rejects.toThrow(/evaluationReport: scores\[1\] must be a finite number/);
  });
});

describe('logFarPoints', () => {
  it('thins a long curve to the first and last point of each log-FAR bin', () => {
    const r = new Rng(5);
    const y = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? 1 : 0));
    const s = Float32Array.from(y, (l) => r.normal(l, 1));
    const curve = roc(s, y);
    const points = logFarPoints(curve, 100);
    expect(curve.fpr.length).toBeGreaterThan(10_000);
    expect(points.length).toBeLessThanOrEqual(200);
    expect(points[0].far).toBe(curve.fpr.find((f) => f > 0));
    expect(points.at(-1)).toEqual({ far: 1, tar: 1, threshold: curve.thresholds.at(-1) });
    for (let i = 1; i < points.length; i++)
      expect(points[i].far).toBeGreaterThanOrEqual(points[i - 1].far);
  });
});
