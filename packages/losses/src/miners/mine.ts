import type * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOptions } from '@face/core';
import { type Distance, type DistanceKind, resolveDistance } from '../distances';
import { type Labels, readLabels } from '../util/labels';
import { checkMatrix } from '../util/tensors';
import type { TripletMiner, TripletMinerType, Triplets } from './types';

export interface MinerOptions {
  /** Distance used to rank candidates. Default 'euclidean'. */
  distance?: Distance | DistanceKind;
}

export interface MarginMinerOptions extends MinerOptions {
  margin?: number;
}

/** The batch's distance matrix on the CPU, row-major [n * n], and its validated labels. */
export function readBatch(
  fn: string,
  embeddings: tf.Tensor2D,
  labels: Labels,
  dist: Distance,
): { d: Float32Array; y: Int32Array; n: number } {
  // A triplet needs an anchor and a positive, so a batch of one can never give one.
  checkMatrix(fn, 'embeddings', embeddings, { minRows: 2 });
  const n = embeddings.shape[0];
  const y = readLabels(fn, 'labels', labels, { length: n });
  const matrix = dist.pairwise(embeddings, embeddings);
  const d = matrix.dataSync() as Float32Array;
  matrix.dispose();
  return { d, y, n };
}

/**
 * Every valid triplet (a, p, n) whose gap d(a, n) - d(a, p) passes `keep`, in lexicographic
 * order of (anchor, positive, negative).
 */
export function selectTriplets(
  d: Float32Array,
  y: Int32Array,
  n: number,
  keep: (gap: number) => boolean,
): Triplets {
  const anchors: number[] = [];
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let p = 0; p < n; p++) {
      if (p === a || y[p] !== y[a]) continue;
      const dap = d[a * n + p];
      for (let k = 0; k < n; k++) {
        if (y[k] === y[a] || !keep(d[a * n + k] - dap)) continue;
        anchors.push(a);
        positives.push(p);
        negatives.push(k);
      }
    }
  }
  return {
    anchors: Int32Array.from(anchors),
    positives: Int32Array.from(positives),
    negatives: Int32Array.from(negatives),
  };
}

/** Shared construction of the threshold miners (all, hard, semi-hard). */
export function thresholdMiner(
  fn: string,
  type: TripletMinerType,
  options: MarginMinerOptions | undefined,
  withMargin: boolean,
  defaultMargin: number,
  keep: (gap: number, margin: number) => boolean,
): TripletMiner {
  const opts = checkOptions(fn, options, withMargin ? ['distance', 'margin'] : ['distance']);
  const given = opts.margin ?? defaultMargin;
  const margin = !withMargin
    ? 0
    : given === Infinity
      ? Infinity
      : checkNumber(fn, 'options.margin', given, { min: 0 });
  const dist = resolveDistance(fn, 'options.distance', opts.distance);
  return {
    type,
    mine(embeddings, labels) {
      const { d, y, n } = readBatch(`${fn}.mine`, embeddings, labels, dist);
      return selectTriplets(d, y, n, (gap) => keep(gap, margin));
    },
    getConfig: () => ({ type, margin: withMargin ? margin : null, distance: dist.getConfig() }),
  };
}
