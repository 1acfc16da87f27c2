import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { checkInteger, checkNumber } from '@face/core';
import { batchNorm } from '../ops/batch-norm';
import {
  type BaseLayerArgs,
  channelsOf,
  checkBoolean,
  isTraining,
  singleInput,
  singleShape,
} from './layer-support';

export interface BatchNormArgs extends BaseLayerArgs {
  /** Channel axis: -1 (channels-last) by default. */
  axis?: number;
  /** 1e-5 (PyTorch). */
  eps?: number;
  /** Weight of the new batch statistic in the running average: 0.1 (PyTorch's convention). */
  momentum?: number;
  /** Learn a per-channel shift beta (PyTorch `affine`, first half). Default true. */
  center?: boolean;
  /** Learn a per-channel scale gamma (PyTorch `affine`, second half). Default true. */
  scale?: boolean;
  /** Keep running statistics for inference (PyTorch `track_running_stats`). Default true. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalization with PyTorch's semantics ({@link batchNorm}): batch statistics and a
 * running-statistics update when called with `{ training: true }`, the running statistics
 * otherwise. Weights, in order: gamma, beta (trainable), running_mean, running_var.
 */
export class BatchNorm extends layers.Layer {
  static className = 'BatchNorm';
  readonly axis: number;
  readonly eps: number;
  readonly momentum: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly trackRunningStats: boolean;
  private gamma?: LayerVariable;
  private beta?: LayerVariable;
  private runningMean?: LayerVariable;
  private runningVariance?: LayerVariable;

  constructor(args: BatchNormArgs = {}) {
    super(args);
    const fn = 'BatchNorm';
    this.axis = checkInteger(fn, 'axis', args.axis ?? -1);
    this.eps = checkNumber(fn, 'eps', args.eps ?? 1e-5, { min: 0 });
    this.momentum = checkNumber(fn, 'momentum', args.momentum ?? 0.1, { min: 0, max: 1 });
    this.center = checkBoolean(fn, 'center', args.center ?? true);
    this.scale = checkBoolean(fn, 'scale', args.scale ?? true);
    this.trackRunningStats = checkBoolean(fn, 'trackRunningStats', args.trackRunningStats ?? true);
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const { channels } = channelsOf('BatchNorm', singleShape(inputShape), this.axis, 2);
    const ones = initializers.ones();
    const zeros = initializers.zeros();
    if (this.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', ones);
    if (this.center) this.beta = this.addWeight('beta', [channels], 'float32', zeros);
    if (this.trackRunningStats) {
      const add = (name: string, init: typeof ones) =>
        this.addWeight(name, [channels], 'float32', init, undefined, false);
      this.runningMean = add('running_mean', zeros);
      this.runningVariance = add('running_var', ones);
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput('BatchNorm', inputs);
      const training = isTraining(kwargs);
      const out = batchNorm(x, {
        training,
        runningMean: this.runningMean?.read(),
        runningVariance: this.runningVariance?.read(),
        gamma: this.gamma?.read(),
        beta: this.beta?.read(),
        momentum: this.momentum,
        eps: this.eps,
        axis: this.axis,
      });
      // Variables take over the new values' storage; the tensors themselves die with this tidy.
      if (out.runningMean && out.runningVariance) {
        this.runningMean!.write(out.runningMean);
        this.runningVariance!.write(out.runningVariance);
      }
      return out.y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      eps: this.eps,
      momentum: this.momentum,
      center: this.center,
      scale: this.scale,
      trackRunningStats: this.trackRunningStats,
    };
  }
}
tf.serialization.registerClass(BatchNorm);
