import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, InvalidArgumentError, checkBoolean, checkOptions } from '@face/core';
import { type Distance, type DistanceKind, resolveDistance } from '../distances';
import { allTripletsMiner } from '../miners/all';
import type { TripletMiner, Triplets } from '../miners/types';
import { type Labels, readLabels } from '../util/labels';
import { gatherRows } from '../util/pick';
import { checkMatrix, checkSameShape } from '../util/tensors';
import {
  checkReduction,
  PAIR_REDUCTIONS,
  type PairReduction,
  type Reduced,
  reduceLosses,
} from '../util/reduction';

export interface TripletMarginOptions<R extends PairReduction = PairReduction> {
  /** m of [d(a, p) - d(a, n) + m]_+. Default 0.2 (FaceNet, on unit-norm embeddings). */
  margin?: number;
  /** Default 'euclidean' (plain L2); 'squaredEuclidean' is FaceNet's; a Distance may normalize. */
  distance?: Distance | DistanceKind;
  /**
   * Replace the hinge by softplus(d(a, p) - d(a, n) + m), smooth everywhere (Hermans et al. 2017
   * "soft margin" is the case m = 0). Default false.
   */
  softMargin?: boolean;
  /** Default 'mean' over triplets; 'meanNonZero' averages over the violating ones. */
  reduction?: R;
}

export interface TripletLossOptions<
  R extends PairReduction = PairReduction,
> extends TripletMarginOptions<R> {
  /** Which triplets of the batch to use. Default: every valid triplet (allTripletsMiner()). */
  miner?: TripletMiner;
}

const MARGIN_OPTIONS = ['margin', 'distance', 'softMargin', 'reduction'] as const;

function settings(fn: string, opts: TripletMarginOptions) {
  return {
    margin: checkNumber(fn, 'options.margin', opts.margin ?? 0.2, { min: 0 }),
    dist: resolveDistance(fn, 'options.distance', opts.distance),
    soft: checkBoolean(fn, 'options.softMargin', opts.softMargin, false),
    reduction: checkReduction(fn, opts.reduction, PAIR_REDUCTIONS, 'mean'),
  };
}

function hinge(dap: tf.Tensor1D, dan: tf.Tensor1D, margin: number, soft: boolean): tf.Tensor1D {
  const violation = tf.add(tf.sub(dap, dan), margin);
  return (soft ? tf.softplus(violation) : tf.relu(violation)) as tf.Tensor1D;
}

/**
 * Triplet margin loss on explicit triplets (Schroff et al. 2015, "FaceNet", eq. 1; Weinberger &
 * Saul 2009): rows i of `anchor`, `positive`, `negative` [n, d] form triplet i;
 * loss_i = [d(a_i, p_i) - d(a_i, n_i) + m]_+. Use it with a triplet sampler.
 */
export function tripletMarginLoss<R extends PairReduction = 'mean'>(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  negative: tf.Tensor2D,
  options?: TripletMarginOptions<R>,
): Reduced<R> {
  const fn = 'tripletMarginLoss';
  const { margin, dist, soft, reduction } = settings(fn, checkOptions(fn, options, MARGIN_OPTIONS));
  checkMatrix(fn, 'anchor', anchor, { minRows: 1 });
  checkMatrix(fn, 'positive', positive);
  checkMatrix(fn, 'negative', negative);
  checkSameShape(fn, 'positive', positive, anchor, 'anchor');
  checkSameShape(fn, 'negative', negative, anchor, 'anchor');
  return tf.tidy(() =>
    reduceLosses(
      hinge(dist.paired(anchor, positive), dist.paired(anchor, negative), margin, soft),
      reduction,
    ),
  ) as Reduced<R>;
}

/** A custom miner's output must index the batch: a bad index would read garbage on some backends. */
function checkTriplets(fn: string, t: Triplets, n: number): Triplets {
  const parts = [t?.anchors, t?.positives, t?.negatives];
  const length = parts[0]?.length;
  const ok = parts.every(
    (p) =>
      p !== undefined &&
      p.length === length &&
      Array.prototype.every.call(p, (i: number) => Number.isInteger(i) && i >= 0 && i < n),
  );
  if (!ok) {
    throw new InvalidArgumentError(
      fn,
      'options.miner.mine(...)',
      t,
      `{ anchors, positives, negatives } of equal length with indices in [0, ${n - 1}]`,
    );
  }
  return t;
}

/**
 * Triplet loss over a labelled batch: the miner picks (anchor, positive, negative) index triplets,
 * their distances are read from the batch's pairwise distance matrix (as pytorch-metric-learning's
 * TripletMarginLoss does) and each gives [d(a, p) - d(a, n) + m]_+. No triplet gives a loss of 0
 * that is still connected to `embeddings` (its gradient is zero, not missing).
 */
export function tripletLoss<R extends PairReduction = 'mean'>(
  embeddings: tf.Tensor2D,
  labels: Labels,
  options?: TripletLossOptions<R>,
): Reduced<R> {
  const fn = 'tripletLoss';
  const opts = checkOptions(fn, options, [...MARGIN_OPTIONS, 'miner']);
  const { margin, dist, soft, reduction } = settings(fn, opts);
  const miner = opts.miner ?? allTripletsMiner();
  if (typeof miner !== 'object' || miner === null || typeof miner.mine !== 'function') {
    throw new InvalidArgumentError(fn, 'options.miner', miner, 'a TripletMiner');
  }
  checkMatrix(fn, 'embeddings', embeddings, { minRows: 2 });
  const n = embeddings.shape[0];
  const y = readLabels(fn, 'labels', labels, { length: n });
  const { anchors, positives, negatives } = checkTriplets(fn, miner.mine(embeddings, y), n);
  return tf.tidy(() => {
    const d = tf.reshape(dist.pairwise(embeddings, embeddings), [-1]);
    if (anchors.length === 0) {
      return reduction === 'none' ? tf.tensor1d([]) : tf.mul(tf.sum(d), 0);
    }
    const at = (rows: Int32Array, cols: Int32Array): tf.Tensor1D =>
      gatherRows(
        d as tf.Tensor1D,
        rows.map((r, t) => r * n + cols[t]),
      );
    return reduceLosses(
      hinge(at(anchors, positives), at(anchors, negatives), margin, soft),
      reduction,
    );
  }) as Reduced<R>;
}
