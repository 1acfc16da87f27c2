import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@face/core';
import { expectFlatMemory, loadFixture } from '@face/test-support';
import { pinnedBatches } from './determinism';
import {
  DataLoader,
  ImageDecodeError,
  PKSampler,
  ShuffleSampler,
  SyntheticFaces,
  compose,
  disposeBatch,
  randomCrop,
  randomHorizontalFlip,
  resize,
  type Batch,
  type DecodedImage,
  type FaceDataset,
} from '@face/data';

const faces = new SyntheticFaces({ identities: 6, imagesPerIdentity: 4, size: 16, seed: 3 });
const augment = compose([randomCrop(12, { padding: 1 }), randomHorizontalFlip()]);

async function collect(
  iter: AsyncIterable<Batch>,
): Promise<
  { indices: number[]; labels: number[]; images: number[]; epoch: number; batch: number }[]
> {
  const out = [];
  for await (const b of iter) {
    out.push({
      indices: b.indices,
      labels: Array.from(b.labels.dataSync()),
      images: Array.from(b.images.dataSync()),
      epoch: b.epoch,
      batch: b.batch,
    });
    disposeBatch(b);
  }
  return out;
}

/** Wraps a dataset to count loads in flight and optionally fail some indices. */
function instrumented(base: FaceDataset, bad = new Set<number>()) {
  const stats = { active: 0, maxActive: 0, loads: 0 };
  const ds: FaceDataset = {
    size: base.size,
    labels: base.labels,
    classNames: base.classNames,
    source: (i) => base.source(i),
    async load(i): Promise<DecodedImage> {
      stats.active++;
      stats.loads++;
      stats.maxActive = Math.max(stats.maxActive, stats.active);
      await new Promise((r) => setTimeout(r, 1));
      stats.active--;
      if (bad.has(i)) throw new ImageDecodeError(`bad-${i}.jpg`, 'truncated');
      return base.load(i);
    },
  };
  return { ds, stats };
}

describe('DataLoader', () => {
  it('yields float32 images and int32 labels of the sampled images', async () => {
    const loader = new DataLoader(faces, {
      sampler: new ShuffleSampler(faces, { batchSize: 5, seed: 1 }),
    });
    const seen: number[] = [];
    for await (const b of loader) {
      expect(b.images.dtype).toBe('float32');
      expect(b.labels.dtype).toBe('int32');
      expect(b.images.shape.slice(1)).toEqual([16, 16, 3]);
      expect(Array.from(b.labels.dataSync())).toEqual(b.indices.map((i) => faces.labels[i]));
      // No transform: the pixels are the dataset's.
      expect(Array.from(b.images.dataSync().slice(0, 768))).toEqual(
        Array.from(faces.loadSync(b.indices[0]).data),
      );
      seen.push(...b.indices);
      disposeBatch(b);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: faces.size }, (_, i) => i));
  });

  it('same seed -> same batches, whatever the prefetch and concurrency; another seed differs', async () => {
    const make = (prefetch: number, concurrency: number, seed = 7) =>
      new DataLoader(faces, {
        sampler: new PKSampler(faces, { p: 3, k: 2, seed: 2 }),
        transform: augment,
        seed,
        prefetch,
        concurrency,
      });
    const a = await collect(make(0, 1).iterate({ endEpoch: 2 }));
    const b = await collect(make(3, 5).iterate({ endEpoch: 2 }));
    expect(b).toEqual(a);
    const c = await collect(make(2, 2, 8).iterate({ endEpoch: 2 }));
    expect(c.map((x) => x.indices)).toEqual(a.map((x) => x.indices)); // sampler seed unchanged
    expect(c.map((x) => x.images)).not.toEqual(a.map((x) => x.images)); // augmentation seed changed
  });

  it('a transform with only a tensor path gives the same batches (the loader falls back to it)', async () => {
    const tensorOnly = { name: 'tensor-only', apply: augment.apply };
    const make = (transform: typeof augment) =>
      new DataLoader(faces, {
        sampler: new ShuffleSampler(faces, { batchSize: 5, seed: 3 }),
        transform,
        seed: 2,
      });
    const viaPixels = await collect(make(augment));
    const viaTensors = await collect(make(tensorOnly));
    expect(viaTensors.map((b) => b.indices)).toEqual(viaPixels.map((b) => b.indices));
    viaTensors.forEach((b, i) =>
      b.images.forEach((v, k) => expect(Math.abs(v - viaPixels[i].images[k])).toBeLessThan(1e-3)),
    );
  });

  it('resumes at (epoch, batch) with exactly the batches an uninterrupted run sees', async () => {
    const make = () =>
      new DataLoader(faces, {
        sampler: new ShuffleSampler(faces, { batchSize: 4, seed: 5 }),
        transform: augment,
        seed: 1,
      });
    const full = await collect(make().iterate({ endEpoch: 3 }));
    // Interrupted run: stop after epoch 1, batch 2; a new loader resumes at batch 3.
    const stopAt = full.findIndex((x) => x.epoch === 1 && x.batch === 2);
    const resumed = await collect(make().iterate({ epoch: 1, batch: 3, endEpoch: 3 }));
    expect(resumed).toEqual(full.slice(stopAt + 1));
    const one = await make().batch(2, 1);
    expect(Array.from(one!.images.dataSync())).toEqual(
      full.find((x) => x.epoch === 2 && x.batch === 1)!.images,
    );
    disposeBatch(one!);
  });

  it('keeps memory flat over an epoch and disposes prefetched batches when stopped early', async () => {
    const loader = new DataLoader(faces, {
      sampler: new ShuffleSampler(faces, { batchSize: 3 }),
      transform: augment,
      prefetch: 3,
    });
    const before = tf.memory().numTensors;
    const it = loader.iterate();
    await expectFlatMemory(async () => disposeBatch((await it.next()).value as Batch), {
      steps: 12,
      warmup: 1,
    });
    // Stop while 3 batches are prepared ahead: the loader disposes them.
    const held = (await it.next()).value as Batch;
    await it.return();
    disposeBatch(held);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("survives the consumer's engine scopes (batches are built between its awaits)", async () => {
    const it = new DataLoader(faces, {
      sampler: new ShuffleSampler(faces, { batchSize: 4 }),
    }).epoch(0);
    tf.engine().startScope();
    const b = (await it.next()).value as Batch;
    tf.engine().endScope();
    expect(b.images.isDisposed).toBe(false);
    expect(b.labels.isDisposed).toBe(false);
    disposeBatch(b);
    await it.return();
  });

  it('bounds the files in flight and the batches prepared ahead', async () => {
    const { ds, stats } = instrumented(faces);
    const loader = new DataLoader(ds, {
      sampler: new ShuffleSampler(ds, { batchSize: 4 }),
      prefetch: 1,
      concurrency: 3,
    });
    const it = loader.epoch(0);
    const first = (await it.next()).value as Batch;
    await new Promise((r) => setTimeout(r, 30)); // the consumer is slow
    // The held batch plus one prepared ahead: 8 images, not the whole epoch (24).
    expect(stats.loads).toBe(8);
    expect(stats.maxActive).toBeLessThanOrEqual(3);
    disposeBatch(first);
    await it.return();
  });

  it("onError 'skip' drops bad files and reports each once; nothing else is lost", async () => {
    const { ds } = instrumented(faces, new Set([2, 9]));
    const reported: string[] = [];
    const loader = new DataLoader(ds, {
      sampler: new ShuffleSampler(ds, { batchSize: 5, seed: 4 }),
      onError: 'skip',
      replace: false,
      onSkip: (p) => reported.push(p.path),
    });
    const epochs = await collect(loader.iterate({ endEpoch: 2 }));
    const epoch0 = epochs.filter((b) => b.epoch === 0).flatMap((b) => b.indices);
    expect(epoch0.sort((a, b) => a - b)).toEqual(
      Array.from({ length: faces.size }, (_, i) => i).filter((i) => i !== 2 && i !== 9),
    );
    expect(reported.sort()).toEqual(['bad-2.jpg', 'bad-9.jpg']);
    expect(loader.skipped).toHaveLength(2);
  });

  it("onError 'throw' rejects with the file's path and leaks nothing", async () => {
    const { ds } = instrumented(faces, new Set([7]));
    const before = tf.memory().numTensors;
    const loader = new DataLoader(ds, {
      sampler: new ShuffleSampler(ds, { batchSize: 2, shuffle: false }),
      prefetch: 4,
    });
    await expect(collect(loader)).rejects.toThrow(/bad-7\.jpg/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stacks images of different sizes through the transform, and refuses them without one', async () => {
    const sizes: FaceDataset = {
      ...faces,
      size: faces.size,
      labels: faces.labels,
      classNames: faces.classNames,
      source: (i) => faces.source(i),
      load: async (i) =>
        i % 2 ? faces.render(faces.labels[i], faces.views[i], 20) : faces.loadSync(i),
    };
    const sampler = new ShuffleSampler(sizes, { batchSize: 6, shuffle: false });
    const resized = await new DataLoader(sizes, { sampler, transform: resize([10, 10]) }).batch(
      0,
      0,
    );
    expect(resized!.images.shape).toEqual([6, 10, 10, 3]);
    // Order is kept: image 1 (20 px) resized alone equals row 1 of the batch.
    const alone = resize([10, 10]).apply(
      tf.tensor4d(
        Float32Array.from(faces.render(faces.labels[1], faces.views[1], 20).data),
        [1, 20, 20, 3],
      ),
      [],
    );
    expect(Array.from(alone.dataSync())).toEqual(
      Array.from(tf.slice(resized!.images, [1], [1]).dataSync()),
    );
    disposeBatch(resized!);
    alone.dispose();
    await expect(new DataLoader(sizes, { sampler }).batch(0, 0)).rejects.toThrow(ShapeError);
  });
});

describe('determinism across runs', () => {
  it('gives the batches pinned in fixtures/determinism.json', async () => {
    const pinned = loadFixture<Awaited<ReturnType<typeof pinnedBatches>>>(
      import.meta.url,
      'determinism',
    );
    expect(await pinnedBatches()).toEqual(pinned);
  });
});
