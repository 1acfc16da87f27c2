import { InvalidArgumentError, Rng, checkInteger } from '@face/core';
import { groupByLabel, presentLabels, readLabels, type LabelSource } from '../labels';
import { deriveSeed } from '../seed';
import type { Sampler } from './sampler';

export interface TripletSamplerOptions {
  /** Triplets per batch; a batch holds 3x as many images. */
  tripletsPerBatch: number;
  /** Default: floor(images / (3 * tripletsPerBatch)), at least 1. */
  batchesPerEpoch?: number;
  seed?: number;
}

/**
 * Random (anchor, positive, negative) triplets: the anchor's identity is uniform among those
 * with at least two images, anchor and positive are two distinct images of it, the negative is a
 * uniform image of another uniform identity. A batch is laid out
 * [anchors..., positives..., negatives...], so embeddings split into three equal parts.
 */
export class TripletSampler implements Sampler {
  readonly batchesPerEpoch: number;
  readonly tripletsPerBatch: number;
  private readonly groups: number[][];
  private readonly anchors: number[];
  private readonly identities: number[];
  /** Position of each identity in `identities`. */
  private readonly position: number[];
  private readonly seed: number;

  constructor(labels: LabelSource, options: TripletSamplerOptions) {
    const fn = 'TripletSampler';
    const { tripletsPerBatch, seed = 0 } = options ?? ({} as TripletSamplerOptions);
    checkInteger(fn, 'tripletsPerBatch', tripletsPerBatch, { min: 1 });
    checkInteger(fn, 'seed', seed);
    const { labels: y, numClasses } = readLabels(fn, 'labels', labels);
    this.groups = groupByLabel(y, numClasses);
    this.identities = presentLabels(this.groups);
    this.position = [];
    this.identities.forEach((c, i) => (this.position[c] = i));
    this.anchors = this.identities.filter((c) => this.groups[c].length >= 2);
    if (this.anchors.length === 0 || this.identities.length < 2) {
      throw new InvalidArgumentError(
        fn,
        'labels',
        labels,
        'at least 2 identities, one of them with 2 or more images',
      );
    }
    this.batchesPerEpoch =
      options.batchesPerEpoch ?? Math.max(1, Math.floor(y.length / (3 * tripletsPerBatch)));
    checkInteger(fn, 'batchesPerEpoch', this.batchesPerEpoch, { min: 1 });
    this.tripletsPerBatch = tripletsPerBatch;
    this.seed = seed;
  }

  batches(epoch: number): number[][] {
    checkInteger('TripletSampler.batches', 'epoch', epoch, { min: 0 });
    const rng = new Rng(deriveSeed(this.seed, epoch));
    const out: number[][] = [];
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      const a: number[] = [];
      const p: number[] = [];
      const n: number[] = [];
      for (let t = 0; t < this.tripletsPerBatch; t++) {
        const c = this.anchors[rng.int(this.anchors.length)];
        const images = this.groups[c];
        const i = rng.int(images.length);
        const j = (i + 1 + rng.int(images.length - 1)) % images.length;
        // A uniform other identity: draw among the other len - 1 positions, skipping c's.
        let o = rng.int(this.identities.length - 1);
        if (o >= this.position[c]) o++;
        const others = this.groups[this.identities[o]];
        a.push(images[i]);
        p.push(images[j]);
        n.push(others[rng.int(others.length)]);
      }
      out.push([...a, ...p, ...n]);
    }
    return out;
  }
}
