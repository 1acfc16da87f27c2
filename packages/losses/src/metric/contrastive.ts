import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, InvalidArgumentError, ShapeError, checkOptions } from '@face/core';
import { type Distance, type DistanceKind, resolveDistance } from '../distances';
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

export interface ContrastiveOptions<R extends PairReduction = PairReduction> {
  /** m: dissimilar pairs closer than m are pushed apart. Default 1. */
  margin?: number;
  /** D of the formula. Default 'euclidean'. */
  distance?: Distance | DistanceKind;
  /** Default 'mean' over pairs. */
  reduction?: R;
}

const OPTIONS = ['margin', 'distance', 'reduction'] as const;

function settings(fn: string, opts: ContrastiveOptions) {
  return {
    margin: checkNumber(fn, 'options.margin', opts.margin ?? 1, { min: 0 }),
    dist: resolveDistance(fn, 'options.distance', opts.distance),
    reduction: checkReduction(fn, opts.reduction, PAIR_REDUCTIONS, 'mean'),
  };
}

/** Hadsell, Chopra & LeCun 2006, "Dimensionality Reduction by Learning an Invariant Mapping", eq. 4. */
function contrastive(d: tf.Tensor1D, same: tf.Tensor1D, margin: number): tf.Tensor1D {
  const pull = tf.mul(0.5, tf.square(d));
  const push = tf.mul(0.5, tf.square(tf.relu(tf.sub(margin, d))));
  return tf.add(tf.mul(same, pull), tf.mul(tf.sub(1, same), push)) as tf.Tensor1D;
}

/**
 * Contrastive loss on explicit pairs (rows i of `a` and `b`, `same[i]` true for one identity):
 * loss_i = 1/2 D_i^2 for a same-identity pair, 1/2 max(0, m - D_i)^2 otherwise (Hadsell et al.
 * 2006, eq. 4). Use it with pair lists.
 */
export function contrastivePairLoss<R extends PairReduction = 'mean'>(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  same: ArrayLike<boolean>,
  options?: ContrastiveOptions<R>,
): Reduced<R> {
  const fn = 'contrastivePairLoss';
  const { margin, dist, reduction } = settings(fn, checkOptions(fn, options, OPTIONS));
  checkMatrix(fn, 'a', a, { minRows: 1 });
  checkMatrix(fn, 'b', b);
  checkSameShape(fn, 'b', b, a, 'a');
  if (same === null || typeof same !== 'object' || same.length !== a.shape[0]) {
    throw new InvalidArgumentError(fn, 'same', same, `${a.shape[0]} booleans, one per pair`);
  }
  const flags = Float32Array.from({ length: same.length }, (_, i) => {
    if (typeof same[i] !== 'boolean') {
      throw new InvalidArgumentError(fn, `same[${i}]`, same[i], 'a boolean');
    }
    return same[i] ? 1 : 0;
  });
  return tf.tidy(() =>
    reduceLosses(contrastive(dist.paired(a, b), tf.tensor1d(flags), margin), reduction),
  ) as Reduced<R>;
}

/**
 * Contrastive loss over every pair i < j of a labelled batch (same label = similar pair), with
 * distances read from the batch's pairwise matrix. Pair order for 'none': (0,1), (0,2), ..., (1,2), ...
 */
export function contrastiveLoss<R extends PairReduction = 'mean'>(
  embeddings: tf.Tensor2D,
  labels: Labels,
  options?: ContrastiveOptions<R>,
): Reduced<R> {
  const fn = 'contrastiveLoss';
  const { margin, dist, reduction } = settings(fn, checkOptions(fn, options, OPTIONS));
  checkMatrix(fn, 'embeddings', embeddings);
  const n = embeddings.shape[0];
  if (n < 2) throw new ShapeError(fn, 'embeddings', embeddings.shape, 'at least 2 rows (a pair)');
  const y = readLabels(fn, 'labels', labels, { length: n });
  const index: number[] = [];
  const same: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      index.push(i * n + j);
      same.push(y[i] === y[j] ? 1 : 0);
    }
  }
  return tf.tidy(() => {
    const d = tf.reshape(dist.pairwise(embeddings, embeddings), [-1]);
    const pairs = gatherRows(d as tf.Tensor1D, index);
    return reduceLosses(contrastive(pairs, tf.tensor1d(same), margin), reduction);
  }) as Reduced<R>;
}
