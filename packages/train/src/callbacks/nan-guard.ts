import { checkOneOf } from '@face/core';
import { NonFiniteLossError } from '../errors';
import type { Callback } from './callback';

/**
 * Stops training at the first NaN or infinite loss (or gradient norm, when clipping by norm), before
 * that update is applied, so the weights and the last checkpoint stay finite. `action: 'stop'` ends
 * `fit` with a `non-finite` stop reason carrying the update number and the value; `'throw'` throws
 * {@link NonFiniteLossError}.
 */
export function nanGuard({ action = 'stop' }: { action?: 'stop' | 'throw' } = {}): Callback {
  checkOneOf('nanGuard', 'action', action, ['stop', 'throw'] as const);
  return {
    name: 'nanGuard',
    order: -100,
    beforeUpdate(info, trainer) {
      const bad: ['loss' | 'gradient norm', number] | null = !Number.isFinite(info.loss)
        ? ['loss', info.loss]
        : info.gradNorm !== undefined && !Number.isFinite(info.gradNorm)
          ? ['gradient norm', info.gradNorm]
          : null;
      if (!bad) return 'apply';
      const error = new NonFiniteLossError(info.step, info.epoch, bad[0], bad[1]);
      if (action === 'throw') throw error;
      trainer.requestStop('non-finite', error.message, { step: info.step, value: bad[1] });
      return 'stop';
    },
  };
}
