import type { TripletMiner } from './types';
import { type MinerOptions, thresholdMiner } from './mine';

/**
 * Hard triplets: the negative is no farther than the positive, d(a, n) <= d(a, p) (Schroff et al.
 * 2015, "FaceNet", 3.2). No margin: hardness is relative to the positive alone.
 */
export function hardTripletsMiner(options?: MinerOptions): TripletMiner {
  return thresholdMiner('hardTripletsMiner', 'hard', options, false, 0, (gap) => gap <= 0);
}
