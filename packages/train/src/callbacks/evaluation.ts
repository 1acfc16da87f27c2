import { InvalidArgumentError, checkInteger } from '@face/core';
import type { TrainerHandle, Callback } from './callback';

/**
 * Runs `evaluate` after every `every`-th epoch and adds its metrics to the epoch's logs (with
 * `prefix`, e.g. `val_`), before early stopping, checkpoints and logs see them (order -10).
 * `evaluate` must not leave tensors behind; it gets the epoch and the trainer.
 */
export function evaluation(
  evaluate: (info: {
    epoch: number;
    trainer: TrainerHandle;
  }) => Record<string, number> | Promise<Record<string, number>>,
  { every = 1, prefix = '' }: { every?: number; prefix?: string } = {},
): Callback {
  const fn = 'evaluation';
  if (typeof evaluate !== 'function')
    throw new InvalidArgumentError(fn, 'evaluate', evaluate, 'a function returning metrics');
  checkInteger(fn, 'every', every, { min: 1 });
  return {
    name: 'evaluation',
    order: -10,
    async onEpochEnd(logs, trainer) {
      if ((logs.epoch + 1) % every !== 0) return;
      const metrics = await evaluate({ epoch: logs.epoch, trainer });
      for (const [k, v] of Object.entries(metrics ?? {})) {
        if (typeof v !== 'number')
          throw new InvalidArgumentError(fn, `evaluate() result.${k}`, v, 'a number');
        logs[`${prefix}${k}`] = v;
      }
    },
  };
}
