import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkBoolean, checkOptions } from '@face/core';
import { atMost } from '../util/tensors';
import {
  checkScale,
  MARGIN_HEAD_KEYS,
  MarginHead,
  type MarginHeadConfig,
  type TargetAngle,
} from './base';

export interface ArcFaceConfig extends MarginHeadConfig {
  /** s. Default 64. */
  scale?: number;
  /** Additive angular margin m in radians. Default 0.5. */
  margin?: number;
  /** Apply the margin only where cos(theta_y) > 0, else keep cos(theta_y). Default false. */
  easyMargin?: boolean;
}

/**
 * ArcFace / additive angular margin (Deng et al. 2019, "ArcFace: Additive Angular Margin Loss for
 * Deep Face Recognition", eq. 3): target logit s cos(theta_y + m). Where theta_y + m > pi,
 * cos(theta + m) would rise again, so the target logit falls back to cos(theta_y) - m sin(m)
 * (InsightFace's form), which keeps it decreasing in theta. With `easyMargin`, the margin applies
 * only where theta_y < pi / 2.
 */
export class ArcFace extends MarginHead<ArcFaceConfig> {
  // Typed string, not the literal: a subclass (a variant) serializes under its own name.
  static override readonly className: string = 'ArcFace';
  static override readonly configKeys: readonly string[] = [
    ...MARGIN_HEAD_KEYS,
    'scale',
    'margin',
    'easyMargin',
  ];
  readonly scale: number;
  readonly margin: number;
  readonly easyMargin: boolean;

  constructor(config: ArcFaceConfig) {
    const fn = new.target.className;
    const c = checkOptions(fn, config, new.target.configKeys as readonly (keyof ArcFaceConfig)[]);
    super(fn, c);
    this.scale = checkScale(fn, c.scale);
    this.margin = checkNumber(fn, 'config.margin', c.margin ?? 0.5, {
      min: 0,
      max: Math.PI,
      exclusiveMax: true,
    });
    this.easyMargin = checkBoolean(fn, 'config.easyMargin', c.easyMargin, false);
  }

  protected marginCosine({ cosine, theta }: TargetAngle): tf.Tensor1D {
    const m = this.margin;
    const shifted = tf.cos(tf.add(theta, m)) as tf.Tensor1D;
    if (this.easyMargin) return tf.where(atMost(cosine, 0), cosine, shifted);
    const fallback = tf.sub(cosine, m * Math.sin(m)) as tf.Tensor1D;
    return tf.where(atMost(Math.PI, tf.add(theta, m)), fallback, shifted);
  }

  protected scaleLogits(cosine: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(cosine, this.scale);
  }

  getConfig(): Required<ArcFaceConfig> {
    return {
      ...this.baseConfig(),
      scale: this.scale,
      margin: this.margin,
      easyMargin: this.easyMargin,
    };
  }

  static fromConfig(config: ArcFaceConfig): ArcFace {
    return new ArcFace(config);
  }
}
