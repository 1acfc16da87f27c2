import type { TripletMiner } from './types';
import { type MarginMinerOptions, thresholdMiner } from './mine';

/**
 * Semi-hard triplets: the negative is farther than the positive but inside the margin,
 * d(a, p) < d(a, n) <= d(a, p) + margin (FaceNet, eq. 4). Every such triplet is kept (as
 * pytorch-metric-learning's "semihard"), not one negative per pair. Default margin 0.2.
 */
export function semiHardTripletsMiner(options?: MarginMinerOptions): TripletMiner {
  return thresholdMiner(
    'semiHardTripletsMiner',
    'semi-hard',
    options,
    true,
    0.2,
    (gap, margin) => gap > 0 && gap <= margin,
  );
}
