import { checkInteger, checkNumber } from '@face/core';
import { checkStep, type LearningRateSchedule } from './schedule';

/**
 * Polynomial decay, as `torch.optim.lr_scheduler.PolynomialLR` (torch >= 1.13) when `endLr` is 0:
 *   lr = (baseLr - endLr) * (1 - min(step, totalSteps) / totalSteps)^power + endLr
 * (`endLr` is Keras' `PolynomialDecay` end rate.) `power` 1 is linear decay.
 */
export function polynomialDecay(
  baseLr: number,
  totalSteps: number,
  { power = 1, endLr = 0 }: { power?: number; endLr?: number } = {},
): LearningRateSchedule {
  const fn = 'polynomialDecay';
  checkNumber(fn, 'baseLr', baseLr, { min: 0, exclusiveMin: true });
  checkInteger(fn, 'totalSteps', totalSteps, { min: 1 });
  checkNumber(fn, 'power', power, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'endLr', endLr, { min: 0, max: baseLr });
  return (step) => {
    const t = Math.min(checkStep(fn, step), totalSteps);
    return (baseLr - endLr) * (1 - t / totalSteps) ** power + endLr;
  };
}
