import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber, checkOptions } from '@face/core';
import { type Labels, oneHotRows } from '../util/labels';
import { type Reduced, type Reduction, reduceLosses } from '../util/reduction';
import {
  assignCopy,
  checkWeights,
  readStatefulLossArgs,
  readStateObject,
  type StatefulLoss,
  uniqueName,
} from '../util/stateful';

export interface OnlineLabelSmoothingConfig {
  numClasses: number;
  /** Weight of the hard-label term: L = alpha * CE(y) + (1 - alpha) * CE(S[y]). Default 0.5. */
  alpha?: number;
  /** Prefix of the variable names. */
  name?: string;
}

// A type alias, not an interface, so that it is a JsonValue (the Stateful contract).
export type OnlineLabelSmoothingState = {
  /** Completed epochs: how many times {@link OnlineLabelSmoothing.nextEpoch} ran. */
  epoch: number;
};

export interface OnlineLabelSmoothingLossOptions<R extends Reduction = Reduction> {
  reduction?: R;
  /** Accumulate this batch's correct predictions into the next epoch's soft labels. Default true. */
  training?: boolean;
}

/**
 * Online label smoothing (Zhang et al. 2021, "Delving Deep into Label Smoothing", arXiv 2011.12562).
 * A class-wise soft-label matrix S [C, C] (row y: the soft target of class y) is built from the
 * model's own predictions: during epoch t, the softmax outputs of the samples it classifies
 * correctly are summed per true class; at the epoch's end each row is divided by its count and
 * becomes S for epoch t + 1. Loss: alpha * CE(z, y) + (1 - alpha) * (-sum_c S[y]_c log softmax(z)_c).
 *
 * As in the authors' code, S starts at zero (epoch 0 trains on the hard term alone) and a class with
 * no correct prediction in an epoch gets a zero row (hard term only) for the next one.
 * Memory: three C x C float matrices, fine for thousands of classes, not for 85k identities.
 */
export class OnlineLabelSmoothing implements StatefulLoss<
  Required<OnlineLabelSmoothingConfig>,
  OnlineLabelSmoothingState
> {
  static readonly className = 'OnlineLabelSmoothing';
  readonly numClasses: number;
  readonly alpha: number;
  readonly name: string;
  private readonly soft: tf.Variable<tf.Rank.R2>;
  private readonly sums: tf.Variable<tf.Rank.R2>;
  private readonly counts: tf.Variable<tf.Rank.R1>;
  private epochs = 0;

  constructor(config: OnlineLabelSmoothingConfig) {
    const fn = 'OnlineLabelSmoothing';
    const c = checkOptions(fn, config, ['numClasses', 'alpha', 'name']);
    this.numClasses = checkInteger(fn, 'config.numClasses', c.numClasses, { min: 2 });
    this.alpha = checkNumber(fn, 'config.alpha', c.alpha ?? 0.5, { min: 0, max: 1 });
    this.name = c.name ?? uniqueName('online_label_smoothing');
    const k = this.numClasses;
    // In a tidy, so the initial tensors are disposed (the variables keep their data).
    const variable = <R extends tf.Rank>(initial: () => tf.Tensor<R>, name: string) =>
      tf.tidy(() => tf.variable(initial(), false, `${this.name}/${name}`));
    this.soft = variable(() => tf.zeros<tf.Rank.R2>([k, k]), 'soft_labels');
    this.sums = variable(() => tf.zeros<tf.Rank.R2>([k, k]), 'sums');
    this.counts = variable(() => tf.zeros<tf.Rank.R1>([k]), 'counts');
  }

  /** Nothing is trained by the optimizer: S comes from statistics. */
  get trainableVariables(): tf.Variable[] {
    return [];
  }

  get epoch(): number {
    return this.epochs;
  }

  /** The soft-label matrix in use this epoch, [C, C] (a copy the caller disposes). */
  softLabels(): tf.Tensor2D {
    return tf.clone(this.soft);
  }

  loss<R extends Reduction = 'mean'>(
    logits: tf.Tensor2D,
    labels: Labels,
    options?: OnlineLabelSmoothingLossOptions<R>,
  ): Reduced<R> {
    const fn = 'OnlineLabelSmoothing.loss';
    const { y, reduction, training } = readStatefulLossArgs(fn, 'logits', logits, labels, options, {
      columns: this.numClasses,
      numClasses: this.numClasses,
    });
    return tf.tidy(() => {
      const onehot = oneHotRows(y, this.numClasses);
      const logProbs = tf.logSoftmax(logits);
      const hard = tf.neg(tf.sum(tf.mul(onehot, logProbs), 1));
      // S is statistics, not trained: a plain gather (no gradient flows to it).
      const softTargets = tf.gather(this.soft, tf.tensor1d(y, 'int32'));
      const soft = tf.neg(tf.sum(tf.mul(softTargets, logProbs), 1));
      const perSample = tf.add(tf.mul(hard, this.alpha), tf.mul(soft, 1 - this.alpha));
      if (training) this.accumulate(logits, logProbs, onehot, y);
      return reduceLosses(perSample as tf.Tensor1D, reduction);
    }) as Reduced<R>;
  }

  /** Sums the predicted distributions of correctly classified samples per true class. */
  private accumulate(
    logits: tf.Tensor2D,
    logProbs: tf.Tensor,
    onehot: tf.Tensor2D,
    labels: Int32Array,
  ): void {
    const correct = tf.reshape(
      tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(labels, 'int32')), 'float32'),
      [-1, 1],
    );
    const hits = tf.mul(onehot, correct);
    this.sums.assign(tf.add(this.sums, tf.matMul(hits, tf.exp(logProbs), true, false)));
    this.counts.assign(tf.add(this.counts, tf.sum(hits, 0)));
  }

  /** Ends an epoch: S <- per-class means of the accumulated predictions; accumulators reset. */
  nextEpoch(): void {
    tf.tidy(() => {
      const n = tf.reshape(this.counts, [-1, 1]);
      // A class without a correct prediction has zero sums: dividing by max(n, 1) keeps its row 0.
      this.soft.assign(tf.div(this.sums, tf.maximum(n, 1)) as tf.Tensor2D);
      this.sums.assign(tf.zerosLike(this.sums));
      this.counts.assign(tf.zerosLike(this.counts));
    });
    this.epochs += 1;
  }

  getConfig(): Required<OnlineLabelSmoothingConfig> {
    return { numClasses: this.numClasses, alpha: this.alpha, name: this.name };
  }

  static fromConfig(config: OnlineLabelSmoothingConfig): OnlineLabelSmoothing {
    return new OnlineLabelSmoothing(config);
  }

  /** [soft labels [C, C], accumulated sums [C, C], counts [C]]: copies the caller disposes. */
  getWeights(): tf.Tensor[] {
    return [tf.clone(this.soft), tf.clone(this.sums), tf.clone(this.counts)];
  }

  setWeights(weights: tf.Tensor[]): void {
    const k = this.numClasses;
    checkWeights('OnlineLabelSmoothing.setWeights', weights, [[k, k], [k, k], [k]]);
    assignCopy(this.soft, weights[0]);
    assignCopy(this.sums, weights[1]);
    assignCopy(this.counts, weights[2]);
  }

  getState(): OnlineLabelSmoothingState {
    return { epoch: this.epochs };
  }

  setState(state: unknown): void {
    const fn = 'OnlineLabelSmoothing.setState';
    const s = readStateObject(fn, state, '{ epoch }');
    this.epochs = checkInteger(fn, 'state.epoch', s.epoch, { min: 0 });
  }

  dispose(): void {
    tf.dispose([this.soft, this.sums, this.counts]);
  }
}
