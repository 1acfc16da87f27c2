// Variables
export {
  namedVariables,
  modelState,
  type NamedVariable,
  type VariablesInput,
  type VariableEntry,
  type LayerVariableLike,
  type ModelLike,
} from './variables';
export { type JsonValue } from './json';
export {
  CheckpointMismatchError,
  CheckpointCorruptError,
  NonFiniteLossError,
  RunLockedError,
  NoValidCheckpointError,
  type RunLockOwner,
} from './errors';
export { acquireRunLock, LOCK_FILE, type RunLock } from './recipes/run-lock';

// Optimizers and clipping
export {
  Optimizer,
  type BaseOptimizerOptions,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type OptimizerState,
  type Gradients,
} from './optim/optimizer';
export { SGD, type SGDOptions } from './optim/sgd';
export { Adam, AdamW, type AdamOptions } from './optim/adam';
export { splitWeightDecay, isNormOrBias } from './optim/param-groups';
export { clipGradNorm, clipGradValue, type NamedGradients } from './optim/clip';

// Learning-rate schedules
export { type LearningRateSchedule } from './schedules/schedule';
export { stepDecay, multiStepDecay } from './schedules/step';
export { cosineAnnealing } from './schedules/cosine';
export { polynomialDecay } from './schedules/polynomial';
export { linearWarmup, type LinearWarmupOptions } from './schedules/warmup';
export { oneCycle, type OneCycleOptions } from './schedules/one-cycle';

// Trainer
export {
  Trainer,
  type TrainerOptions,
  type LossFn,
  type LossOutput,
  type StepContext,
  type ExtraState,
} from './trainer/trainer';
export {
  shuffledBatches,
  epochSeed,
  type ResumableBatchSource,
  type BatchPosition,
  type EpochBatches,
  type ShuffledBatchesOptions,
} from './trainer/batch-source';

// Callbacks
export {
  type Callback,
  type TrainerHandle,
  type StepLogs,
  type EpochLogs,
  type StopReason,
  type UpdateInfo,
  type UpdateDecision,
  type FitResult,
} from './callbacks/callback';
export {
  progressBar,
  isInteractive,
  type ProgressBarOptions,
  type ProgressStream,
} from './callbacks/progress-bar';
export { jsonlLogger, csvLogger, type LogRecord } from './callbacks/metric-logs';
export { evaluation } from './callbacks/evaluation';
export { earlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping';
export { nanGuard } from './callbacks/nan-guard';
export { checkpointCallback, type CheckpointCallbackOptions } from './callbacks/checkpoint';

// Checkpoints
export { disposeCheckpoint, type Checkpoint, type TrainerPosition } from './checkpoint/checkpoint';
export {
  makeFingerprint,
  fingerprintDifferences,
  datasetSignature,
  type DatasetSignature,
  type DatasetLike,
  type Fingerprint,
  type VariableSignature,
} from './checkpoint/fingerprint';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointManifest,
  type TensorRecord,
} from './checkpoint/format';
export { writeCheckpoint, readCheckpoint, readManifest } from './checkpoint/io';
export {
  CheckpointManager,
  type CheckpointManagerOptions,
  type CheckpointInfo,
  type KeepBestOptions,
  type LoadedCheckpoint,
} from './checkpoint/manager';
export { nodeStorage, type CheckpointStorage } from './checkpoint/storage';

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
export { MINER_KINDS, type MinerKind, type TripletOptions } from './recipes/pk';
export {
  saveFaceModel,
  loadFaceModel,
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
} from './recipes/face-model-spec';

// Evaluation
export {
  embedDataset,
  embedBatch,
  embeddingRow,
  cosineSimilarity,
  type DatasetEmbeddings,
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
