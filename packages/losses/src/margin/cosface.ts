import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOptions } from '@face/core';
import {
  checkScale,
  MARGIN_HEAD_KEYS,
  MarginHead,
  type MarginHeadConfig,
  type TargetAngle,
} from './base';

export interface CosFaceConfig extends MarginHeadConfig {
  /** s. Default 64. */
  scale?: number;
  /** Additive cosine margin m. Default 0.35. */
  margin?: number;
}

/**
 * CosFace / large margin cosine loss (Wang et al. 2018, "CosFace: Large Margin Cosine Loss for
 * Deep Face Recognition", eq. 4): target logit s (cos(theta_y) - m), others s cos(theta_j).
 */
export class CosFace extends MarginHead<CosFaceConfig> {
  // Typed string, not the literal: a subclass (a variant) serializes under its own name.
  static override readonly className: string = 'CosFace';
  static override readonly configKeys: readonly string[] = [...MARGIN_HEAD_KEYS, 'scale', 'margin'];
  readonly scale: number;
  readonly margin: number;

  constructor(config: CosFaceConfig) {
    const fn = new.target.className;
    const c = checkOptions(fn, config, new.target.configKeys as readonly (keyof CosFaceConfig)[]);
    super(fn, c);
    this.scale = checkScale(fn, c.scale);
    this.margin = checkNumber(fn, 'config.margin', c.margin ?? 0.35, { min: 0 });
  }

  protected marginCosine(target: TargetAngle): tf.Tensor1D {
    return tf.sub(target.cosine, this.margin);
  }

  protected scaleLogits(cosine: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(cosine, this.scale);
  }

  getConfig(): Required<CosFaceConfig> {
    return { ...this.baseConfig(), scale: this.scale, margin: this.margin };
  }

  static fromConfig(config: CosFaceConfig): CosFace {
    return new CosFace(config);
  }
}
