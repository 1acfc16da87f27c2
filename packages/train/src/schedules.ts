import { checkInteger, checkNumber } from '@face/core';

/** A learning-rate schedule: the rate to use at a 0-based optimizer step. */
export type LearningRateSchedule = (step: number) => number;

/**
 * Step decay, as `torch.optim.lr_scheduler.StepLR` counted in steps:
 * lr = baseLr * gamma^floor(step / stepSize).
 */
export function stepDecay(baseLr: number, stepSize: number, gamma = 0.1): LearningRateSchedule {
  checkNumber('stepDecay', 'baseLr', baseLr, { min: 0, exclusiveMin: true });
  checkInteger('stepDecay', 'stepSize', stepSize, { min: 1 });
  checkNumber('stepDecay', 'gamma', gamma, { min: 0, exclusiveMin: true });
  return (step) =>
    baseLr * gamma ** Math.floor(checkInteger('stepDecay', 'step', step, { min: 0 }) / stepSize);
}
