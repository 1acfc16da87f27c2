import { checkInteger, checkNumber } from '@face/core';
import { checkStep, type LearningRateSchedule } from './schedule';

/**
 * Cosine annealing from `baseLr` to `minLr` over `totalSteps` (Loshchilov & Hutter, 2017, "SGDR",
 * eq. 5, without restarts; `torch.optim.lr_scheduler.CosineAnnealingLR` with T_max = totalSteps):
 *   lr = minLr + (baseLr - minLr) * (1 + cos(pi * step / totalSteps)) / 2
 * After `totalSteps` the rate stays at `minLr` (torch would climb the cosine back up).
 */
export function cosineAnnealing(
  baseLr: number,
  totalSteps: number,
  { minLr = 0 }: { minLr?: number } = {},
): LearningRateSchedule {
  const fn = 'cosineAnnealing';
  checkNumber(fn, 'baseLr', baseLr, { min: 0, exclusiveMin: true });
  checkInteger(fn, 'totalSteps', totalSteps, { min: 1 });
  checkNumber(fn, 'minLr', minLr, { min: 0, max: baseLr });
  return (step) => {
    const t = Math.min(checkStep(fn, step), totalSteps);
    return minLr + ((baseLr - minLr) * (1 + Math.cos((Math.PI * t) / totalSteps))) / 2;
  };
}
