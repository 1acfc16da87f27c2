/**
 * Chooses which images make each batch. `batches(epoch)` is a pure function of the sampler's
 * options and `epoch`, so any batch of any epoch can be recomputed: resuming at (epoch, batch)
 * needs no saved generator state.
 */
export interface Sampler {
  /** Number of batches in every epoch. */
  readonly batchesPerEpoch: number;
  /** The batches of epoch `epoch` (0-based): arrays of image indices. */
  batches(epoch: number): number[][];
}
