import { InvalidArgumentError, Rng, checkInteger } from '@face/core';
import { groupByLabel, presentLabels, readLabels, type LabelSource } from '../labels';
import { deriveSeed } from '../seed';
import type { Sampler } from './sampler';

export interface PKSamplerOptions {
  /** Identities per batch. */
  p: number;
  /** Images per identity per batch. */
  k: number;
  /** Default: as many as cover the images once, floor(images / (p * k)), at least 1. */
  batchesPerEpoch?: number;
  seed?: number;
}

/**
 * Class-balanced batches of P identities x K images each (Hermans et al., "In Defense of the
 * Triplet Loss", 2017), laid out identity by identity: [id1 x K, id2 x K, ...].
 *
 * Identities are taken from a shuffled cycle so each appears about equally often; the P in a
 * batch are distinct. An identity with at least K images gives K distinct ones, walking a shuffled
 * cycle of its images; one with fewer than K is sampled with replacement.
 */
export class PKSampler implements Sampler {
  readonly batchesPerEpoch: number;
  readonly p: number;
  readonly k: number;
  private readonly groups: number[][];
  private readonly identities: number[];
  private readonly seed: number;

  constructor(labels: LabelSource, options: PKSamplerOptions) {
    const fn = 'PKSampler';
    const { p, k, seed = 0 } = options ?? ({} as PKSamplerOptions);
    checkInteger(fn, 'p', p, { min: 1 });
    checkInteger(fn, 'k', k, { min: 1 });
    checkInteger(fn, 'seed', seed);
    const { labels: y, numClasses } = readLabels(fn, 'labels', labels);
    this.groups = groupByLabel(y, numClasses);
    this.identities = presentLabels(this.groups);
    if (p > this.identities.length) {
      throw new InvalidArgumentError(
        fn,
        'p',
        p,
        `at most the number of identities (${this.identities.length})`,
      );
    }
    this.batchesPerEpoch = options.batchesPerEpoch ?? Math.max(1, Math.floor(y.length / (p * k)));
    checkInteger(fn, 'batchesPerEpoch', this.batchesPerEpoch, { min: 1 });
    this.p = p;
    this.k = k;
    this.seed = seed;
  }

  batches(epoch: number): number[][] {
    checkInteger('PKSampler.batches', 'epoch', epoch, { min: 0 });
    const rng = new Rng(deriveSeed(this.seed, epoch));
    let cycle: number[] = [];
    const pools = new Map<number, number[]>();
    const out: number[][] = [];
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      const chosen: number[] = [];
      const deferred: number[] = [];
      while (chosen.length < this.p) {
        if (cycle.length === 0) cycle = rng.shuffle([...this.identities]);
        const c = cycle.pop() as number;
        // An identity already in this batch waits for the next one.
        if (chosen.includes(c)) deferred.push(c);
        else chosen.push(c);
      }
      cycle.push(...deferred);
      const batch: number[] = [];
      for (const c of chosen) {
        const images = this.groups[c];
        if (images.length < this.k) {
          for (let i = 0; i < this.k; i++) batch.push(images[rng.int(images.length)]);
          continue;
        }
        let pool = pools.get(c);
        if (!pool || pool.length < this.k) {
          pool = rng.shuffle([...images]);
          pools.set(c, pool);
        }
        batch.push(...pool.splice(pool.length - this.k, this.k));
      }
      out.push(batch);
    }
    return out;
  }
}
