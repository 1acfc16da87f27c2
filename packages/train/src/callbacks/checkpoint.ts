import { FaceError, InvalidArgumentError, checkInteger, checkOneOf } from '@face/core';
import type { CheckpointManager } from '../checkpoint/manager';
import type { Callback } from './callback';

export interface CheckpointCallbackOptions {
  /** Save after every N-th epoch (0: never at epoch ends). */
  everyEpochs?: number;
  /** Also save every N updates, mid-epoch (0: never). */
  everySteps?: number;
  /**
   * What to do when a fresh (not resumed) run finds checkpoints in the directory: `'error'`
   * (default) refuses before training; `'overwrite'` deletes them first.
   */
  onExisting?: 'error' | 'overwrite';
}

/**
 * Saves the trainer's state through `manager` (atomic writes, keep-last-N and keep-best): after
 * epochs with the epoch logs as metrics, and every `everySteps` updates with the step logs. Runs
 * after evaluation, early stopping and logs (order 10). Before training it refuses a directory whose
 * checkpoints belong to another model or configuration, and one holding an earlier run the trainer
 * did not resume from.
 */
export function checkpointCallback(
  manager: CheckpointManager,
  { everyEpochs = 1, everySteps = 0, onExisting = 'error' }: CheckpointCallbackOptions = {},
): Callback {
  const fn = 'checkpointCallback';
  if (!manager || typeof manager.save !== 'function')
    throw new InvalidArgumentError(fn, 'manager', manager, 'a CheckpointManager');
  checkInteger(fn, 'everyEpochs', everyEpochs, { min: 0 });
  checkInteger(fn, 'everySteps', everySteps, { min: 0 });
  checkOneOf(fn, 'onExisting', onExisting, ['error', 'overwrite'] as const);
  return {
    name: `checkpoint:${manager.directory}`,
    order: 10,
    async onTrainBegin(trainer) {
      await manager.assertCompatible(trainer.fingerprint);
      if (trainer.resumedFrom !== null) return;
      // Every step folder counts, readable or not: a fresh start must never overwrite intact weights
      // because a manifest next to them is damaged.
      const existing = await manager.stepFolders();
      if (!existing.length) return;
      if (onExisting === 'error') {
        throw new FaceError(
          `checkpointCallback: ${manager.directory} already holds checkpoints of a run (latest at ` +
            `step ${Number(existing[existing.length - 1].slice('step-'.length))}); resume from it (trainer.resume(manager)), choose ` +
            `another directory, or pass onExisting: 'overwrite'`,
        );
      }
      await manager.clear();
    },
    async onBatchEnd(logs, trainer) {
      if (everySteps > 0 && logs.step % everySteps === 0) {
        const { metrics, ...rest } = logs;
        const flat: Record<string, number> = { ...metrics };
        for (const [k, v] of Object.entries(rest)) if (typeof v === 'number') flat[k] = v;
        await trainer.saveCheckpoint(manager, flat);
      }
    },
    async onEpochEnd(logs, trainer) {
      if (everyEpochs > 0 && (logs.epoch + 1) % everyEpochs === 0)
        await trainer.saveCheckpoint(manager, { ...logs });
    },
  };
}
