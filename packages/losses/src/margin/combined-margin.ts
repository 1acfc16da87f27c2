import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOptions } from '@face/core';
import {
  checkScale,
  MARGIN_HEAD_KEYS,
  MarginHead,
  type MarginHeadConfig,
  type TargetAngle,
} from './base';

export interface CombinedMarginConfig extends MarginHeadConfig {
  /** s. Default 64. */
  scale?: number;
  /** Multiplicative angular margin m1 (SphereFace-like). Default 1. */
  m1?: number;
  /** Additive angular margin m2 in radians (ArcFace-like). Default 0.3. */
  m2?: number;
  /** Additive cosine margin m3 (CosFace-like). Default 0.2. */
  m3?: number;
}

/**
 * Combined margin (Deng et al. 2019, ArcFace paper, eq. 4; InsightFace's "combined" loss):
 * target logit s (cos(m1 theta_y + m2) - m3). Defaults (1, 0.3, 0.2) are InsightFace's. As there,
 * no fallback is applied where m1 theta + m2 > pi (use ArcFace for that); (1, m, 0) is ArcFace
 * without its fallback, (1, 0, m) is CosFace.
 */
export class CombinedMargin extends MarginHead<CombinedMarginConfig> {
  // Typed string, not the literal: a subclass (a variant) serializes under its own name.
  static override readonly className: string = 'CombinedMargin';
  static override readonly configKeys: readonly string[] = [
    ...MARGIN_HEAD_KEYS,
    'scale',
    'm1',
    'm2',
    'm3',
  ];
  readonly scale: number;
  readonly m1: number;
  readonly m2: number;
  readonly m3: number;

  constructor(config: CombinedMarginConfig) {
    const fn = new.target.className;
    const c = checkOptions(
      fn,
      config,
      new.target.configKeys as readonly (keyof CombinedMarginConfig)[],
    );
    super(fn, c);
    this.scale = checkScale(fn, c.scale);
    this.m1 = checkNumber(fn, 'config.m1', c.m1 ?? 1, { min: 0, exclusiveMin: true });
    this.m2 = checkNumber(fn, 'config.m2', c.m2 ?? 0.3, { min: 0 });
    this.m3 = checkNumber(fn, 'config.m3', c.m3 ?? 0.2, { min: 0 });
  }

  protected marginCosine({ theta }: TargetAngle): tf.Tensor1D {
    return tf.sub(tf.cos(tf.add(tf.mul(theta, this.m1), this.m2)), this.m3);
  }

  protected scaleLogits(cosine: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(cosine, this.scale);
  }

  getConfig(): Required<CombinedMarginConfig> {
    return { ...this.baseConfig(), scale: this.scale, m1: this.m1, m2: this.m2, m3: this.m3 };
  }

  static fromConfig(config: CombinedMarginConfig): CombinedMargin {
    return new CombinedMargin(config);
  }
}
