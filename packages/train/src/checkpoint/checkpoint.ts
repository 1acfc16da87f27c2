import * as tf from '@tensorflow/tfjs-core';
import type { RngState } from '@face/core';
import type { OptimizerState } from '../optim/optimizer';
import type { JsonValue } from '../json';
import type { Fingerprint } from './fingerprint';

/** Where the trainer was: enough to continue the same run from the next batch. */
export interface TrainerPosition {
  /** Epoch the next batch belongs to (0-based). */
  epoch: number;
  /** Batches of that epoch already trained on. */
  batchInEpoch: number;
  /** Optimizer steps done so far (the schedule's next step). */
  step: number;
}

/**
 * Everything a checkpoint holds. Tensors are the caller's: {@link disposeCheckpoint} frees the
 * ones a load returned.
 */
export interface Checkpoint {
  fingerprint: Fingerprint;
  position: TrainerPosition;
  /** Trainable variables by name. */
  variables: Record<string, tf.Tensor>;
  /** Non-trainable variables by name (BatchNorm running statistics, center-loss centers...). */
  state: Record<string, tf.Tensor>;
  optimizer: OptimizerState | null;
  rng: RngState | null;
  /** The batch source's own state (see ResumableBatchSource). */
  data: JsonValue;
  /** Per-callback state by callback name (early-stopping counters...). */
  callbacks: Record<string, JsonValue>;
  /** The trainer's running epoch sums, history and stop reason. */
  trainer: JsonValue;
  /** Any user state (head configuration, sampler position...). */
  extra: JsonValue;
  /** The logs at save time; keep-best ranks checkpoints by one of them. */
  metrics: Record<string, number>;
}

/** Frees every tensor of a checkpoint (variables, state, optimizer slots). */
export function disposeCheckpoint(checkpoint: Checkpoint): void {
  tf.dispose(Object.values(checkpoint.variables));
  tf.dispose(Object.values(checkpoint.state));
  if (checkpoint.optimizer) {
    for (const perVar of Object.values(checkpoint.optimizer.slots))
      tf.dispose(Object.values(perVar));
  }
}
