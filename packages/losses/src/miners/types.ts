import type * as tf from '@tensorflow/tfjs-core';
import type { DistanceConfig } from '../distances';
import type { Labels } from '../util/labels';

/**
 * Mined triplets as three aligned index arrays into the batch: triplet t is
 * (anchors[t], positives[t], negatives[t]), labels[anchor] = labels[positive] != labels[negative],
 * anchor != positive. Plain Int32Arrays (mining reads distances to the CPU anyway).
 */
export interface Triplets {
  anchors: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
}

/** The built-in miners' types: their registry names (`getMiner`). A custom miner names its own. */
export type TripletMinerType = 'all' | 'hard' | 'semi-hard' | 'batch-hard' | (string & {});

export interface TripletMinerConfig {
  type: TripletMinerType;
  /** Infinity where the miner keeps every triplet of its kind; null for 'hard' (no margin). */
  margin: number | null;
  distance: DistanceConfig;
}

/** Picks triplets from a batch; inject it into {@link tripletLoss} as `miner`. */
export interface TripletMiner {
  readonly type: TripletMinerType;
  mine(embeddings: tf.Tensor2D, labels: Labels): Triplets;
  getConfig(): TripletMinerConfig;
}
