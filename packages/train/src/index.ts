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
export { acquireRunLock, LOCK_FILE, type RunLock } from './run-lock';

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
export {
  keepBestWeights,
  type KeepBestWeightsOptions,
  type KeepBestSummary,
} from './callbacks/keep-best';
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
export { nodeStorage, joinPath, type CheckpointStorage } from './checkpoint/storage';
