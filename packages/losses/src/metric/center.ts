import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkBoolean, checkOptions, type JsonValue } from '@face/core';
import { type Labels, oneHotRows } from '../util/labels';
import { gatherRows } from '../util/pick';
import { type Reduced, type Reduction, reduceLosses } from '../util/reduction';
import {
  assignCopy,
  checkWeights,
  readStatefulLossArgs,
  readStateObject,
  type StatefulLoss,
  uniqueName,
} from '../util/stateful';

export interface CenterLossConfig {
  numClasses: number;
  embeddingDim: number;
  /** lambda, the weight of the center loss against the softmax loss. Default 0.003 (the paper's). */
  lambda?: number;
  /** alpha, the center learning rate of the paper's update rule. Default 0.5 (the paper's). */
  alpha?: number;
  /** Train the centers with the optimizer instead of the alpha rule. Default false. */
  learnable?: boolean;
  /** Prefix of the variable name. */
  name?: string;
}

export interface CenterLossOptions<R extends Reduction = Reduction> {
  /** Default 'mean' over the batch (the authors' Caffe layer); 'sum' is the paper's eq. 2. */
  reduction?: R;
  /** Apply the alpha update of the centers after computing the loss. Default true. */
  training?: boolean;
}

/**
 * Center loss (Wen et al. 2016, "A Discriminative Feature Learning Approach for Deep Face
 * Recognition", eq. 2-4): loss_i = lambda / 2 ||x_i - c_{y_i}||^2, centers C [numClasses,
 * embeddingDim] starting at 0. By default the centers follow the paper's rule, once per training
 * `loss()` call: c_j <- c_j - alpha * sum_{i: y_i = j} (c_j - x_i) / (1 + n_j), using the centers
 * the loss was computed with (the update never reaches the gradient); a batch with a NaN or
 * infinite embedding skips it (the loss is then non-finite, for the caller to refuse the step).
 * With `learnable: true` they are a trainable variable instead and the optimizer moves them.
 */
export class CenterLoss implements StatefulLoss<Required<CenterLossConfig>> {
  static readonly className = 'CenterLoss';
  readonly numClasses: number;
  readonly embeddingDim: number;
  readonly lambda: number;
  readonly alpha: number;
  readonly learnable: boolean;
  readonly name: string;
  /** [numClasses, embeddingDim]. */
  readonly centers: tf.Variable<tf.Rank.R2>;

  constructor(config: CenterLossConfig) {
    const fn = 'CenterLoss';
    const c = checkOptions(fn, config, [
      'numClasses',
      'embeddingDim',
      'lambda',
      'alpha',
      'learnable',
      'name',
    ]);
    this.numClasses = checkInteger(fn, 'config.numClasses', c.numClasses, { min: 1 });
    this.embeddingDim = checkInteger(fn, 'config.embeddingDim', c.embeddingDim, { min: 1 });
    this.lambda = checkNumber(fn, 'config.lambda', c.lambda ?? 0.003, { min: 0 });
    this.alpha = checkNumber(fn, 'config.alpha', c.alpha ?? 0.5, { min: 0, max: 1 });
    this.learnable = checkBoolean(fn, 'config.learnable', c.learnable, false);
    this.name = c.name ?? uniqueName('center_loss');
    // In a tidy, so the initial tensor is disposed (the variable keeps its data).
    this.centers = tf.tidy(() =>
      tf.variable(
        tf.zeros([this.numClasses, this.embeddingDim]),
        this.learnable,
        `${this.name}/centers`,
      ),
    );
  }

  get trainableVariables(): tf.Variable[] {
    return this.learnable ? [this.centers] : [];
  }

  loss<R extends Reduction = 'mean'>(
    embeddings: tf.Tensor2D,
    labels: Labels,
    options?: CenterLossOptions<R>,
  ): Reduced<R> {
    const fn = 'CenterLoss.loss';
    const { y, reduction, training } = readStatefulLossArgs(
      fn,
      'embeddings',
      embeddings,
      labels,
      options,
      {
        columns: this.embeddingDim,
        numClasses: this.numClasses,
      },
    );
    return tf.tidy(() => {
      const onehot = oneHotRows(y, this.numClasses);
      // A clone pins the centers the loss was computed with: the alpha update below reassigns the
      // variable, and the gradient tape must not see the new values.
      const centers = tf.clone(this.centers);
      const own = gatherRows(centers, y);
      const perSample = tf.mul(tf.sum(tf.square(tf.sub(embeddings, own)), 1), this.lambda / 2);
      if (training && !this.learnable) this.update(embeddings, onehot, own, centers);
      return reduceLosses(perSample as tf.Tensor1D, reduction);
    }) as Reduced<R>;
  }

  /**
   * Wen et al. 2016, eq. 4: delta c_j = sum_{y_i = j}(c_j - x_i) / (1 + n_j); c_j -= alpha delta c_j.
   * A batch holding a NaN or infinite embedding leaves every center as it was: its loss is then
   * non-finite, so a training loop (@face/train's nanGuard) refuses the whole step, and the centers
   * must not move for a step that never happened -- one NaN assigned here would stay forever. The
   * test runs on the backend (no read back), so a finite step costs no sync.
   */
  private update(x: tf.Tensor2D, onehot: tf.Tensor2D, own: tf.Tensor, centers: tf.Tensor): void {
    const sums = tf.matMul(onehot, tf.sub(own, x), true, false);
    const counts = tf.reshape(tf.sum(onehot, 0), [-1, 1]);
    const delta = tf.div(sums, tf.add(counts, 1));
    const moved = tf.sub(centers, tf.mul(delta, this.alpha));
    this.centers.assign(tf.where(tf.all(tf.isFinite(x)), moved, centers) as tf.Tensor2D);
  }

  getConfig(): Required<CenterLossConfig> {
    return {
      numClasses: this.numClasses,
      embeddingDim: this.embeddingDim,
      lambda: this.lambda,
      alpha: this.alpha,
      learnable: this.learnable,
      name: this.name,
    };
  }

  static fromConfig(config: CenterLossConfig): CenterLoss {
    return new CenterLoss(config);
  }

  /** [centers [numClasses, embeddingDim]]: a copy the caller disposes. */
  getWeights(): tf.Tensor[] {
    return [tf.clone(this.centers)];
  }

  setWeights(weights: tf.Tensor[]): void {
    checkWeights('CenterLoss.setWeights', weights, [[this.numClasses, this.embeddingDim]]);
    assignCopy(this.centers, weights[0]);
  }

  /** The centers are all the state; they travel as weights. */
  getState(): JsonValue {
    return {};
  }

  setState(state: unknown): void {
    readStateObject('CenterLoss.setState', state, 'an object');
  }

  dispose(): void {
    this.centers.dispose();
  }
}
