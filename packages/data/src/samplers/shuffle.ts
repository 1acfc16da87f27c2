import { Rng, checkInteger } from '@face/core';
import { deriveSeed } from '../seed';
import type { Sampler } from './sampler';

export interface ShuffleSamplerOptions {
  batchSize: number;
  /** Shuffle each epoch (default true); false keeps index order. */
  shuffle?: boolean;
  /** Drop the last, smaller batch. Default false. */
  dropLast?: boolean;
  seed?: number;
}

/** Every image once per epoch, in a fresh random order each epoch. */
export class ShuffleSampler implements Sampler {
  readonly batchesPerEpoch: number;
  readonly size: number;
  private readonly options: Required<ShuffleSamplerOptions>;

  /** `dataset`: a dataset (its `size`) or a number of images. */
  constructor(dataset: number | { readonly size: number }, options: ShuffleSamplerOptions) {
    const fn = 'ShuffleSampler';
    const size = typeof dataset === 'number' ? dataset : dataset?.size;
    checkInteger(fn, 'dataset.size', size, { min: 1 });
    const { batchSize, shuffle = true, dropLast = false, seed = 0 } = options ?? {};
    checkInteger(fn, 'batchSize', batchSize, { min: 1 });
    checkInteger(fn, 'seed', seed);
    if (dropLast) checkInteger(fn, 'batchSize', batchSize, { min: 1, max: size });
    this.size = size;
    this.options = { batchSize, shuffle, dropLast, seed };
    this.batchesPerEpoch = dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
  }

  batches(epoch: number): number[][] {
    checkInteger('ShuffleSampler.batches', 'epoch', epoch, { min: 0 });
    const order = this.options.shuffle
      ? new Rng(deriveSeed(this.options.seed, epoch)).permutation(this.size)
      : Array.from({ length: this.size }, (_, i) => i);
    const out: number[][] = [];
    const b = this.options.batchSize;
    for (let i = 0; i < this.batchesPerEpoch; i++) out.push(order.slice(i * b, (i + 1) * b));
    return out;
  }
}
