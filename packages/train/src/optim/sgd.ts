import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkNumber } from '@face/core';
import type { NamedVariable } from '../variables';
import { Optimizer, type BaseOptimizerOptions, type ParamsInput } from './optimizer';

export interface SGDOptions extends BaseOptimizerOptions {
  /** Momentum factor (0: plain SGD). */
  momentum: number;
  /** Dampening of the gradient's contribution to the momentum buffer. */
  dampening: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0, as torch). */
  nesterov: boolean;
}

function resolveSGD(o: Partial<SGDOptions>, argument: string): SGDOptions {
  const fn = 'SGD';
  const r: SGDOptions = {
    lr: checkNumber(fn, `${argument}.lr`, o.lr, { min: 0 }),
    momentum: checkNumber(fn, `${argument}.momentum`, o.momentum ?? 0, { min: 0 }),
    dampening: checkNumber(fn, `${argument}.dampening`, o.dampening ?? 0),
    weightDecay: checkNumber(fn, `${argument}.weightDecay`, o.weightDecay ?? 0, { min: 0 }),
    nesterov: o.nesterov ?? false,
  };
  if (r.nesterov && (r.momentum <= 0 || r.dampening !== 0)) {
    throw new InvalidArgumentError(
      fn,
      `${argument}.nesterov`,
      true,
      'used with momentum > 0 and dampening 0',
    );
  }
  return r;
}

/**
 * Stochastic gradient descent as `torch.optim.SGD` (1.13, single-tensor path):
 *   d = g + weightDecay * p
 *   buf = d (first step), else buf = momentum * buf + (1 - dampening) * d
 *   d = nesterov ? d + momentum * buf : buf        (when momentum != 0)
 *   p = p - lr * d
 * State: the momentum buffer `momentum_buffer` per variable.
 */
export class SGD extends Optimizer<SGDOptions> {
  readonly kind = 'sgd';

  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    super('SGD', params, options, resolveSGD);
  }

  protected update(
    p: NamedVariable,
    grad: tf.Tensor,
    _step: number,
    o: SGDOptions,
    lr: number,
  ): tf.Tensor {
    let d = grad;
    if (o.weightDecay !== 0) d = tf.add(d, tf.mul(p.variable, o.weightDecay));
    if (o.momentum !== 0) {
      const prev = this.slot(p.name, 'momentum_buffer');
      const buf = prev ? tf.add(tf.mul(prev, o.momentum), tf.mul(d, 1 - o.dampening)) : d;
      this.setSlot(p.name, 'momentum_buffer', buf);
      d = o.nesterov ? tf.add(d, tf.mul(buf, o.momentum)) : buf;
    }
    return tf.sub(p.variable, tf.mul(d, lr));
  }
}
