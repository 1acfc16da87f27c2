import * as tf from '@tensorflow/tfjs-core';
import {
  checkInteger,
  checkNumber,
  InvalidArgumentError,
  Rng,
  checkBoolean,
  checkOptions,
  type JsonValue,
} from '@face/core';
import { type Labels, oneHotRows, readLabels } from '../util/labels';
import { gatherRows } from '../util/pick';
import { atMost, checkMatrix, l2Normalize, safeNorm } from '../util/tensors';
import { checkReduction, type Reduced, type Reduction, REDUCTIONS } from '../util/reduction';
import { assignCopy, checkWeights, type StatefulLoss, uniqueName } from '../util/stateful';
import { softmaxCrossEntropy } from '../classification/cross-entropy';

/** The option names every margin head takes (each head adds its own). */
export const MARGIN_HEAD_KEYS = ['embeddingDim', 'numClasses', 'seed', 'name'] as const;

export interface MarginHeadConfig {
  /** Width of the embeddings the head receives. */
  embeddingDim: number;
  /** Number of identities (columns of the class-weight matrix). */
  numClasses: number;
  /** Seed of the initial weights, drawn N(0, 0.01^2) as in InsightFace. Default 0. */
  seed?: number;
  /** Prefix of the variable name (`<name>/weight`); unique per process by default. */
  name?: string;
}

export interface MarginHeadLossOptions<R extends Reduction = Reduction> {
  /** Label smoothing of the cross-entropy over the margin logits (PyTorch semantics). Default 0. */
  labelSmoothing?: number;
  reduction?: R;
  /**
   * A training step: advances step-dependent state (SphereFace's iteration count). Default true;
   * pass false to evaluate the loss without touching the state.
   */
  training?: boolean;
}

/**
 * |x^ - w^_y| (or |x^ + w^_y|) at or below which the angle counts as exactly 0 (or pi). theta is a
 * cone there (like |v| at v = 0): a margin cos(m1 theta + m2) has a kink, and float32 round-off of
 * two unit vectors that agree (|x^ - w^| ~ 1e-7 measured, for 4 to 2048 dimensions) would pick
 * one side of it, a full-size gradient in a random direction. Below the floor the norm is 0 with
 * gradient 0: the symmetric (central-difference) gradient at the tip, which InsightFace's clamp
 * of the cosine to [-1 + 1e-7, 1 - 1e-7] before acos also gives. 1e-5 rad is 100 times that
 * round-off; it moves a target logit by at most s * m1 * 1e-5.
 */
export const ANGLE_FLOOR = 1e-5;

/**
 * The target-class angle of each sample, handed to {@link MarginHead.marginCosine}. `cosine` is
 * x^.w^_y; `theta` in [0, pi] is computed as 2 atan2(|x^ - w^_y|, |x^ + w^_y|), which is accurate to
 * float32 round-off at every angle: acos(cos) or sqrt(1 - cos^2) lose half the digits near 0 and
 * pi and have infinite gradients at cos = +-1. Within {@link ANGLE_FLOOR} of 0 or pi it is
 * exactly 0 or pi, with the symmetric gradient.
 */
export class TargetAngle {
  private thetaValue?: tf.Tensor1D;
  constructor(
    private readonly xn: tf.Tensor2D,
    private readonly wy: tf.Tensor2D,
    readonly cosine: tf.Tensor1D,
  ) {}

  get theta(): tf.Tensor1D {
    if (!this.thetaValue) {
      const h = safeNorm(tf.sub(this.xn, this.wy), 1, false, ANGLE_FLOOR);
      const c = safeNorm(tf.add(this.xn, this.wy), 1, false, ANGLE_FLOOR);
      // Both zero only for a zero embedding against a zero class column: take theta = pi / 2, the
      // angle its cosine of 0 implies.
      const degenerate = atMost(tf.add(h, c), 0);
      const one = tf.onesLike(h);
      this.thetaValue = tf.mul(
        tf.atan2(tf.where(degenerate, one, h), tf.where(degenerate, one, c)),
        2,
      ) as tf.Tensor1D;
    }
    return this.thetaValue;
  }
}

/**
 * Base of the large-margin softmax heads, in the template style of pytorch-metric-learning's
 * LargeMarginSoftmaxLoss: the head holds the class weights W [embeddingDim, numClasses] (columns
 * are class centres; PyTorch / InsightFace store the transpose [numClasses, embeddingDim]), takes
 * cos(theta_j) = x^ . w^_j with both L2-normalized (F.normalize semantics: a zero vector gives
 * cosine 0), lets the subclass replace the target-class cosine (`marginCosine`) and scales the
 * logits (`scaleLogits`). The loss is softmax cross-entropy over those logits.
 */
export abstract class MarginHead<
  Config extends MarginHeadConfig = MarginHeadConfig,
> implements StatefulLoss<Required<Config>> {
  /** The name saved models and checkpoints store (`{ className, config }`); tfjs's convention. */
  static readonly className: string = 'MarginHead';
  /** Every config option the class takes: `registerMarginHead` and recipes read it. */
  static readonly configKeys: readonly string[] = MARGIN_HEAD_KEYS;
  readonly embeddingDim: number;
  readonly numClasses: number;
  readonly seed: number;
  readonly name: string;
  /** The class-weight matrix, [embeddingDim, numClasses], trainable. */
  readonly weight: tf.Variable<tf.Rank.R2>;

  protected constructor(fn: string, config: MarginHeadConfig) {
    this.embeddingDim = checkInteger(fn, 'config.embeddingDim', config.embeddingDim, { min: 1 });
    this.numClasses = checkInteger(fn, 'config.numClasses', config.numClasses, { min: 2 });
    this.seed = checkInteger(fn, 'config.seed', config.seed ?? 0);
    if (config.name !== undefined && typeof config.name !== 'string') {
      throw new InvalidArgumentError(fn, 'config.name', config.name, 'a string');
    }
    this.name = config.name ?? uniqueName(fn.toLowerCase());
    const rng = new Rng(this.seed);
    const init = new Float32Array(this.embeddingDim * this.numClasses);
    for (let i = 0; i < init.length; i++) init[i] = rng.normal(0, 0.01);
    // In a tidy, so the initial tensor is disposed (the variable keeps its data).
    this.weight = tf.tidy(() =>
      tf.variable(
        tf.tensor2d(init, [this.embeddingDim, this.numClasses]),
        true,
        `${this.name}/weight`,
      ),
    );
  }

  /** The class's static `className`, so a subclass serializes under its own name. */
  get className(): string {
    return (this.constructor as typeof MarginHead).className;
  }

  /** Replaces cos(theta_y) of each sample's target class: the margin. */
  protected abstract marginCosine(target: TargetAngle): tf.Tensor1D;

  /** Turns (margin) cosines [n, C] into logits; `embeddings` are the raw inputs. */
  protected abstract scaleLogits(cosine: tf.Tensor2D, embeddings: tf.Tensor2D): tf.Tensor2D;

  /** Called once per training `loss()` call, after the loss is built. */
  protected advance(): void {}

  get trainableVariables(): tf.Variable[] {
    return [this.weight];
  }

  /** Plain cosines x^ . w^_j, [n, numClasses], unscaled and without margin. */
  cosine(embeddings: tf.Tensor2D): tf.Tensor2D {
    checkMatrix(`${this.className}.cosine`, 'embeddings', embeddings, {
      columns: this.embeddingDim,
    });
    return tf.tidy(() => this.cosines(embeddings));
  }

  /**
   * Logits [n, numClasses]. Without labels: the scaled cosines, no margin (inference: rank
   * identities by them). With labels: the training logits, margin applied to each target class.
   */
  logits(embeddings: tf.Tensor2D, labels?: Labels): tf.Tensor2D {
    const fn = `${this.className}.logits`;
    checkMatrix(fn, 'embeddings', embeddings, { columns: this.embeddingDim });
    const y =
      labels === undefined
        ? undefined
        : readLabels(fn, 'labels', labels, {
            numClasses: this.numClasses,
            length: embeddings.shape[0],
          });
    return tf.tidy(() => this.computeLogits(embeddings, y));
  }

  /** Softmax cross-entropy of the margin logits; a training step unless `training: false`. */
  loss<R extends Reduction = 'mean'>(
    embeddings: tf.Tensor2D,
    labels: Labels,
    options?: MarginHeadLossOptions<R>,
  ): Reduced<R> {
    const fn = `${this.className}.loss`;
    const opts = checkOptions(fn, options, ['labelSmoothing', 'reduction', 'training']);
    const reduction = checkReduction(fn, opts.reduction, REDUCTIONS, 'mean');
    const training = checkBoolean(fn, 'options.training', opts.training, true);
    const labelSmoothing = checkNumber(fn, 'options.labelSmoothing', opts.labelSmoothing ?? 0, {
      min: 0,
      max: 1,
      exclusiveMax: true,
    });
    checkMatrix(fn, 'embeddings', embeddings, { columns: this.embeddingDim });
    const y = readLabels(fn, 'labels', labels, {
      numClasses: this.numClasses,
      length: embeddings.shape[0],
    });
    const value = tf.tidy(() =>
      softmaxCrossEntropy(this.computeLogits(embeddings, y), y, labelSmoothing, reduction),
    );
    if (training) this.advance();
    return value as Reduced<R>;
  }

  private cosines(embeddings: tf.Tensor2D): tf.Tensor2D {
    return tf.matMul(l2Normalize(embeddings, 1), l2Normalize(this.weight, 0));
  }

  private computeLogits(embeddings: tf.Tensor2D, labels?: Int32Array): tf.Tensor2D {
    if (labels === undefined) return this.scaleLogits(this.cosines(embeddings), embeddings);
    const xn = l2Normalize(embeddings, 1);
    const wn = l2Normalize(this.weight, 0);
    const cos = tf.matMul(xn, wn);
    const onehot = oneHotRows(labels, this.numClasses);
    const wy = gatherRows(tf.transpose(wn), labels); // w^_y of each sample, [n, d]
    const target = new TargetAngle(xn, wy, tf.sum(tf.mul(xn, wy), 1) as tf.Tensor1D);
    const marked = tf.reshape(this.marginCosine(target), [-1, 1]);
    const withMargin = tf.add(tf.mul(cos, tf.sub(1, onehot)), tf.mul(onehot, marked));
    return this.scaleLogits(withMargin as tf.Tensor2D, embeddings);
  }

  abstract getConfig(): Required<Config>;

  protected baseConfig(): Required<MarginHeadConfig> {
    return {
      embeddingDim: this.embeddingDim,
      numClasses: this.numClasses,
      seed: this.seed,
      name: this.name,
    };
  }

  /** [W [embeddingDim, numClasses]]: a copy the caller disposes. */
  getWeights(): tf.Tensor[] {
    return [tf.clone(this.weight)];
  }

  /** Loads [W]; shape [embeddingDim, numClasses] (transpose a PyTorch [numClasses, dim] matrix). */
  setWeights(weights: tf.Tensor[]): void {
    checkWeights(`${this.className}.setWeights`, weights, [[this.embeddingDim, this.numClasses]]);
    assignCopy(this.weight, weights[0]);
  }

  /** Step-dependent state as JSON ({} for heads without any). */
  getState(): JsonValue {
    return {};
  }

  setState(_state: unknown): void {}

  dispose(): void {
    this.weight.dispose();
  }
}

/** Common scale option of the cosine heads: logits = s * cos. */
export function checkScale(fn: string, value: unknown): number {
  return checkNumber(fn, 'config.scale', value ?? 64, { min: 0, exclusiveMin: true });
}
