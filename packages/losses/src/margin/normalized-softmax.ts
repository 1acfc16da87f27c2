import { checkOptions } from '@face/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkScale,
  MARGIN_HEAD_KEYS,
  MarginHead,
  type MarginHeadConfig,
  type TargetAngle,
} from './base';

export interface NormalizedSoftmaxConfig extends MarginHeadConfig {
  /** s in logits = s cos(theta_j). Default 64. */
  scale?: number;
}

/**
 * Cosine softmax without margin (NormFace: Wang et al. 2017, "NormFace: L2 Hypersphere Embedding
 * for Face Verification"): logits = s cos(theta_j). The baseline the margin heads improve on.
 */
export class NormalizedSoftmax extends MarginHead<NormalizedSoftmaxConfig> {
  // Typed string, not the literal: a subclass (a variant) serializes under its own name.
  static override readonly className: string = 'NormalizedSoftmax';
  static override readonly configKeys: readonly string[] = [...MARGIN_HEAD_KEYS, 'scale'];
  readonly scale: number;

  constructor(config: NormalizedSoftmaxConfig) {
    const fn = new.target.className;
    const c = checkOptions(
      fn,
      config,
      new.target.configKeys as readonly (keyof NormalizedSoftmaxConfig)[],
    );
    super(fn, c);
    this.scale = checkScale(fn, c.scale);
  }

  protected marginCosine(target: TargetAngle): tf.Tensor1D {
    return target.cosine;
  }

  protected scaleLogits(cosine: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(cosine, this.scale);
  }

  getConfig(): Required<NormalizedSoftmaxConfig> {
    return { ...this.baseConfig(), scale: this.scale };
  }

  static fromConfig(config: NormalizedSoftmaxConfig): NormalizedSoftmax {
    return new NormalizedSoftmax(config);
  }
}
