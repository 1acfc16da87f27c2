import { InvalidArgumentError } from '@face/core';
import { perClassAccuracy, predictedClasses } from '../classification/confusion-matrix';
import { topKAccuracy, type ScoreRows } from '../classification/top-k';
import { cmc } from '../identification/cmc';
import { labelNeighbors, type Neighbors } from '../identification/neighbors';
import { dirAtFar, type DirAtFar } from '../identification/open-set';
import { maxR, retrievalMetrics, type RetrievalMetrics } from '../identification/retrieval';
import { splitByLabel, type BinaryLabels, type Scores } from '../input';
import { binaryCounts } from '../verification/counts';
import { kFoldAccuracy, type KFoldAccuracy } from '../verification/k-fold';
import { rocFromCounts } from '../verification/roc';
import {
  DEFAULT_FAR_TARGETS,
  DEFAULT_OPEN_SET_FAR,
  metricsFromCounts,
  type VerificationMetrics,
} from '../verification/summary';
import { checkFarTargets } from '../verification/tar-at-far';
import { logFarPoints, scoreHistogram, type RocPoint, type ScoreHistogram } from './plot-data';
import { renderSvg } from './render';
import { cmcSpec, histogramSpec, rocSpec, type VegaLiteSpec } from './specs';

export interface ReportInput {
  /** Shown in plot titles. */
  title?: string;
  /** 1:1 verification: a score and a same (1) / different (0) label per pair. */
  verification?: {
    scores: Scores;
    labels: BinaryLabels;
    /** FAR targets for TAR@FAR (default {@link DEFAULT_FAR_TARGETS}). */
    far?: readonly number[];
    /** Folds of the k-fold accuracy (default 10; skipped when there are fewer pairs). */
    folds?: number;
    /** Histogram bins (default 50). */
    bins?: number;
    /** What the scores are, the histogram's axis title (default "score"; e.g. "cosine similarity"). */
    scoreName?: string;
    /** The decision threshold drawn on the histogram (default: the EER threshold). */
    threshold?: number;
  };
  /** 1:N identification: ranked matches of each query (see `searchGallery`). */
  identification?: {
    neighbors: Neighbors;
    queryLabels: ArrayLike<number>;
    galleryLabels: ArrayLike<number>;
    /** False alarm rates for DIR@FAR (default {@link DEFAULT_OPEN_SET_FAR}: 0.001, 0.01, 0.1). */
    far?: readonly number[];
  };
  /** Closed-set classification: class scores per sample and the true classes. */
  classification?: { scores: ScoreRows; labels: ArrayLike<number>; k?: readonly number[] };
}

/** The numbers of a report: plain JSON (an `Infinity` threshold is written as null by JSON.stringify). */
export interface ReportJson {
  title: string;
  verification?: VerificationMetrics & {
    kFold?: KFoldAccuracy;
    /** The ROC points drawn in the plot (FAR > 0, thinned on the log-FAR axis). */
    roc: RocPoint[];
    histogram: ScoreHistogram;
  };
  identification?: {
    queries: number;
    /** Queries whose identity is in the gallery. */
    knownQueries: number;
    /** {@link cmc}: rank-r identification rate at index r - 1. */
    cmc: number[];
    /** {@link dirAtFar}, when there are both known and unknown queries. */
    dirAtFar?: DirAtFar[];
    /** Precision@1, R-precision, MAP@R, when the neighbors go deep enough (k >= max R). */
    retrieval?: RetrievalMetrics;
  };
  classification?: {
    samples: number;
    /** Top-k accuracy, keyed by k. */
    topK: Record<string, number>;
    balancedAccuracy: number;
    perClassAccuracy: number[];
  };
}

export interface EvaluationReport {
  json: ReportJson;
  /** Standalone SVG documents of the plots that apply. */
  svg: { roc?: string; histogram?: string; cmc?: string };
  /** The Vega-Lite specs behind the SVGs (to re-render them, e.g. interactively in a browser). */
  specs: { roc?: VegaLiteSpec; histogram?: VegaLiteSpec; cmc?: VegaLiteSpec };
}

/**
 * One call from scores and labels to a JSON report and its SVG plots: ROC on a log-FAR axis and
 * genuine/impostor histograms for verification, the CMC curve for identification. Plots are
 * drawn with Vega-Lite, an optional peer loaded on first use: without it this throws
 * `PlottingUnavailableError` (the metrics alone need no plotting stack).
 */
export async function evaluationReport(input: ReportInput): Promise<EvaluationReport> {
  const fn = 'evaluationReport';
  if (!input || (!input.verification && !input.identification && !input.classification)) {
    throw new InvalidArgumentError(
      fn,
      'input',
      input,
      'at least one of verification, identification, classification',
    );
  }
  const title = input.title ?? 'Evaluation';
  const json: ReportJson = { title };
  const specs: EvaluationReport['specs'] = {};

  if (input.verification) {
    const {
      scores,
      labels,
      far = DEFAULT_FAR_TARGETS,
      folds = 10,
      bins = 50,
      scoreName = 'score',
      threshold,
    } = input.verification;
    const targets = checkFarTargets(fn, far);
    const split = splitByLabel(fn, scores, labels);
    const counts = binaryCounts(split);
    const roc = logFarPoints(rocFromCounts(counts, true));
    const histogram = scoreHistogram(split, bins);
    const metrics = metricsFromCounts(split, counts, targets);
    json.verification = {
      ...metrics,
      ...(scores.length >= folds ? { kFold: kFoldAccuracy(scores, labels, { folds }) } : {}),
      roc,
      histogram,
    };
    specs.roc = rocSpec(roc, `${title}: ROC`);
    const mark =
      threshold === undefined
        ? {
            value: metrics.eer.threshold,
            label: `EER threshold ${metrics.eer.threshold.toFixed(3)}`,
          }
        : { value: threshold, label: `threshold ${threshold.toFixed(3)}` };
    specs.histogram = histogramSpec(histogram, `${title}: genuine and impostor scores`, {
      scoreName,
      threshold: mark,
    });
  }

  if (input.identification) {
    const {
      neighbors,
      queryLabels,
      galleryLabels,
      far = DEFAULT_OPEN_SET_FAR,
    } = input.identification;
    const n = labelNeighbors(fn, neighbors, queryLabels, galleryLabels);
    let knownQueries = 0;
    for (let q = 0; q < n.queries; q++) if (n.galleryCounts.has(queryLabels[q])) knownQueries++;
    const curve = cmc(neighbors, queryLabels, galleryLabels);
    json.identification = {
      queries: n.queries,
      knownQueries,
      cmc: curve,
      ...(knownQueries < n.queries
        ? { dirAtFar: dirAtFar(neighbors, queryLabels, galleryLabels, checkFarTargets(fn, far)) }
        : {}),
      ...(n.k >= maxR(queryLabels, galleryLabels)
        ? { retrieval: retrievalMetrics(neighbors, queryLabels, galleryLabels) }
        : {}),
    };
    specs.cmc = cmcSpec(curve, `${title}: CMC`);
  }

  if (input.classification) {
    const { scores, labels, k = [1, 5] } = input.classification;
    const numClasses = scores[0]?.length ?? 0;
    const perClass = perClassAccuracy(labels, predictedClasses(scores), numClasses);
    json.classification = {
      samples: labels.length,
      topK: Object.fromEntries(
        k
          .filter((kk) => kk <= numClasses)
          .map((kk) => [String(kk), topKAccuracy(scores, labels, kk)]),
      ),
      balancedAccuracy: perClass.balanced,
      perClassAccuracy: perClass.accuracy,
    };
  }

  const svg: EvaluationReport['svg'] = {};
  for (const key of ['roc', 'histogram', 'cmc'] as const) {
    const spec = specs[key];
    if (spec) svg[key] = await renderSvg(spec, fn);
  }
  return { json, svg, specs };
}
