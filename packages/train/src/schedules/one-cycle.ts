import { InvalidArgumentError, checkInteger, checkNumber, checkOneOf } from '@face/core';
import { checkStep, type LearningRateSchedule } from './schedule';

export interface OneCycleOptions {
  maxLr: number;
  totalSteps: number;
  /** Fraction of the steps spent increasing the rate. */
  pctStart?: number;
  anneal?: 'cos' | 'linear';
  /** Initial rate = maxLr / divFactor. */
  divFactor?: number;
  /** Final rate = initial rate / finalDivFactor. */
  finalDivFactor?: number;
  /** Fast.ai's three phases: up, back down to the initial rate, then down to the final rate. */
  threePhase?: boolean;
}

/**
 * The 1cycle policy (Smith & Topin, 2018, "Super-Convergence"), with the phases and annealing of
 * `torch.optim.lr_scheduler.OneCycleLR` (1.13). Only the rate: cycle momentum yourself if wanted.
 * Steps run 0 .. totalSteps - 1; a later step is an error, as in torch.
 */
export function oneCycle({
  maxLr,
  totalSteps,
  pctStart = 0.3,
  anneal = 'cos',
  divFactor = 25,
  finalDivFactor = 1e4,
  threePhase = false,
}: OneCycleOptions): LearningRateSchedule {
  const fn = 'oneCycle';
  checkNumber(fn, 'maxLr', maxLr, { min: 0, exclusiveMin: true });
  checkInteger(fn, 'totalSteps', totalSteps, { min: 2 });
  checkNumber(fn, 'pctStart', pctStart, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true });
  checkOneOf(fn, 'anneal', anneal, ['cos', 'linear'] as const);
  checkNumber(fn, 'divFactor', divFactor, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'finalDivFactor', finalDivFactor, { min: 0, exclusiveMin: true });
  const initialLr = maxLr / divFactor;
  const minLr = initialLr / finalDivFactor;
  const up = pctStart * totalSteps - 1;
  const phases = threePhase
    ? [
        { end: up, from: initialLr, to: maxLr },
        { end: 2 * pctStart * totalSteps - 2, from: maxLr, to: initialLr },
        { end: totalSteps - 1, from: initialLr, to: minLr },
      ]
    : [
        { end: up, from: initialLr, to: maxLr },
        { end: totalSteps - 1, from: maxLr, to: minLr },
      ];
  for (let i = 1; i < phases.length; i++) {
    if (!(phases[i].end > phases[i - 1].end) || !(phases[0].end > 0)) {
      throw new InvalidArgumentError(
        fn,
        'pctStart',
        pctStart,
        `a value leaving every phase of the ${totalSteps} steps at least one step`,
      );
    }
  }
  const annealFn =
    anneal === 'cos'
      ? (a: number, b: number, pct: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1)
      : (a: number, b: number, pct: number) => (b - a) * pct + a;
  return (step) => {
    checkInteger(fn, 'step', checkStep(fn, step), { max: totalSteps - 1 });
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const { end, from, to } = phases[i];
      if (step <= end || i === phases.length - 1)
        return annealFn(from, to, (step - start) / (end - start));
      start = end;
    }
    return minLr; // unreachable: the last phase always returns
  };
}
