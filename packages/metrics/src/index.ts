// Classification
export { topKAccuracy, type ScoreRows } from './classification/top-k';
export {
  confusionMatrix,
  perClassAccuracy,
  predictedClasses,
  type PerClassAccuracy,
} from './classification/confusion-matrix';

// 1:1 verification (scores of pairs + same/different labels)
export { type Scores, type BinaryLabels } from './input';
export { cosineSimilarity } from './cosine';
export { roc, type RocCurve, type RocOptions } from './verification/roc';
export { rocAuc, auc } from './verification/auc';
export { eer, type EqualErrorRate } from './verification/eer';
export { tarAtFar, type TarAtFar } from './verification/tar-at-far';
export { farMeasurability, negativesNeeded, type Measurability } from './verification/measurable';
export {
  accuracyAtThreshold,
  bestThresholdAccuracy,
  type ThresholdAccuracy,
  type BestThresholdOptions,
} from './verification/accuracy';
export { kFoldAccuracy, type KFoldAccuracy, type KFoldOptions } from './verification/k-fold';
export {
  verificationMetrics,
  DEFAULT_FAR_TARGETS,
  DEFAULT_OPEN_SET_FAR,
  VALIDATION_FAR_TARGETS,
  type MeasuredTarAtFar,
  type VerificationMetrics,
} from './verification/summary';

// 1:N identification (ranked matches; the search itself is in `@face/metrics/similarity`)
export { type Neighbors } from './identification/neighbors';
export { cmc } from './identification/cmc';
export {
  retrievalMetrics,
  precisionAt1,
  rPrecision,
  mapAtR,
  maxR,
  type RetrievalMetrics,
  type RetrievalOptions,
} from './identification/retrieval';
export {
  dirAtFar,
  openSetCounts,
  thresholdAtFar,
  type DirAtFar,
  type OpenSetCounts,
} from './identification/open-set';

// Reports (JSON + SVG plots; Vega-Lite is loaded on first use)
export {
  evaluationReport,
  type EvaluationReport,
  type ReportInput,
  type ReportJson,
} from './report/report';
export { type RocPoint, type ScoreHistogram } from './report/plot-data';
export { rocComparison, type ComparedModel, type RocComparison } from './report/compare';
export { PlottingUnavailableError } from './report/render';
export { niceTicks, tickLabel } from './report/ticks';
