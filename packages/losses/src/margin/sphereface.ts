import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkOptions } from '@face/core';
import { readStateObject } from '../util/stateful';
import { safeNorm } from '../util/tensors';
import { MARGIN_HEAD_KEYS, MarginHead, type MarginHeadConfig, type TargetAngle } from './base';

export interface SphereFaceConfig extends MarginHeadConfig {
  /** Integer angular margin m of psi(theta) = (-1)^k cos(m theta) - 2k. Default 4. */
  margin?: number;
  /** lambda = max(lambdaMin, base (1 + gamma t)^-power) at training step t. Default 1000. */
  base?: number;
  /** Default 0.12. */
  gamma?: number;
  /** Default 1. */
  power?: number;
  /** Default 5. */
  lambdaMin?: number;
}

// A type alias, not an interface, so that it is a JsonValue (the Stateful contract).
export type SphereFaceState = {
  /** Training steps taken: the t of lambda(t). */
  iteration: number;
};

/**
 * SphereFace / A-Softmax (Liu et al. 2017, "SphereFace: Deep Hypersphere Embedding for Face
 * Recognition", eq. 7-8): weights normalized, features not; logits ||x|| cos(theta_j), and for the
 * target class ||x|| psi(theta_y) with psi(theta) = (-1)^k cos(m theta) - 2k,
 * theta in [k pi / m, (k + 1) pi / m]. Training anneals from softmax to A-Softmax as in the authors'
 * Caffe layer: f_y = (lambda ||x|| cos(theta_y) + ||x|| psi(theta_y)) / (1 + lambda),
 * lambda = max(lambdaMin, base (1 + gamma t)^-power), t the number of training `loss()` calls made
 * before (the first step uses t = 0). Inference logits: ||x|| cos(theta_j).
 */
export class SphereFace extends MarginHead<SphereFaceConfig> {
  // Typed string, not the literal: a subclass (a variant) serializes under its own name.
  static override readonly className: string = 'SphereFace';
  static override readonly configKeys: readonly string[] = [
    ...MARGIN_HEAD_KEYS,
    'margin',
    'base',
    'gamma',
    'power',
    'lambdaMin',
  ];
  readonly margin: number;
  readonly base: number;
  readonly gamma: number;
  readonly power: number;
  readonly lambdaMin: number;
  private iterations = 0;

  constructor(config: SphereFaceConfig) {
    const fn = new.target.className;
    const c = checkOptions(
      fn,
      config,
      new.target.configKeys as readonly (keyof SphereFaceConfig)[],
    );
    super(fn, c);
    this.margin = checkInteger(fn, 'config.margin', c.margin ?? 4, { min: 1 });
    this.base = checkNumber(fn, 'config.base', c.base ?? 1000, { min: 0 });
    this.gamma = checkNumber(fn, 'config.gamma', c.gamma ?? 0.12, { min: 0 });
    this.power = checkNumber(fn, 'config.power', c.power ?? 1, { min: 0 });
    this.lambdaMin = checkNumber(fn, 'config.lambdaMin', c.lambdaMin ?? 5, { min: 0 });
  }

  get iteration(): number {
    return this.iterations;
  }

  /** lambda at the current iteration. */
  get lambda(): number {
    const annealed = this.base * Math.pow(1 + this.gamma * this.iterations, -this.power);
    return Math.max(this.lambdaMin, annealed);
  }

  protected marginCosine({ cosine, theta }: TargetAngle): tf.Tensor1D {
    const mTheta = tf.mul(theta, this.margin);
    const k = tf.floor(tf.div(mTheta, Math.PI));
    // (-1)^k as 1 - 2 (k mod 2), exact in float arithmetic for integer k.
    const sign = tf.sub(1, tf.mul(2, tf.sub(k, tf.mul(2, tf.floor(tf.div(k, 2))))));
    const psi = tf.sub(tf.mul(sign, tf.cos(mTheta)), tf.mul(2, k));
    const lambda = this.lambda;
    return tf.div(tf.add(tf.mul(cosine, lambda), psi), 1 + lambda) as tf.Tensor1D;
  }

  protected scaleLogits(cosine: tf.Tensor2D, embeddings: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(cosine, safeNorm(embeddings, 1, true));
  }

  protected override advance(): void {
    this.iterations += 1;
  }

  getConfig(): Required<SphereFaceConfig> {
    return {
      ...this.baseConfig(),
      margin: this.margin,
      base: this.base,
      gamma: this.gamma,
      power: this.power,
      lambdaMin: this.lambdaMin,
    };
  }

  static fromConfig(config: SphereFaceConfig): SphereFace {
    return new SphereFace(config);
  }

  override getState(): SphereFaceState {
    return { iteration: this.iterations };
  }

  override setState(state: unknown): void {
    const fn = 'SphereFace.setState';
    const s = readStateObject(fn, state, '{ iteration }');
    this.iterations = checkInteger(fn, 'state.iteration', s.iteration, { min: 0 });
  }
}
