import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataLoader,
  DatasetError,
  ImageDecodeError,
  ShuffleSampler,
  disposeBatch,
  parseImageList,
  resize,
} from '@face/data';
import { ImageFolder, ImageList, decodeImageNode } from '../src/node';
import { encodeSamples, makeTree, type EncodedFiles } from './make-files';

let root: string;
let tree: { good: string[]; corrupt: string[] };
let samples: EncodedFiles;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'face-data-files-'));
  tree = await makeTree(join(root, 'faces'));
  samples = await encodeSamples();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('decodeImageNode (sharp)', () => {
  it('decodes PNG, grey, RGBA and lossless WebP to the exact RGB bytes they hold', async () => {
    for (const name of ['rgb.png', 'grey.png', 'rgba.png', 'rgba-opaque.png', 'rgb.webp']) {
      const s = samples[name];
      const img = await decodeImageNode(s.bytes, name);
      expect([img.height, img.width], name).toEqual([s.height, s.width]);
      expect(img.data.length).toBe(s.height * s.width * 3);
      expect(Buffer.from(img.data).equals(Buffer.from(s.pixels)), name).toBe(true);
    }
  });

  it('decodes JPEG (colour and grey) close to the encoded pixels', async () => {
    for (const name of ['rgb-420.jpg', 'rgb-444.jpg', 'grey.jpg']) {
      const s = samples[name];
      const img = await decodeImageNode(s.bytes, name);
      let err = 0;
      img.data.forEach((v, i) => (err += Math.abs(v - s.pixels[i])));
      // Lossy on a harsh pattern (gradient wraps, a checker, 4:2:0 chroma), but the same picture:
      // an unrelated picture scores around 85.
      expect(err / img.data.length, name).toBeLessThan(30);
    }
  });

  it('rejects truncated, non-image and empty bytes with an ImageDecodeError naming the file', async () => {
    const jpeg = samples['rgb-420.jpg'].bytes;
    await expect(decodeImageNode(jpeg.subarray(0, 200), 'cut.jpg')).rejects.toThrow(
      ImageDecodeError,
    );
    await expect(decodeImageNode(jpeg.subarray(0, 200), 'cut.jpg')).rejects.toThrow(/cut\.jpg/);
    await expect(decodeImageNode(new TextEncoder().encode('hello'), 'text.jpg')).rejects.toThrow(
      /text\.jpg.*unsupported image format/,
    );
    await expect(decodeImageNode(new Uint8Array(0), 'empty.png')).rejects.toThrow(/empty/);
  });
});

describe('ImageFolder', () => {
  it("with onError 'throw' stops at the first bad entry, naming it", () => {
    // 'carol' (empty) sorts before 'dave' (loop) and 'erin' (ELOOP).
    expect(() => new ImageFolder(join(root, 'faces'))).toThrow(DatasetError);
    expect(() => new ImageFolder(join(root, 'faces'))).toThrow(/carol.*no images/);
  });

  it("with onError 'skip' lists good files, reports every bad entry with its path, and does not hang on loops", () => {
    const ds = new ImageFolder(join(root, 'faces'), { onError: 'skip' });
    expect(ds.classNames).toEqual(['alice', 'bob', 'dave', 'erin']);
    // Listing does not decode: the corrupt files are still in (the loader or verify catches them).
    expect([...ds.entries.map((e) => e.path)].sort()).toEqual(
      [...tree.good, ...tree.corrupt].sort(),
    );
    const problems = ds.problems.map(
      (p) => `${p.path.slice(root.length)}: ${p.reason.split(':')[0]}`,
    );
    expect(problems).toEqual([
      '/faces/carol: identity folder holds no images',
      '/faces/dave/self: symlink loop or duplicate',
      '/faces/erin/x: cannot stat',
      '/faces/erin/y: cannot stat',
    ]);
    expect(ds.problems[2].reason).toMatch(/ELOOP/);
    expect(ds.countsPerIdentity().map((c) => [c.identity, c.count])).toEqual([
      ['alice', 4],
      ['bob', 4],
      ['dave', 1],
      ['erin', 1],
    ]);
  });

  it('open({ verify }) finds corrupt files up front: skipped and reported, or fatal', async () => {
    const ds = await ImageFolder.open(join(root, 'faces'), {
      onError: 'skip',
      verify: true,
      concurrency: 2,
    });
    expect([...ds.entries.map((e) => e.path)].sort()).toEqual([...tree.good].sort());
    const reported = ds.problems.filter((p) => p.path.includes('bob'));
    expect(reported.map((p) => p.path).sort()).toEqual([...tree.corrupt].sort());
    expect(ds.countsPerIdentity().find((c) => c.identity === 'bob')?.count).toBe(2);
    await expect(
      ImageFolder.open(join(root, 'faces'), { onError: 'throw', verify: true }),
    ).rejects.toThrow(DatasetError);
  });

  it('refuses a missing root', () => {
    expect(() => new ImageFolder(join(root, 'nope'))).toThrow(/cannot open the dataset folder/);
  });

  it('feeds the loader, which skips the corrupt files by policy and loses nothing else', async () => {
    const ds = new ImageFolder(join(root, 'faces'), { onError: 'skip' });
    const loader = new DataLoader(ds, {
      sampler: new ShuffleSampler(ds, { batchSize: 4, seed: 1 }),
      transform: resize([16, 16]),
      onError: 'skip',
      replace: false,
    });
    const seen: string[] = [];
    for await (const b of loader) {
      expect(b.images.shape.slice(1)).toEqual([16, 16, 3]);
      seen.push(...b.indices.map((i) => ds.source(i)));
      disposeBatch(b);
    }
    expect(seen.sort()).toEqual([...tree.good].sort());
    expect(loader.skipped.map((p) => p.path).sort()).toEqual([...tree.corrupt].sort());
    const strict = new DataLoader(ds, {
      sampler: new ShuffleSampler(ds, { batchSize: 4, shuffle: false }),
      transform: resize([16, 16]),
    });
    const failure = (async () => {
      for await (const b of strict) disposeBatch(b);
    })();
    await expect(failure).rejects.toThrow(ImageDecodeError);
  });
});

describe('ImageList and parseImageList', () => {
  it('reads path,label CSV (header, quotes, relative paths), numbering integer labels by value', () => {
    const list = join(root, 'list.csv');
    writeFileSync(
      list,
      ['path,label', `faces/alice/2.png,10`, `"faces/bob/1.webp",2`, '', 'faces/dave/1.png,2'].join(
        '\n',
      ),
    );
    const ds = new ImageList(list);
    expect(ds.classNames).toEqual(['2', '10']);
    expect(Array.from(ds.labels)).toEqual([1, 0, 0]);
    expect(ds.source(0)).toBe(join(root, 'faces/alice/2.png'));
  });

  it('reports a malformed line with its number, or skips it by policy', () => {
    const text = 'a.jpg,1\nb.jpg\n"c,d.jpg",2\n';
    expect(() => parseImageList(text, { source: 'x.csv' })).toThrow(/x\.csv:2.*expected 2 fields/);
    const { entries, problems } = parseImageList(text, { source: 'x.csv', onError: 'skip' });
    expect(entries).toEqual([
      { path: 'a.jpg', identity: '1' },
      { path: 'c,d.jpg', identity: '2' },
    ]);
    expect(problems).toEqual([
      { path: 'x.csv:2', reason: 'expected 2 fields (path,label), got 1' },
    ]);
  });
});
