import type { TripletMiner } from './types';
import { type MarginMinerOptions, thresholdMiner } from './mine';

/**
 * All valid triplets with d(a, n) - d(a, p) <= margin: with the loss's margin, exactly those with
 * a non-zero hinge loss. Default margin Infinity: every valid triplet of the batch
 * (pytorch-metric-learning's TripletMarginMiner, type "all").
 */
export function allTripletsMiner(options?: MarginMinerOptions): TripletMiner {
  return thresholdMiner(
    'allTripletsMiner',
    'all',
    options,
    true,
    Infinity,
    (gap, margin) => gap <= margin,
  );
}
