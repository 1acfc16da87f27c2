import { checkNumber, checkOptions } from '@face/core';
import { resolveDistance } from '../distances';
import { type MarginMinerOptions, readBatch } from './mine';
import type { TripletMiner, Triplets } from './types';

/**
 * Batch hard (Hermans et al. 2017, "In Defense of the Triplet Loss", eq. 5): for each anchor, its
 * farthest positive and its closest negative; one triplet per anchor that has both, in anchor
 * order, ties to the lowest index. With a finite margin only triplets with
 * d(a, n) - d(a, p) <= margin (a non-zero hinge) are kept. Default margin Infinity.
 */
export function batchHardMiner(options?: MarginMinerOptions): TripletMiner {
  const fn = 'batchHardMiner';
  const opts = checkOptions(fn, options, ['distance', 'margin']);
  const margin =
    opts.margin === undefined || opts.margin === Infinity
      ? Infinity
      : checkNumber(fn, 'options.margin', opts.margin, { min: 0 });
  const dist = resolveDistance(fn, 'options.distance', opts.distance);
  return {
    type: 'batch-hard',
    mine(embeddings, labels): Triplets {
      const { d, y, n } = readBatch(`${fn}.mine`, embeddings, labels, dist);
      const anchors: number[] = [];
      const positives: number[] = [];
      const negatives: number[] = [];
      for (let a = 0; a < n; a++) {
        let p = -1;
        let k = -1;
        for (let j = 0; j < n; j++) {
          if (j === a) continue;
          const dj = d[a * n + j];
          if (y[j] === y[a]) {
            if (p < 0 || dj > d[a * n + p]) p = j;
          } else if (k < 0 || dj < d[a * n + k]) {
            k = j;
          }
        }
        if (p < 0 || k < 0 || d[a * n + k] - d[a * n + p] > margin) continue;
        anchors.push(a);
        positives.push(p);
        negatives.push(k);
      }
      return {
        anchors: Int32Array.from(anchors),
        positives: Int32Array.from(positives),
        negatives: Int32Array.from(negatives),
      };
    },
    getConfig: () => ({ type: 'batch-hard', margin, distance: dist.getConfig() }),
  };
}
