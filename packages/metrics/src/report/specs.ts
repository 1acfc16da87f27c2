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

/** Genuine and impostor score densities as overlaid bars on shared bins. */
export function histogramSpec(h: ScoreHistogram, title: string): VegaLiteSpec {
  const values = (['genuine', 'impostor'] as const).flatMap((kind) =>
    h[kind].map((density, i) => ({ kind, start: h.edges[i], end: h.edges[i + 1], density })),
  );
  return {
    $schema: SCHEMA,
    title,
    width: 480,
    height: 320,
    data: { values },
    mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: { field: 'start', type: 'quantitative', title: 'Score', scale: { zero: false } },
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
  } satisfies TopLevelSpec;
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
