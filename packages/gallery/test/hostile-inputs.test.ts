import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@face/core';
import { describe, expect, it } from 'vitest';
import {
  GalleryDriverError,
  GalleryError,
  GalleryLocationError,
  GalleryModelError,
  openGallery,
} from '@face/gallery';

const model = { fingerprint: 'hostile', dim: 4 };
const scratch = () => mkdtempSync(join(tmpdir(), 'face-gallery-hostile-'));

describe('bad locations', () => {
  it('refuses a file, a folder of other files, unknown schemes and an empty idb name', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'photos'));
    writeFileSync(join(dir, 'photos', 'a.jpg'), 'x');
    await expect(openGallery(join(dir, 'notes.txt'), { model })).rejects.toThrow(
      /notes\.txt: is not a folder/,
    );
    await expect(openGallery(join(dir, 'photos'), { model })).rejects.toThrow(
      /photos: holds 1 entries and no PG_VERSION/,
    );
    // Nothing was written into the folder it refused.
    expect(readdirSync(join(dir, 'photos'))).toEqual(['a.jpg']);
    await expect(openGallery('http://example.com/db')).rejects.toThrow(GalleryLocationError);
    await expect(openGallery('idb://')).rejects.toThrow(/idb:\/\/<name>/);
    await expect(openGallery('a\0b')).rejects.toThrow(GalleryLocationError);
    await expect(openGallery(join(dir, 'notes.txt', 'inside'))).rejects.toThrow(
      GalleryLocationError,
    );
  });

  it('names the postgres server it cannot reach, without its password', async () => {
    const err = await openGallery('postgres://me:secret@127.0.0.1:1/db').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GalleryDriverError);
    expect(String(err)).toMatch(/postgres:\/\/me:\*\*\*@127\.0\.0\.1:1\/db: cannot connect/);
    expect(String(err)).not.toContain('secret');
  });
});

describe('mismatched model', () => {
  it('refuses another fingerprint or size on an existing gallery, and enrolling without a model', async () => {
    const dir = join(scratch(), 'g');
    const g = await openGallery(dir, { model });
    await g.enrol('a', [[1, 2, 3, 4]]);
    await g.close();
    for (const other of [
      { ...model, fingerprint: 'other' },
      { ...model, dim: 8 },
    ]) {
      const err = await openGallery(dir, { model: other }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GalleryModelError);
      expect(String(err)).toContain('"hostile" (4 dimensions)');
    }
    const reader = await openGallery(dir);
    expect(reader.model).toEqual(model);
    expect(await reader.stats()).toMatchObject({ identities: 1, templates: 1 });
    await reader.close();
    const fresh = await openGallery();
    await expect(fresh.enrol('a', [[1, 2, 3, 4]])).rejects.toThrow(GalleryError);
    await expect(fresh.identify([[1, 2, 3, 4]])).rejects.toThrow(/options\.model/);
    await fresh.close();
  });
});

describe('bad vectors and names', () => {
  it('refuses NaN, Infinity, float32 overflow, zeros, wrong sizes and empty names, naming the place', async () => {
    const g = await openGallery(undefined, { model });
    const bad: [unknown, RegExp][] = [
      [[[1, NaN, 3, 4]], /embeddings\[0\]\[1\] must be a finite number/],
      [
        [
          [1, 2, 3, 4],
          [Infinity, 0, 0, 1],
        ],
        /embeddings\[1\]\[0\]/,
      ],
      [[[1e39, 0, 0, 1]], /float32 range/],
      [[[0, 0, 0, 0]], /non-zero vector/],
      [[[1, 2, 3]], /embeddings\[0\]\.length must be 4/],
      [[], /non-empty array/],
      [[['1', 2, 3, 4]], /finite number/],
    ];
    for (const [embeddings, message] of bad) {
      const err = await g.enrol('a', embeddings as number[][]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(String(err)).toMatch(message);
      await expect(g.identify(embeddings as number[][])).rejects.toThrow(InvalidArgumentError);
    }
    await expect(g.enrol('', [[1, 2, 3, 4]])).rejects.toThrow(
      /identity must be a non-empty string/,
    );
    await expect(g.enrol('a', [[1, 2, 3, 4]], ['x\0y'])).rejects.toThrow(/sources\[0\] must be/);
    await expect(g.enrol('a', [[1, 2, 3, 4]], ['x', 'y'])).rejects.toThrow(
      /sources must be 1 sources/,
    );
    await expect(g.identify([[1, 2, 3, 4]], { k: 0 })).rejects.toThrow(/k must be/);
    await expect(g.identify([[1, 2, 3, 4]], { threshold: NaN })).rejects.toThrow(/threshold/);
    await expect(openGallery(undefined, { model: { fingerprint: '', dim: 4 } })).rejects.toThrow(
      /fingerprint/,
    );
    await expect(openGallery(undefined, { schema: 'x; DROP TABLE y' })).rejects.toThrow(/schema/);
    // Nothing was written by any refused call.
    expect(await g.stats()).toMatchObject({ identities: 0, templates: 0 });
    await g.close();
  });
});
