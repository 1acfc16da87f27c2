import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '@face/core';
import type { NamedVariable } from '../variables';
import { Optimizer, type BaseOptimizerOptions, type ParamsInput } from './optimizer';

export interface AdamOptions extends BaseOptimizerOptions {
  beta1: number;
  beta2: number;
  /** Added to the bias-corrected sqrt(v), outside the square root (torch). */
  eps: number;
  /** Use the running maximum of v (Reddi et al., 2018, "On the Convergence of Adam and Beyond"). */
  amsgrad: boolean;
}

function resolveAdam(fn: string, defaultDecay: number) {
  return (o: Partial<AdamOptions>, argument: string): AdamOptions => ({
    lr: checkNumber(fn, `${argument}.lr`, o.lr ?? 1e-3, { min: 0 }),
    beta1: checkNumber(fn, `${argument}.beta1`, o.beta1 ?? 0.9, {
      min: 0,
      max: 1,
      exclusiveMax: true,
    }),
    beta2: checkNumber(fn, `${argument}.beta2`, o.beta2 ?? 0.999, {
      min: 0,
      max: 1,
      exclusiveMax: true,
    }),
    eps: checkNumber(fn, `${argument}.eps`, o.eps ?? 1e-8, { min: 0 }),
    weightDecay: checkNumber(fn, `${argument}.weightDecay`, o.weightDecay ?? defaultDecay, {
      min: 0,
    }),
    amsgrad: o.amsgrad ?? false,
  });
}

/**
 * The shared Adam body (Kingma & Ba, 2015, Algorithm 1, in torch 1.13's `_single_tensor_adam(w)` form):
 *   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * `decoupled` chooses AdamW's p = p (1 - lr wd) (Loshchilov & Hutter, 2019) over L2 g = g + wd p.
 */
abstract class AdamBase extends Optimizer<AdamOptions> {
  protected abstract readonly decoupled: boolean;

  protected update(
    p: NamedVariable,
    grad: tf.Tensor,
    step: number,
    o: AdamOptions,
    lr: number,
  ): tf.Tensor {
    let param: tf.Tensor = p.variable;
    let g = grad;
    if (o.weightDecay !== 0) {
      if (this.decoupled) param = tf.mul(param, 1 - lr * o.weightDecay);
      else g = tf.add(g, tf.mul(param, o.weightDecay));
    }
    const m0 = this.slot(p.name, 'exp_avg');
    const v0 = this.slot(p.name, 'exp_avg_sq');
    const m = tf.add(m0 ? tf.mul(m0, o.beta1) : tf.zerosLike(g), tf.mul(g, 1 - o.beta1));
    const v = tf.add(v0 ? tf.mul(v0, o.beta2) : tf.zerosLike(g), tf.mul(tf.mul(g, 1 - o.beta2), g));
    this.setSlot(p.name, 'exp_avg', m);
    this.setSlot(p.name, 'exp_avg_sq', v);
    let vHat: tf.Tensor = v;
    if (o.amsgrad) {
      const max0 = this.slot(p.name, 'max_exp_avg_sq');
      vHat = max0 ? tf.maximum(max0, v) : v;
      this.setSlot(p.name, 'max_exp_avg_sq', vHat);
    }
    const stepSize = lr / (1 - o.beta1 ** step);
    const bc2Sqrt = Math.sqrt(1 - o.beta2 ** step);
    const denom = tf.add(tf.div(tf.sqrt(vHat), bc2Sqrt), o.eps);
    return tf.sub(param, tf.mul(tf.div(m, denom), stepSize));
  }
}

/**
 * Adam as `torch.optim.Adam` (1.13): defaults lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0
 * (added to the gradient, L2). State per variable: `exp_avg`, `exp_avg_sq` (+ `max_exp_avg_sq`).
 */
export class Adam extends AdamBase {
  readonly kind = 'adam';
  protected readonly decoupled = false;

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, options, resolveAdam('Adam', 0));
  }
}

/**
 * AdamW as `torch.optim.AdamW` (1.13): Adam with decoupled weight decay p = p (1 - lr wd) applied
 * before the moment update; default weight decay 1e-2.
 */
export class AdamW extends AdamBase {
  readonly kind = 'adamw';
  protected readonly decoupled = true;

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, options, resolveAdam('AdamW', 1e-2));
  }
}
