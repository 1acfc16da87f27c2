// Recipes
export {
  classifierHead,
  classifierHeadFromJson,
  LinearClassifier,
  MarginClassifier,
  HEAD_KINDS,
  type ClassifierHead,
  type ClassifierHeadOptions,
  type HeadKind,
} from './recipes/heads';
export { loaderSource, type FaceBatch } from './recipes/source';
export {
  buildOptimizer,
  buildSchedule,
  OPTIMIZER_KINDS,
  SCHEDULE_KINDS,
  type OptimizerKind,
  type OptimizerSpec,
  type ScheduleKind,
  type ScheduleSpec,
} from './recipes/optimization';
export {
  RecipeRun,
  defaultTrainTransform,
  backboneInputSize,
  backboneEmbeddingDim,
  type Backbone,
  type RecipeOptions,
  type RecipeParts,
  type ValidationOptions,
  type CheckpointOptions,
  type GuardOptions,
  KEEP_BEST_FILE,
} from './recipes/run';
export {
  classificationRecipe,
  batchAccuracy,
  type ClassificationRecipeOptions,
} from './recipes/classification';
export { jointRecipe, type JointRecipeOptions } from './recipes/joint';
export { metricRecipe, type MetricRecipeOptions, type MetricLossSpec } from './recipes/metric';
export {
  parseMetricLosses,
  metricLossOptions,
  type MetricLossSettings,
  type MetricLossOptions,
} from './recipes/metric-losses';
export { FINE_TUNE_PRESET, METRIC_CENTER_LAMBDA } from './recipes/presets';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_EVAL_BATCH_SIZE,
  DEFAULT_LABEL_SMOOTHING,
  DEFAULT_WEIGHT_DECAY,
} from './recipes/defaults';
export {
  trainingSplits,
  UnseenSplitError,
  DEFAULT_TRAINING_PAIRS,
  type TrainingSplits,
  type TrainingSplitsOptions,
} from './recipes/splits';
export {
  sequentialRecipe,
  SequentialRun,
  type SequentialRecipeOptions,
  type PhaseOptions,
} from './recipes/sequential';
export {
  fineTuneRecipe,
  FineTuneRun,
  setTrainableFrom,
  type FineTuneRecipeOptions,
  type ProbeOptions,
} from './recipes/fine-tune';
export {
  CENTRE_LAYER,
  disposeCentre,
  meanEmbedding,
  setCentre,
  withCentre,
} from './recipes/centre';
export { MINER_KINDS, type MinerKind, type TripletOptions } from './recipes/pk';
export {
  saveFaceModel,
  loadFaceModel,
  readFaceModelSpec,
  readableFaceModelDir,
  FACE_MODEL_FILE,
  faceModelSpecFromJson,
  type FaceModel,
  type FaceModelManifest,
} from './recipes/face-model';
export {
  preprocessOf,
  preprocessSpec,
  DEFAULT_NORMALIZATION,
  type FaceModelSpec,
  type FaceModelInput,
  type Rgb,
  type TrainingRecord,
} from './recipes/face-model-spec';
export {
  trainingRecordOf,
  seenLabels,
  imagesOfSplit,
  checkUnseen,
  SeenIdentitiesError,
  EVALUATION_SPLITS,
  syntheticKey,
  type EvaluationSplit,
  type SplitImages,
} from './evaluate/training-split';

// Evaluation
export {
  embedDataset,
  embedBatch,
  embeddingRow,
  cosineSimilarity,
  type DatasetEmbeddings,
  type EmbedBatchOptions,
  type EmbedOptions,
  type EmbeddingModel,
} from './evaluate/embed';
export {
  evaluateClassification,
  type ClassificationResult,
  type ClassificationOptions,
} from './evaluate/classification';
export {
  evaluateVerification,
  verificationSet,
  type VerificationSet,
  type VerificationResult,
} from './evaluate/verification';
export {
  evaluateIdentification,
  type IdentificationResult,
  type IdentificationOptions,
} from './evaluate/identification';
export {
  byModelClasses,
  drawVerificationPairs,
  TooFewPairsError,
  DEFAULT_PAIRS_PER_FOLD,
  DEFAULT_PAIR_FOLDS,
  type DrawPairsOptions,
} from './recipes/eval-sets';
export {
  evaluationSummary,
  type EvaluationResults,
  type EvaluationSummary,
  type EvaluationSummaryOptions,
  type SummaryRow,
} from './recipes/evaluation-summary';
