import { InvalidArgumentError, checkInteger, checkNumber } from '@face/core';
import { checkStep, type LearningRateSchedule } from './schedule';

/**
 * Step decay, as `torch.optim.lr_scheduler.StepLR` counted in steps:
 * lr = baseLr * gamma^floor(step / stepSize).
 */
export function stepDecay(baseLr: number, stepSize: number, gamma = 0.1): LearningRateSchedule {
  checkNumber('stepDecay', 'baseLr', baseLr, { min: 0, exclusiveMin: true });
  checkInteger('stepDecay', 'stepSize', stepSize, { min: 1 });
  checkNumber('stepDecay', 'gamma', gamma, { min: 0, exclusiveMin: true });
  return (step) => baseLr * gamma ** Math.floor(checkStep('stepDecay', step) / stepSize);
}

/**
 * Multi-step decay, as `torch.optim.lr_scheduler.MultiStepLR`:
 * lr = baseLr * gamma^(number of milestones <= step). Milestones must increase strictly.
 */
export function multiStepDecay(
  baseLr: number,
  milestones: readonly number[],
  gamma = 0.1,
): LearningRateSchedule {
  const fn = 'multiStepDecay';
  checkNumber(fn, 'baseLr', baseLr, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'gamma', gamma, { min: 0, exclusiveMin: true });
  if (!Array.isArray(milestones) || milestones.length === 0) {
    throw new InvalidArgumentError(fn, 'milestones', milestones, 'a non-empty array of steps');
  }
  milestones.forEach((m, i) => {
    checkInteger(fn, `milestones[${i}]`, m, { min: 1 });
    if (i > 0 && m <= milestones[i - 1]) {
      throw new InvalidArgumentError(
        fn,
        `milestones[${i}]`,
        m,
        `> milestones[${i - 1}] (${milestones[i - 1]})`,
      );
    }
  });
  const ms = [...milestones];
  return (step) => {
    checkStep(fn, step);
    return baseLr * gamma ** ms.filter((m) => m <= step).length;
  };
}
