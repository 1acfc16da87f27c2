import { checkInteger } from '@face/core';

/**
 * A learning-rate schedule: the rate of the 0-based optimizer step `step`. A pure function of the
 * step, so a checkpoint needs only the step to resume it exactly. The trainer reads it before each
 * update, as torch code that calls `scheduler.step()` after `optimizer.step()`.
 */
export type LearningRateSchedule = (step: number) => number;

/** Asserts a step is an integer >= 0. */
export function checkStep(fn: string, step: number): number {
  return checkInteger(fn, 'step', step, { min: 0 });
}
