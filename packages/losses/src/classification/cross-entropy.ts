import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, InvalidArgumentError, ShapeError, checkOptions } from '@face/core';
import { type Labels, oneHotRows, readLabels } from '../util/labels';
import { checkMatrix } from '../util/tensors';
import {
  checkReduction,
  type Reduced,
  type Reduction,
  reduceLosses,
  REDUCTIONS,
} from '../util/reduction';

export interface CrossEntropyOptions<R extends Reduction = Reduction> {
  /**
   * e in [0, 1): the target becomes (1 - e) * target + e / C, C counting the true class too
   * (PyTorch's `label_smoothing`; Szegedy et al. 2016, "Rethinking the Inception Architecture", 7).
   */
  labelSmoothing?: number;
  /** Default 'mean' over the batch. */
  reduction?: R;
}

/**
 * Softmax cross-entropy of `logits` [n, C] against class `labels` (n integers in [0, C)) or a
 * [n, C] tensor of target probabilities: loss_i = -sum_c t_ic log softmax(z_i)_c, with PyTorch's
 * `F.cross_entropy` semantics for label smoothing and reduction. Each probability row must be a
 * distribution: no negative entry, summing to 1 within {@link TARGET_SUM_TOLERANCE}.
 */
export function crossEntropy<R extends Reduction = 'mean'>(
  logits: tf.Tensor2D,
  target: Labels | tf.Tensor2D,
  options?: CrossEntropyOptions<R>,
): Reduced<R> {
  const fn = 'crossEntropy';
  const opts = checkOptions(fn, options, ['labelSmoothing', 'reduction']);
  const smoothing = checkNumber(fn, 'options.labelSmoothing', opts.labelSmoothing ?? 0, {
    min: 0,
    max: 1,
    exclusiveMax: true,
  });
  const reduction = checkReduction(fn, opts.reduction, REDUCTIONS, 'mean');
  checkMatrix(fn, 'logits', logits);
  const [n, numClasses] = logits.shape;
  let probabilities: tf.Tensor2D | undefined;
  let labels: Int32Array | undefined;
  if (target instanceof tf.Tensor && target.rank === 2) {
    checkMatrix(fn, 'target', target);
    if (target.shape[0] !== n || target.shape[1] !== numClasses) {
      throw new ShapeError(fn, 'target', target.shape, `shape [${n}, ${numClasses}] as logits`);
    }
    probabilities = target as tf.Tensor2D;
    checkProbabilityRows(fn, 'target', probabilities);
  } else {
    labels = readLabels(fn, 'target', target as Labels, { numClasses, length: n });
  }
  return softmaxCrossEntropy(
    logits,
    probabilities ?? (labels as Int32Array),
    smoothing,
    reduction,
  ) as Reduced<R>;
}

/**
 * How far a probability row's sum may be from 1: float32 round-off of a softmax over 10^5
 * classes stays well inside it, while a mistake (counts, logits, a lost normalization) is far
 * outside. (PyTorch checks nothing here; a row summing to s gives the gradient s p - t, which
 * pulls every logit, and a negative entry makes the loss negative.)
 */
export const TARGET_SUM_TOLERANCE = 1e-3;

/**
 * Throws unless every row of `t` is a probability distribution. Cost: per-row reductions on the
 * backend and one read back of 4 numbers (the first bad row, its smallest entry and its sum) --
 * the [n, C] targets never leave the backend. Label indices, the training recipes' path, skip it.
 */
function checkProbabilityRows(fn: string, argument: string, t: tf.Tensor2D): void {
  const summary = tf.tidy(() => {
    const rowMin = tf.min(t, 1);
    const rowSum = tf.sum(t, 1);
    // NaN fails both comparisons, so a NaN or infinite entry is caught by its row's sum.
    const ok = tf.logicalAnd(
      tf.greaterEqual(rowMin, 0),
      tf.lessEqual(tf.abs(tf.sub(rowSum, 1)), TARGET_SUM_TOLERANCE),
    );
    const bad = tf.cast(tf.logicalNot(ok), 'float32');
    const row = tf.argMax(bad);
    return tf.stack([
      tf.max(bad),
      tf.cast(row, 'float32'),
      tf.gather(rowMin, row),
      tf.gather(rowSum, row),
    ]);
  });
  const [anyBad, row, min, sum] = summary.dataSync();
  summary.dispose();
  if (!anyBad) return;
  if (!(min >= 0))
    throw new InvalidArgumentError(
      fn,
      `${argument}[${row}]`,
      min,
      'probabilities (no entry below 0)',
    );
  throw new InvalidArgumentError(
    fn,
    `the sum of ${argument}[${row}]`,
    sum,
    `1 within ${TARGET_SUM_TOLERANCE} (each row a probability distribution)`,
  );
}

/**
 * `crossEntropy` on arguments already checked (a margin head's loss checks them itself): the
 * target is class indices or an [n, C] probability matrix matching `logits`.
 */
export function softmaxCrossEntropy<R extends Reduction>(
  logits: tf.Tensor2D,
  target: Int32Array | tf.Tensor2D,
  smoothing: number,
  reduction: R,
): Reduced<R> {
  const numClasses = logits.shape[1];
  return tf.tidy(() => {
    const t = target instanceof Int32Array ? oneHotRows(target, numClasses) : target;
    const smoothed = smoothing > 0 ? tf.add(tf.mul(t, 1 - smoothing), smoothing / numClasses) : t;
    const perSample = tf.neg(tf.sum(tf.mul(smoothed, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
    return reduceLosses(perSample, reduction);
  }) as Reduced<R>;
}
