import { checkInteger, checkNumber, checkOneOf } from '@face/core';
import { checkStep, type LearningRateSchedule } from './schedule';

export interface LinearWarmupOptions {
  /** Steps of warm-up (torch `LinearLR`'s `total_iters`). */
  warmupSteps: number;
  /** Factor of the first step's rate (torch's default 1/3); 0 starts from a zero rate. */
  startFactor?: number;
  /**
   * `'sequential'` (torch `SequentialLR([LinearLR, after], milestones=[warmupSteps])`): warm up to
   * `after(0)`, then run `after` from its own step 0. `'chained'` (torch `ChainedScheduler`):
   * multiply `after(step)` by the warm-up factor, so `after` keeps the global step.
   */
  mode?: 'sequential' | 'chained';
}

/**
 * Linear warm-up in front of any schedule (Goyal et al., 2017, "Accurate, Large Minibatch SGD",
 * gradual warm-up; factor as `torch.optim.lr_scheduler.LinearLR` with end factor 1):
 *   factor(step) = startFactor + (1 - startFactor) * min(step, warmupSteps) / warmupSteps
 */
export function linearWarmup(
  after: LearningRateSchedule,
  { warmupSteps, startFactor = 1 / 3, mode = 'sequential' }: LinearWarmupOptions,
): LearningRateSchedule {
  const fn = 'linearWarmup';
  checkInteger(fn, 'warmupSteps', warmupSteps, { min: 1 });
  checkNumber(fn, 'startFactor', startFactor, { min: 0, max: 1 });
  checkOneOf(fn, 'mode', mode, ['sequential', 'chained'] as const);
  const factor = (t: number) =>
    startFactor + ((1 - startFactor) * Math.min(t, warmupSteps)) / warmupSteps;
  if (mode === 'chained') return (step) => after(checkStep(fn, step)) * factor(step);
  const target = after(0);
  return (step) =>
    checkStep(fn, step) < warmupSteps ? target * factor(step) : after(step - warmupSteps);
}
