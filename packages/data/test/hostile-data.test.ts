// Messy data: broken files in an identity folder, decompression bombs, self-contradicting lists
// and degenerate pairs files. Each case is built in a temp folder; bad images must be skipped
// (batches keep their size, labels stay right, resume rebuilds the same batches) or refused with
// a typed error naming the file or line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import {
  DataLoader,
  DatasetError,
  ImageDecodeError,
  ListConflictError,
  PKSampler,
  ShuffleSampler,
  SyntheticFaces,
  disposeBatch,
  imageHeaderSize,
  parseImageList,
  parseLfwPairs,
  type Batch,
  type FaceDataset,
} from '@face/data';
import { ImageFolder, ImageList, decodeImageNode } from '../src/node';

const IDENTITIES = ['ann', 'ben', 'cat', 'dan'];
/** Solid colour of good image n of identity `id`, so a batch row tells which file it came from. */
const colour = (id: string, n: number) => [IDENTITIES.indexOf(id) * 60 + 10, n * 40, 200];

let root: string;
let bad: string[];

const png = (w: number, h: number, rgb: number[]) =>
  sharp({
    create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  })
    .png()
    .toBuffer();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'face-hostile-data-'));
  for (const id of IDENTITIES) {
    mkdirSync(join(root, 'faces', id), { recursive: true });
    for (let n = 1; n <= 4; n++)
      writeFileSync(join(root, 'faces', id, `${n}.png`), await png(16, 16, colour(id, n)));
  }
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  bad = [
    join(root, 'faces/ann/zero.jpg'),
    join(root, 'faces/ann/big.png'),
    join(root, 'faces/ben/cut.jpg'),
    join(root, 'faces/cat/text.jpg'),
  ];
  writeFileSync(bad[0], new Uint8Array(0));
  // 25 MP of one colour: an 80 KB file, over the default 16.8 MP cap.
  writeFileSync(bad[1], await png(5000, 5000, [1, 2, 3]));
  writeFileSync(bad[2], jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  writeFileSync(bad[3], 'not an image at all\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Seen {
  epoch: number;
  batch: number;
  indices: number[];
  labels: number[];
  firstPixels: number[][];
}

async function collect(iter: AsyncIterable<Batch>): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const b of iter) {
    const [n, h, w] = b.images.shape;
    const pixels = b.images.dataSync();
    out.push({
      epoch: b.epoch,
      batch: b.batch,
      indices: b.indices,
      labels: Array.from(b.labels.dataSync()),
      firstPixels: Array.from({ length: n }, (_, i) =>
        Array.from(pixels.subarray(i * h * w * 3, i * h * w * 3 + 3)),
      ),
    });
    disposeBatch(b);
  }
  return out;
}

describe('DataLoader with bad files (onError skip)', () => {
  it('keeps every batch full, fills a bad image with another of its identity, labels right', async () => {
    const ds = new ImageFolder(join(root, 'faces'), { onError: 'skip' });
    expect(ds.size).toBe(20); // bad files are listed: only decoding finds them
    const badIndex = new Set(bad.map((p) => ds.entries.findIndex((e) => e.path === p)));
    const sampler = new ShuffleSampler(ds, { batchSize: 4, seed: 1 });
    const loader = new DataLoader(ds, { sampler, onError: 'skip', concurrency: 3 });
    const before = tf.memory().numTensors;
    const seen = await collect(loader.iterate({ endEpoch: 3 }));
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toHaveLength(15);
    for (const b of seen) {
      const plan = sampler.batches(b.epoch)[b.batch];
      expect(b.indices).toHaveLength(4);
      b.indices.forEach((index, j) => {
        expect(badIndex.has(index)).toBe(false);
        expect(b.labels[j]).toBe(ds.labels[index]);
        // Same identity as the planned image, whether it was replaced or not.
        expect(ds.labels[index]).toBe(ds.labels[plan[j]]);
        if (!badIndex.has(plan[j])) expect(index).toBe(plan[j]);
        const path = ds.source(index);
        const id = basename(dirname(path));
        expect(b.firstPixels[j]).toEqual(colour(id, Number(basename(path, '.png'))));
      });
    }
    // Each bad file counted once over 3 epochs; each epoch replaced each bad place once.
    expect(loader.skippedCount).toBe(4);
    expect(loader.skipped.map((p) => p.path).sort()).toEqual([...bad].sort());
    expect(loader.skipped.find((p) => p.path === bad[1])?.reason).toMatch(
      /5000 x 5000 = 25000000 pixels, over the maxPixels limit/,
    );
    expect([loader.replaced, loader.dropped]).toEqual([12, 0]);
  });

  it('builds the same batches when resumed mid-epoch by a process that met no bad file yet', async () => {
    const ds = new ImageFolder(join(root, 'faces'), { onError: 'skip' });
    const make = (concurrency: number) =>
      new DataLoader(ds, {
        sampler: new ShuffleSampler(ds, { batchSize: 4, seed: 5 }),
        onError: 'skip',
        concurrency,
        seed: 9,
      });
    const whole = await collect(make(8).iterate({ endEpoch: 2 }));
    const resumed = await collect(make(1).iterate({ epoch: 1, batch: 2, endEpoch: 2 }));
    expect(resumed).toEqual(whole.slice(7));
    const alone = await make(2).batch(0, 3);
    expect(alone!.indices).toEqual(whole[3].indices);
    disposeBatch(alone!);
    // The bad places really were replaced in what was compared.
    const planned = new ShuffleSampler(ds, { batchSize: 4, seed: 5 }).batches(1).slice(2).flat();
    expect(planned).not.toEqual(resumed.flatMap((b) => b.indices));
  });

  it('keeps P x K batches in shape: K images of each of P identities', async () => {
    const ds = new ImageFolder(join(root, 'faces'), { onError: 'skip' });
    const loader = new DataLoader(ds, {
      sampler: new PKSampler(ds, { p: 2, k: 4, batchesPerEpoch: 6, seed: 2 }),
      onError: 'skip',
    });
    const seen = await collect(loader.iterate({ endEpoch: 2 }));
    for (const b of seen) {
      expect(b.labels).toHaveLength(8);
      expect(new Set(b.labels.slice(0, 4)).size).toBe(1);
      expect(new Set(b.labels.slice(4)).size).toBe(1);
      expect(b.labels[0]).not.toBe(b.labels[4]);
    }
    expect(loader.skippedCount).toBeGreaterThan(0);
  });

  it('takes another identity when none of its own loads, and drops the place when nothing does', async () => {
    const faces = new SyntheticFaces({ identities: 3, imagesPerIdentity: 2, size: 8, seed: 1 });
    const failing = (isBad: (i: number) => boolean): FaceDataset => ({
      size: faces.size,
      labels: faces.labels,
      classNames: faces.classNames,
      source: (i) => `img-${i}.jpg`,
      load: (i) =>
        isBad(i)
          ? Promise.reject(new ImageDecodeError(`img-${i}.jpg`, 'truncated'))
          : faces.load(i),
    });
    // Identity 0 (images 0 and 1) is entirely bad.
    const some = failing((i) => faces.labels[i] === 0);
    const loader = new DataLoader(some, {
      sampler: new ShuffleSampler(some, { batchSize: 3, seed: 3 }),
      onError: 'skip',
    });
    const seen = await collect(loader);
    for (const b of seen) {
      expect(b.indices).toHaveLength(3);
      b.indices.forEach((index, j) => expect(b.labels[j]).toBe(faces.labels[index]));
      expect(b.labels).not.toContain(0);
    }
    expect(loader.replaced).toBe(2);
    const none = failing(() => true);
    const empty = new DataLoader(none, {
      sampler: new ShuffleSampler(none, { batchSize: 3 }),
      onError: 'skip',
    });
    expect(await collect(empty)).toEqual([]);
    expect([empty.skippedCount, empty.replaced, empty.dropped]).toEqual([6, 0, 6]);
  });

  it("with replace: false drops bad images, and 'throw' stops at the first, naming it", async () => {
    const ds = new ImageFolder(join(root, 'faces'), { onError: 'skip' });
    const sampler = new ShuffleSampler(ds, { batchSize: 5, shuffle: false });
    const drop = new DataLoader(ds, { sampler, onError: 'skip', replace: false });
    const seen = await collect(drop);
    expect(seen.flatMap((b) => b.indices)).toHaveLength(16);
    expect(drop.dropped).toBe(0); // nothing tried to fill those places
    const strict = new DataLoader(ds, { sampler });
    await expect(collect(strict)).rejects.toThrow(ImageDecodeError);
    expect(() => new DataLoader(ds, { sampler, replace: 'yes' as never })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('pixel cap', () => {
  it('refuses an image over the cap from its header, with an ImageDecodeError naming it', async () => {
    const bytes = await png(5000, 5000, [0, 0, 0]);
    await expect(decodeImageNode(bytes, 'bomb.png')).rejects.toThrow(
      /bomb\.png.*5000 x 5000 = 25000000 pixels, over the maxPixels limit of 16777216/,
    );
    const small = await png(40, 30, [5, 6, 7]);
    expect((await decodeImageNode(small, 'ok.png', { maxPixels: 1200 })).width).toBe(40);
    await expect(decodeImageNode(small, 'ok.png', { maxPixels: 1199 })).rejects.toThrow(
      ImageDecodeError,
    );
    await expect(decodeImageNode(small, 'ok.png', { maxPixels: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  it('is configurable on ImageFolder and ImageList', async () => {
    const folder = new ImageFolder(join(root, 'faces'), { maxPixels: 15 * 15 });
    await expect(
      folder.load(folder.entries.findIndex((e) => e.path.endsWith('1.png'))),
    ).rejects.toThrow(/16 x 16 = 256 pixels, over the maxPixels limit of 225/);
    const list = join(root, 'cap.csv');
    writeFileSync(list, 'faces/ann/1.png,ann\n');
    await expect(new ImageList(list, { maxPixels: 255 }).load(0)).rejects.toThrow(ImageDecodeError);
    expect((await new ImageList(list, { maxPixels: 256 }).load(0)).height).toBe(16);
    expect(() => new ImageFolder(join(root, 'faces'), { maxPixels: -1 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('reads the size of PNG, GIF, JPEG and WebP headers as sharp does (the browser cap)', async () => {
    const base = () =>
      sharp({
        create: {
          width: 37,
          height: 23,
          channels: 4,
          background: { r: 9, g: 9, b: 9, alpha: 0.5 },
        },
      });
    const files = {
      png: await base().png().toBuffer(),
      gif: await base().gif().toBuffer(),
      jpeg: await base().jpeg().withMetadata().toBuffer(),
      webpLossy: await base().removeAlpha().webp().toBuffer(),
      webpLossless: await base().webp({ lossless: true }).toBuffer(),
      webpExtended: await base().webp({ quality: 80 }).withMetadata().toBuffer(),
    };
    for (const [kind, bytes] of Object.entries(files))
      expect(imageHeaderSize(new Uint8Array(bytes)), kind).toEqual({ width: 37, height: 23 });
    expect(imageHeaderSize(new TextEncoder().encode('not an image'))).toBeNull();
    expect(imageHeaderSize(new Uint8Array(files.png.subarray(0, 20)))).toBeNull();
  });
});

describe('lists and pairs files', () => {
  it('keeps a file listed twice once, recording the repeat', () => {
    const { entries, problems } = parseImageList('a.jpg,1\nb.jpg,2\na.jpg,1\n', {
      source: 'l.csv',
    });
    expect(entries.map((e) => e.path)).toEqual(['a.jpg', 'b.jpg']);
    expect(problems).toEqual([{ path: 'l.csv:3', reason: 'duplicate of line 1, listed once' }]);
  });

  it('refuses one file under two labels, naming both lines, whatever the policy', () => {
    const text = 'path,label\na.jpg,1\nb.jpg,2\n\na.jpg,2\n';
    let error: unknown;
    try {
      parseImageList(text, { source: 'l.csv', onError: 'skip' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ListConflictError);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as ListConflictError).lines).toEqual([2, 5]);
    expect((error as Error).message).toMatch(/l\.csv:5.*"a\.jpg".*"1" at line 2.*"2" at line 5/);
  });

  it('ImageList sees ./x and x as one file', () => {
    const list = join(root, 'dup.csv');
    writeFileSync(list, 'faces/ann/1.png,ann\n./faces/ann/1.png,ann\nfaces/ben/1.png,ben\n');
    const ds = new ImageList(list, { onError: 'skip' });
    expect(ds.size).toBe(2);
    expect(ds.problems).toHaveLength(1);
    writeFileSync(list, 'faces/ann/1.png,ann\n./faces/ann/1.png,ben\n');
    expect(() => new ImageList(list, { onError: 'skip' })).toThrow(ListConflictError);
  });

  it('refuses an LFW matched pair of one image with itself, and a mismatched pair of one person', () => {
    const ok = '1\t1\nAnn\t1\t2\nAnn\t1\tBen\t1\n';
    expect(parseLfwPairs(ok).pairs).toHaveLength(2);
    expect(() => parseLfwPairs('1\t1\nAnn\t2\t2\nAnn\t1\tBen\t1\n')).toThrow(
      /pairs\.txt:2.*with itself/,
    );
    expect(() => parseLfwPairs('1\t1\nAnn\t1\t2\nBen\t1\tBen\t3\n')).toThrow(
      /pairs\.txt:3.*one person twice \(Ben\)/,
    );
    expect(() => parseLfwPairs('1\t1\nAnn\t2\t2\nAnn\t1\tBen\t1\n')).toThrow(DatasetError);
  });
});
