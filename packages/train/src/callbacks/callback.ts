import type { Rng, Stateful } from '@face/core';
import type { Checkpoint, TrainerPosition } from '../checkpoint/checkpoint';
import type { Fingerprint } from '../checkpoint/fingerprint';
import type { CheckpointInfo, CheckpointManager } from '../checkpoint/manager';
import type { KeepBestSummary } from './keep-best';
import type { Optimizer } from '../optim/optimizer';
import type { NamedVariable } from '../variables';

/** Logs of one training step. `step` counts updates (1 = the first update). */
export interface StepLogs {
  step: number;
  epoch: number;
  /** Index of the batch in its epoch (0-based). */
  batch: number;
  loss: number;
  /** Learning rate of this update. */
  lr: number;
  /** Global gradient norm before clipping (when clipping by norm). */
  gradNorm?: number;
  /** The loss function's extra metrics. */
  metrics: Record<string, number>;
}

/**
 * Logs of one epoch: means of the loss and metrics over its batches, the last rate, and what
 * epoch-end callbacks add (evaluation metrics). `step` is the number of updates done so far.
 */
export interface EpochLogs {
  epoch: number;
  step: number;
  loss: number;
  lr: number;
  [metric: string]: number;
}

/** Why training stopped before its last epoch. */
export interface StopReason {
  kind: 'early-stopping' | 'non-finite' | 'callback';
  message: string;
  /** Updates done when training stopped; for a vetoed update, that update's number (1-based). */
  step: number;
  epoch: number;
  /** The offending value (the non-finite loss or gradient norm), when there is one. */
  value?: number;
}

/** What `beforeUpdate` hooks see: the step's values before its update is applied. */
export interface UpdateInfo {
  step: number;
  epoch: number;
  batch: number;
  loss: number;
  gradNorm?: number;
  metrics: Record<string, number>;
}

/** `apply` (default), `skip` this update (the batch still counts), or `stop` training before it. */
export type UpdateDecision = 'apply' | 'skip' | 'stop';

/** The trainer as callbacks see it (the `Trainer` class implements it). */
export interface TrainerHandle {
  readonly position: Readonly<TrainerPosition>;
  /** Updates done. */
  readonly step: number;
  readonly epoch: number;
  readonly history: readonly EpochLogs[];
  readonly stopReason: StopReason | null;
  /**
   * Whether the fit in progress (or the last) was stopped by its abort signal (Ctrl-C): its
   * `onTrainEnd` hooks see a run that is to be resumed, not one that ended.
   */
  readonly interrupted: boolean;
  /** Batches per epoch of the current source, when it says. */
  readonly batchesPerEpoch: number | undefined;
  /** Path of the checkpoint this run resumed from; null for a fresh run. */
  readonly resumedFrom: string | null;
  readonly fingerprint: Fingerprint;
  readonly optimizer: Optimizer;
  readonly variables: readonly NamedVariable[];
  readonly stateVariables: readonly NamedVariable[];
  readonly rng: Rng;
  requestStop(
    kind: StopReason['kind'],
    message: string,
    details?: { step?: number; value?: number },
  ): void;
  snapshot(metrics?: Record<string, number>): Checkpoint;
  saveCheckpoint(
    manager: CheckpointManager,
    metrics?: Record<string, number>,
  ): Promise<CheckpointInfo>;
}

type Maybe<T> = T | Promise<T>;

/**
 * A training callback. Hooks run in ascending `order` (default 0; evaluation runs at -10, so that
 * early stopping, checkpoints (10) and logs (20) see its metrics), then in list order. A callback
 * with state across epochs is `Stateful` (@face/core): it implements both `getState` and
 * `setState` (the trainer refuses one without the other) so that checkpoints carry it; `name` keys
 * that state and must be unique among a trainer's callbacks.
 */
export interface Callback extends Partial<Stateful> {
  readonly name: string;
  readonly order?: number;
  onTrainBegin?(trainer: TrainerHandle): Maybe<void>;
  onEpochBegin?(epoch: number, trainer: TrainerHandle): Maybe<void>;
  beforeUpdate?(info: UpdateInfo, trainer: TrainerHandle): Maybe<UpdateDecision | void>;
  onBatchEnd?(logs: StepLogs, trainer: TrainerHandle): Maybe<void>;
  /** `logs` may be extended in place (evaluation adds its metrics). */
  onEpochEnd?(logs: EpochLogs, trainer: TrainerHandle): Maybe<void>;
  onTrainEnd?(result: FitResult, trainer: TrainerHandle): Maybe<void>;
}

/** What `fit` returns. */
export interface FitResult {
  /** Epochs completed (over all resumed runs). */
  epochs: number;
  /** Updates done (over all resumed runs). */
  step: number;
  stopReason: StopReason | null;
  history: EpochLogs[];
  /** What the keep-best guard did (a `keepBestWeights` callback sets it in `onTrainEnd`). */
  keepBest?: KeepBestSummary;
}
