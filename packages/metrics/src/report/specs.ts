import type { TopLevelSpec } from 'vega-lite';
import type { RocPoint, ScoreHistogram } from './plot-data';

/** A Vega-Lite (v6) specification, as plain JSON (each one below is checked against vega-lite's types). */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const COLORS = { genuine: '#1b7837', impostor: '#b2182b' };

/** ROC curve: TAR against FAR on a log axis, one line through the given points in order. */
export function rocSpec(points: RocPoint[], title: string): VegaLiteSpec {
  const minFar = points.length ? points[0].far : 1e-6;
  return {
    $schema: SCHEMA,
    title,
    width: 480,
    height: 320,
    data: { values: points.map((p, order) => ({ far: p.far, tar: p.tar, order })) },
    mark: { type: 'line', clip: true },
    encoding: {
      x: {
        field: 'far',
        type: 'quantitative',
        title: 'False accept rate (log scale)',
        scale: { type: 'log', domain: [minFar, 1] },
        axis: { format: '.0e' },
      },
      y: {
        field: 'tar',
        type: 'quantitative',
        title: 'True accept rate',
        scale: { domain: [0, 1] },
      },
      order: { field: 'order', type: 'quantitative' },
    },
  } satisfies TopLevelSpec;
}

/** A vertical line drawn on the histogram: a decision threshold and what it is. */
export interface ThresholdMark {
  value: number;
  /** E.g. "threshold 0.412 (EER)". */
  label: string;
}

/**
 * Genuine and impostor score densities as overlaid bars on shared bins, with the decision
 * threshold drawn (pairs at or above it are accepted) and the score axis named.
 */
export function histogramSpec(
  h: ScoreHistogram,
  title: string,
  { scoreName = 'score', threshold }: { scoreName?: string; threshold?: ThresholdMark } = {},
): VegaLiteSpec {
  const values = (['genuine', 'impostor'] as const).flatMap((kind) =>
    h[kind].map((density, i) => ({ kind, start: h.edges[i], end: h.edges[i + 1], density })),
  );
  const mark = threshold && Number.isFinite(threshold.value) ? [threshold] : [];
  return {
    $schema: SCHEMA,
    title,
    width: 480,
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
        encoding: {
          x: { field: 'start', type: 'quantitative', title: scoreName, scale: { zero: false } },
          x2: { field: 'end' },
          y: { field: 'density', type: 'quantitative', title: 'Density', stack: null },
          y2: { datum: 0 },
          color: {
            field: 'kind',
            type: 'nominal',
            title: 'Pairs',
            scale: { domain: ['genuine', 'impostor'], range: [COLORS.genuine, COLORS.impostor] },
          },
        },
      },
      {
        data: { values: mark },
        mark: { type: 'rule', color: '#222', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { x: { field: 'value', type: 'quantitative' } },
      },
      {
        data: { values: mark },
        mark: { type: 'text', align: 'left', dx: 4, dy: 2, baseline: 'top', y: 0, fontSize: 11 },
        encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } satisfies TopLevelSpec;
}

/** One model's curve in a comparison, and its operating points. */
export interface ComparedCurve {
  /** The legend entry, e.g. "recipe 3: AUC 0.946, EER 0.130". */
  label: string;
  points: RocPoint[];
  /** Points at the FAR targets the data can measure. */
  operatingPoints: { far: number; tar: number }[];
}

/**
 * Several ROC curves on one log-FAR axis, one colour per model (AUC and EER in the legend), the
 * FAR targets drawn as dashed lines and each model's TAR there as a dot.
 */
export function rocComparisonSpec(
  curves: readonly ComparedCurve[],
  targets: readonly { far: number; label: string }[],
  title: string,
): VegaLiteSpec {
  const fars = [
    ...curves.flatMap((c) => c.points.map((p) => p.far)),
    ...targets.map((t) => t.far),
  ].filter((f) => f > 0);
  const minFar = Math.pow(10, Math.floor(Math.log10(fars.length ? Math.min(...fars) : 1e-3)));
  const labels = curves.map((c) => c.label);
  const x = {
    field: 'far',
    type: 'quantitative' as const,
    title: 'False accept rate (log scale)',
    scale: { type: 'log' as const, domain: [minFar, 1] },
    axis: { format: '.0e', values: decades(minFar) },
  };
  const color = {
    field: 'model',
    type: 'nominal' as const,
    title: null,
    scale: { domain: labels, range: PALETTE.slice(0, Math.max(1, labels.length)) },
    // Top left: on a log-FAR axis the curves rise to the right, so that corner stays empty.
    legend: {
      orient: 'top-left' as const,
      labelLimit: 420,
      symbolStrokeWidth: 3,
      fillColor: 'white',
      strokeColor: '#ccc',
      padding: 6,
    },
  };
  const y = {
    field: 'tar',
    type: 'quantitative' as const,
    title: 'True accept rate',
    scale: { domain: [0, 1] },
  };
  return {
    $schema: SCHEMA,
    title,
    width: 520,
    height: 360,
    layer: [
      {
        data: { values: targets.map((t) => ({ far: t.far, label: t.label })) },
        mark: { type: 'rule', color: '#999', strokeDash: [4, 3] },
        encoding: { x },
      },
      {
        data: { values: targets.map((t) => ({ far: t.far, label: t.label })) },
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'bottom',
          dx: 4,
          dy: -4,
          y: 360,
          fontSize: 11,
          color: '#555',
        },
        encoding: { x, text: { field: 'label' } },
      },
      {
        data: {
          values: curves.flatMap((c) =>
            c.points.map((p, order) => ({ model: c.label, far: p.far, tar: p.tar, order })),
          ),
        },
        mark: { type: 'line', clip: true, strokeWidth: 2 },
        encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } },
      },
      {
        data: {
          values: curves.flatMap((c) =>
            c.operatingPoints.map((p) => ({ model: c.label, far: p.far, tar: p.tar })),
          ),
        },
        mark: { type: 'point', filled: true, size: 70, stroke: 'white', strokeWidth: 1 },
        encoding: { x, y, color: { ...color, legend: null } },
      },
    ],
  } satisfies TopLevelSpec;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

/** 1e-k ticks from `min` to 1: round values on a log axis. */
function decades(min: number): number[] {
  const out: number[] = [];
  for (let e = Math.round(Math.log10(min)); e <= 0; e++) out.push(Math.pow(10, e));
  return out;
}

/** CMC curve: identification rate against rank. */
export function cmcSpec(curve: number[], title: string): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 480,
    height: 320,
    data: { values: curve.map((rate, i) => ({ rank: i + 1, rate })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rank', type: 'quantitative', title: 'Rank', axis: { tickMinStep: 1 } },
      y: {
        field: 'rate',
        type: 'quantitative',
        title: 'Identification rate',
        scale: { domain: [0, 1] },
      },
    },
  } satisfies TopLevelSpec;
}
