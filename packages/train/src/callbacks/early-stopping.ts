import { InvalidArgumentError, checkInteger, checkNumber, checkOneOf } from '@face/core';
import type { JsonValue } from '../json';
import type { Callback } from './callback';

export interface EarlyStoppingOptions {
  /** Epoch-log metric to watch (e.g. `val_accuracy`); epochs without it are skipped. */
  monitor: string;
  mode?: 'min' | 'max';
  /** Epochs without improvement before stopping. */
  patience?: number;
  /** Smallest change that counts as an improvement. */
  minDelta?: number;
}

/**
 * Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs
 * (Keras' `EarlyStopping` rule). Its counters are checkpointed, so a resumed run stops where the
 * uninterrupted one would. A NaN metric counts as no improvement.
 */
export function earlyStopping({
  monitor,
  mode = 'min',
  patience = 5,
  minDelta = 0,
}: EarlyStoppingOptions): Callback {
  const fn = 'earlyStopping';
  if (typeof monitor !== 'string' || !monitor)
    throw new InvalidArgumentError(fn, 'monitor', monitor, 'a metric name');
  checkOneOf(fn, 'mode', mode, ['min', 'max'] as const);
  checkInteger(fn, 'patience', patience, { min: 0 });
  checkNumber(fn, 'minDelta', minDelta, { min: 0 });
  let best: number | null = null;
  let bestEpoch = -1;
  let wait = 0;
  const improved = (v: number) =>
    best === null ? Number.isFinite(v) : mode === 'min' ? v < best - minDelta : v > best + minDelta;
  return {
    name: `earlyStopping:${monitor}`,
    order: 0,
    onEpochEnd(logs, trainer) {
      const v = logs[monitor];
      if (v === undefined) return;
      if (improved(v)) {
        best = v;
        bestEpoch = logs.epoch;
        wait = 0;
        return;
      }
      wait += 1;
      if (wait >= patience) {
        trainer.requestStop(
          'early-stopping',
          `${monitor} did not improve by more than ${minDelta} for ${wait} epoch(s); best ${best} at epoch ${bestEpoch}`,
        );
      }
    },
    getState: () => ({ best, bestEpoch, wait }),
    setState(state: JsonValue) {
      const s = state as { best: number | null; bestEpoch: number; wait: number };
      best = s.best;
      bestEpoch = s.bestEpoch;
      wait = s.wait;
    },
  };
}
