import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Rng, ShapeError, checkInteger, checkOneOf } from '@face/core';
import { ImageDecodeError, type OnError, type Problem } from './errors';
import type { DecodedImage } from './image';
import type { Sampler } from './samplers/sampler';
import { groupByLabel } from './labels';
import { replacementCandidates } from './replacement';
import { deriveSeed } from './seed';
import type { FaceDataset } from './sources/dataset';
import { groupIndices, restoreOrder, type Transform } from './transforms/transform';

/**
 * One batch. The consumer owns `images` and `labels` and disposes them (`disposeBatch(batch)`)
 * when done; the loader never touches a batch after handing it out.
 */
export interface Batch {
  /** float32 [n, H, W, 3]: the transform's output (0..255 pixels if there is no transform). */
  images: tf.Tensor4D;
  /** int32 [n]: identity labels. */
  labels: tf.Tensor1D;
  /** Position in the run: epoch and batch index within it (resume from batch + 1). */
  epoch: number;
  batch: number;
  /**
   * Dataset index of each image: the sampler's batch, where a bad file (onError 'skip') is
   * replaced by the index of the image that took its place, or left out when it was dropped.
   */
  indices: number[];
}

export interface DataLoaderOptions {
  sampler: Sampler;
  /** Applied to each batch (images of one size at a time; the outputs must share a size). */
  transform?: Transform;
  /** Seed of the augmentation: image j of batch b of epoch e draws from Rng(deriveSeed(seed, e, b, j)). */
  seed?: number;
  /** Batches prepared ahead while the consumer works on one. Default 2. */
  prefetch?: number;
  /** Images read and decoded at once. Default 8. */
  concurrency?: number;
  /**
   * A file that fails to load (an ImageDecodeError): 'throw' (default) rejects the batch; 'skip'
   * records it in `skipped` and fills its place (see `replace`).
   */
  onError?: OnError;
  /**
   * With onError 'skip': true (default) puts another image in a bad image's place so batches keep
   * their size - another image of the same identity when one loads, else of another identity,
   * chosen by `replacementCandidates` from (seed, epoch, batch, position) alone, so a resumed run
   * builds the same batches; if none of those loads, the place is dropped. False drops every bad
   * image (evaluation, where each image counts once).
   */
  replace?: boolean;
  /** Called the first time a file is skipped (with onError 'skip'). */
  onSkip?: (problem: Problem) => void;
}

export interface IterateOptions {
  /** First epoch. Default 0. */
  epoch?: number;
  /** First batch within the first epoch (resume: the saved batch + 1). Default 0. */
  batch?: number;
  /** Stop before this epoch. Default: never (iterate until the consumer stops). */
  endEpoch?: number;
}

/** Disposes a batch's tensors. */
export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.images, batch.labels]);
}

/** Runs at most `max` async jobs at a time, first come first served. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await job();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Turns a dataset and a sampler into batches of tensors: an async iterator with prefetch,
 * bounded memory and exact resume.
 *
 * - Memory: at most `prefetch` batches are being prepared while the consumer holds one, and at
 *   most `concurrency` files are being read; nothing else is kept.
 * - Ownership: a yielded batch belongs to the consumer (dispose it). Batches prepared but not
 *   yet handed out belong to the loader, which disposes them when the iteration ends early
 *   (`break`, `return()`, or an error).
 * - Determinism: batch b of epoch e depends only on (dataset, sampler options, transform, seed,
 *   e, b), never on timing, prefetch or concurrency. Resuming with `epoch(e, { startBatch: b })`
 *   or `iterate({ epoch: e, batch: b })` yields exactly the batches an uninterrupted run would.
 */
export class DataLoader {
  /** Files skipped so far (onError 'skip'), each once however many epochs meet it. */
  readonly skipped: Problem[] = [];
  /** Batch places a bad file left and another image filled, counted in every epoch. */
  replaced = 0;
  /** Batch places a bad file left and nothing filled (batches one image short), in every epoch. */
  dropped = 0;
  private readonly skippedPaths = new Set<string>();
  /** Dataset indices known not to load: not read again (the outcome is the same, the I/O is not). */
  private readonly bad = new Set<number>();
  private groups: number[][] | null = null;
  private readonly replace: boolean;
  private readonly sampler: Sampler;
  private readonly transform?: Transform;
  private readonly seed: number;
  private readonly prefetch: number;
  private readonly onError: OnError;
  private readonly onSkip?: (problem: Problem) => void;
  private readonly limiter: Limiter;

  constructor(
    readonly dataset: FaceDataset,
    options: DataLoaderOptions,
  ) {
    const fn = 'DataLoader';
    if (!dataset || typeof dataset.load !== 'function' || !(dataset.labels instanceof Int32Array)) {
      throw new InvalidArgumentError(fn, 'dataset', dataset, 'a FaceDataset');
    }
    const {
      sampler,
      transform,
      seed = 0,
      prefetch = 2,
      concurrency = 8,
      onError = 'throw',
      replace = true,
      onSkip,
    } = options ?? ({} as DataLoaderOptions);
    if (!sampler || typeof sampler.batches !== 'function')
      throw new InvalidArgumentError(fn, 'sampler', sampler, 'a Sampler');
    if (transform !== undefined && typeof transform?.apply !== 'function')
      throw new InvalidArgumentError(fn, 'transform', transform, 'a Transform');
    checkInteger(fn, 'seed', seed);
    checkInteger(fn, 'prefetch', prefetch, { min: 0 });
    checkInteger(fn, 'concurrency', concurrency, { min: 1 });
    checkOneOf(fn, 'onError', onError, ['throw', 'skip']);
    if (typeof replace !== 'boolean')
      throw new InvalidArgumentError(fn, 'replace', replace, 'true or false');
    this.sampler = sampler;
    this.transform = transform;
    this.seed = seed;
    this.prefetch = prefetch;
    this.onError = onError;
    this.replace = replace;
    this.onSkip = onSkip;
    this.limiter = new Limiter(concurrency);
  }

  /** Distinct files skipped so far (onError 'skip'): each bad file counts once across epochs. */
  get skippedCount(): number {
    return this.skippedPaths.size;
  }

  get batchesPerEpoch(): number {
    return this.sampler.batchesPerEpoch;
  }

  /** The batches of one epoch, from `startBatch` on. */
  async *epoch(
    epoch: number,
    options: { startBatch?: number } = {},
  ): AsyncGenerator<Batch, void, undefined> {
    checkInteger('DataLoader.epoch', 'epoch', epoch, { min: 0 });
    const plan = this.sampler.batches(epoch);
    const { startBatch = 0 } = options;
    checkInteger('DataLoader.epoch', 'startBatch', startBatch, { min: 0, max: plan.length });
    const pending: Promise<Batch | null>[] = [];
    let next = startBatch;
    try {
      while (next < plan.length || pending.length > 0) {
        // Keep the next `prefetch` + 1 batches under way, then wait for the first of them.
        while (pending.length < this.prefetch + 1 && next < plan.length) {
          const job = this.makeBatch(epoch, next, plan[next]);
          job.catch(() => undefined); // handled when awaited; avoids an unhandled rejection meanwhile
          pending.push(job);
          next++;
        }
        const batch = await (pending.shift() as Promise<Batch | null>);
        if (batch) yield batch;
      }
    } finally {
      for (const r of await Promise.allSettled(pending.splice(0))) {
        if (r.status === 'fulfilled' && r.value) disposeBatch(r.value);
      }
    }
  }

  /** Epoch after epoch from a position (default: the start), until `endEpoch` or the consumer stops. */
  async *iterate(options: IterateOptions = {}): AsyncGenerator<Batch, void, undefined> {
    const { epoch = 0, batch = 0, endEpoch = Infinity } = options;
    checkInteger('DataLoader.iterate', 'epoch', epoch, { min: 0 });
    for (let e = epoch; e < endEpoch; e++)
      yield* this.epoch(e, { startBatch: e === epoch ? batch : 0 });
  }

  [Symbol.asyncIterator](): AsyncGenerator<Batch, void, undefined> {
    return this.epoch(0);
  }

  /** Batch `batch` of epoch `epoch`, alone (no prefetch). */
  async batch(epoch: number, batch: number): Promise<Batch | null> {
    checkInteger('DataLoader.batch', 'epoch', epoch, { min: 0 });
    const plan = this.sampler.batches(epoch);
    checkInteger('DataLoader.batch', 'batch', batch, { min: 0, max: plan.length - 1 });
    return this.makeBatch(epoch, batch, plan[batch]);
  }

  /** Loads image `index`; null if it is bad and the policy is 'skip' (recorded once). */
  private async tryLoad(index: number): Promise<DecodedImage | null> {
    if (this.bad.has(index)) return null;
    try {
      return await this.dataset.load(index);
    } catch (err) {
      if (this.onError === 'throw' || !(err instanceof ImageDecodeError)) throw err;
      this.bad.add(index);
      // Each bad file is reported once, however many epochs meet it.
      if (!this.skippedPaths.has(err.path)) {
        const problem = { path: err.path, reason: err.reason };
        this.skippedPaths.add(err.path);
        this.skipped.push(problem);
        this.onSkip?.(problem);
      }
      return null;
    }
  }

  /** The image at `position` of a batch, or the first replacement that loads (onError 'skip'). */
  private async loadPlace(
    epoch: number,
    batch: number,
    planned: number[],
    position: number,
  ): Promise<{ image: DecodedImage; index: number } | null> {
    const index = planned[position];
    const image = await this.tryLoad(index);
    if (image) return { image, index };
    if (!this.replace) return null;
    const labels = this.dataset.labels;
    this.groups ??= groupByLabel(
      labels,
      labels.reduce((m, y) => Math.max(m, y + 1), 0),
    );
    const candidates = replacementCandidates(labels, this.groups[labels[index]], planned, {
      seed: this.seed,
      epoch,
      batch,
      position,
    });
    for (const other of candidates) {
      const found = await this.tryLoad(other);
      if (found) {
        this.replaced++;
        return { image: found, index: other };
      }
    }
    this.dropped++;
    return null;
  }

  private async makeBatch(epoch: number, batch: number, indices: number[]): Promise<Batch | null> {
    const loaded = await Promise.all(
      indices.map((_, position) =>
        this.limiter.run(() => this.loadPlace(epoch, batch, indices, position)),
      ),
    );
    const kept: { image: DecodedImage; index: number; position: number }[] = [];
    loaded.forEach((place, position) => {
      if (place) kept.push({ ...place, position });
    });
    if (kept.length === 0) return null;
    const rngs = kept.map((k) => new Rng(deriveSeed(this.seed, epoch, batch, k.position)));
    const { images, labels } = tf.tidy(() => {
      const images = this.assemble(
        kept.map((k) => k.image),
        rngs,
      );
      const labels = tf.tensor1d(
        kept.map((k) => this.dataset.labels[k.index]),
        'int32',
      );
      return { images, labels };
    });
    // The batch may be built while the consumer has an engine scope open; keep it out of that scope.
    tf.keep(images);
    tf.keep(labels);
    return { images, labels, epoch, batch, indices: kept.map((k) => k.index) };
  }

  /**
   * Turns decoded images into one batch tensor. With a transform that has `applyToPixels` (every
   * built-in one), each image is augmented in memory and the batch is made once; otherwise images
   * are stacked by size and the transform's tensor path runs per group, order restored.
   */
  private assemble(images: DecodedImage[], rngs: Rng[]): tf.Tensor4D {
    const t = this.transform;
    if (!t || t.applyToPixels) {
      const outs = images.map((img, i) => {
        if (!t) return img; // batch.set converts the bytes to floats below
        const pixels = { data: Float32Array.from(img.data), height: img.height, width: img.width };
        return t.applyToPixels!(pixels, rngs[i]);
      });
      const { height: h, width: w } = outs[0];
      const batch = new Float32Array(outs.length * h * w * 3);
      outs.forEach((o, i) => {
        if (o.height !== h || o.width !== w) {
          throw new ShapeError(
            'DataLoader',
            'batch images',
            [outs.length, o.height, o.width, 3],
            `one size per batch ([*, ${h}, ${w}, 3]); add resize/centerCrop to the transform`,
          );
        }
        batch.set(o.data, i * h * w * 3);
      });
      return tf.tensor4d(batch, [outs.length, h, w, 3]);
    }
    return this.assembleTensors(images, rngs);
  }

  /** Tensor path: stacks images by size, applies the transform per group, restores the order. */
  private assembleTensors(images: DecodedImage[], rngs: Rng[]): tf.Tensor4D {
    const groups = groupIndices(images, (img) => `${img.height}x${img.width}`);
    const parts: tf.Tensor4D[] = [];
    for (const members of groups) {
      const { height, width } = images[members[0]];
      const pixels = height * width * 3;
      const data = new Float32Array(members.length * pixels);
      members.forEach((m, j) => data.set(images[m].data, j * pixels));
      const x = tf.tensor4d(data, [members.length, height, width, 3]);
      parts.push(
        this.transform
          ? this.transform.apply(
              x,
              members.map((m) => rngs[m]),
            )
          : x,
      );
    }
    const [, h, w] = parts[0].shape;
    for (const p of parts) {
      if (p.shape[1] !== h || p.shape[2] !== w) {
        throw new ShapeError(
          'DataLoader',
          'batch images',
          p.shape,
          `one size per batch ([*, ${h}, ${w}, 3]); add resize/centerCrop to the transform`,
        );
      }
    }
    return restoreOrder(parts, groups);
  }
}
