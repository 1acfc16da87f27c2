import { checkOptions, InvalidArgumentError } from '@face/core';
import { splitByLabel, type BinaryLabels, type Scores } from '../input';
import { binaryCounts } from '../verification/counts';
import { rocFromCounts } from '../verification/roc';
import {
  DEFAULT_OPEN_SET_FAR,
  metricsFromCounts,
  type MeasuredTarAtFar,
} from '../verification/summary';
import { checkFarTargets } from '../verification/tar-at-far';
import { logFarPoints, type RocPoint } from './plot-data';
import { renderSvg } from './render';
import { rocComparisonSpec, type VegaLiteSpec } from './specs';

/** One model's verification scores, for {@link rocComparison}. */
export interface ComparedModel {
  /** The model's name in the legend. */
  name: string;
  /** One score per pair, higher meaning more alike. */
  scores: Scores;
  /** 1 (same person) or 0 per pair. */
  labels: BinaryLabels;
}

/** What {@link rocComparison} returns. */
export interface RocComparison {
  json: {
    title: string;
    models: {
      name: string;
      auc: number;
      eer: number;
      /** TAR at each FAR target, with whether the impostor pairs can measure it. */
      operatingPoints: MeasuredTarAtFar[];
      /** The curve as drawn (FAR > 0, thinned on the log axis). */
      roc: RocPoint[];
    }[];
  };
  /** One standalone SVG: every model's ROC on one log-FAR axis. */
  svg: string;
  spec: VegaLiteSpec;
}

const fmt = (v: number) => v.toFixed(3);

/**
 * The ROC curves of several models in one plot, the comparison people make: TAR against FAR on a
 * log axis, one colour per model with its AUC and EER in the legend, the FAR targets (default
 * 1e-3, 1e-2, 1e-1) as dashed lines and each model's TAR there as a dot. A target the impostor
 * pairs cannot measure (fewer than 1/FAR of them) gets no dot and says "n/a" on its line.
 */
export async function rocComparison(
  models: readonly ComparedModel[],
  options: { title?: string; far?: readonly number[] } = {},
): Promise<RocComparison> {
  const fn = 'rocComparison';
  const { title = 'ROC', far = DEFAULT_OPEN_SET_FAR } = checkOptions(fn, options, ['title', 'far']);
  if (!Array.isArray(models) || models.length === 0)
    throw new InvalidArgumentError(
      fn,
      'models',
      models,
      'a non-empty array of { name, scores, labels }',
    );
  const targets = checkFarTargets(fn, far);
  const names = new Set<string>();
  const rows = models.map((m, i) => {
    if (typeof m?.name !== 'string' || m.name === '' || names.has(m.name))
      throw new InvalidArgumentError(fn, `models[${i}].name`, m?.name, 'a unique, non-empty name');
    names.add(m.name);
    const split = splitByLabel(fn, m.scores, m.labels);
    const counts = binaryCounts(split);
    const metrics = metricsFromCounts(split, counts, targets);
    return {
      name: m.name,
      auc: metrics.auc,
      eer: metrics.eer.eer,
      operatingPoints: metrics.tarAtFar,
      roc: logFarPoints(rocFromCounts(counts, true)),
    };
  });
  const unmeasured = (f: number) =>
    rows.every((r) => !r.operatingPoints.find((p) => p.far === f)?.measurable);
  const spec = rocComparisonSpec(
    rows.map((r) => ({
      label: `${r.name}: AUC ${fmt(r.auc)}, EER ${fmt(r.eer)}`,
      points: r.roc,
      operatingPoints: r.operatingPoints
        .filter((p) => p.measurable)
        .map((p) => ({ far: p.far, tar: p.tar })),
    })),
    targets.map((f) => ({
      far: f,
      label: `FAR ${f.toExponential(0)}${unmeasured(f) ? ' (n/a)' : ''}`,
    })),
    title,
  );
  return { json: { title, models: rows }, svg: await renderSvg(spec, fn), spec };
}
