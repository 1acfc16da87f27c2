import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import {
  splitByIdentity,
  splitByImage,
  splitGalleryQuery,
  subset,
  SyntheticFaces,
} from '@face/data';

// 10 identities with 1..10 images: identity c has c + 1 images.
const labels = Array.from({ length: 10 }, (_, c) => new Array<number>(c + 1).fill(c)).flat();

describe('splitByImage (closed set)', () => {
  it('keeps every identity in train and moves about testFraction of its images to test', () => {
    const { train, test } = splitByImage(labels, { testFraction: 0.3, seed: 1 });
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    for (let c = 0; c < 10; c++) {
      const n = c + 1;
      const nTest = test.filter((i) => labels[i] === c).length;
      expect(nTest).toBe(Math.min(Math.round(n * 0.3), n - 1));
      expect(train.some((i) => labels[i] === c)).toBe(true);
    }
  });

  it('is a pure function of the seed', () => {
    expect(splitByImage(labels, { seed: 3 })).toEqual(splitByImage(labels, { seed: 3 }));
    expect(splitByImage(labels, { seed: 3 }).test).not.toEqual(
      splitByImage(labels, { seed: 4 }).test,
    );
  });
});

describe('splitByIdentity (open set)', () => {
  it('divides identities; no test person is in train', () => {
    const s = splitByIdentity(labels, { testIdentities: 3, seed: 2 });
    expect(s.testIdentities).toHaveLength(3);
    expect(s.trainIdentities).toHaveLength(7);
    const trainIds = new Set(s.train.map((i) => labels[i]));
    for (const i of s.test) expect(trainIds.has(labels[i])).toBe(false);
    expect(s.train.length + s.test.length).toBe(labels.length);
  });

  it('relabels the training subset contiguously', () => {
    const faces = new SyntheticFaces({ identities: 6, imagesPerIdentity: 2, size: 16 });
    const s = splitByIdentity(faces, { testFraction: 0.5, seed: 0 });
    const train = subset(faces, s.train, { relabel: true });
    expect([...new Set(train.labels)].sort()).toEqual([0, 1, 2]);
    expect(train.classNames).toEqual(s.trainIdentities.map((c) => faces.classNames[c]));
    expect(train.source(0)).toBe(faces.source(s.train[0]));
  });

  it('needs two identities', () => {
    expect(() => splitByIdentity([0, 0, 0])).toThrow(InvalidArgumentError);
  });
});

describe('splitGalleryQuery (open-set identification)', () => {
  it('enrols known identities, keeps unknown ones out of the gallery, balances queries', () => {
    const s = splitGalleryQuery(labels, { unknownFraction: 0.4, seed: 5 });
    expect(s.unknownIdentities).toHaveLength(4);
    expect(s.knownIdentities).toHaveLength(6);
    const galleryIds = new Set(s.gallery.map((i) => labels[i]));
    expect([...galleryIds].sort()).toEqual(s.knownIdentities);
    expect(s.gallery).toHaveLength(6); // one image each
    for (const i of s.gallery) expect(s.query).not.toContain(i);
    s.query.forEach((i, q) => expect(s.queryIsKnown[q]).toBe(galleryIds.has(labels[i])));
    const known = s.queryIsKnown.filter(Boolean).length;
    expect(known).toBe(s.query.length - known);
    expect(known).toBeGreaterThan(0);
    // Identity 0 has one image: it can never be known (it would have no query).
    expect(s.knownIdentities).not.toContain(0);
  });

  it('without balance, every non-gallery image is a query', () => {
    const s = splitGalleryQuery(labels, {
      unknownFraction: 0.5,
      galleryPerIdentity: 2,
      balance: false,
    });
    expect(s.gallery.length + s.query.length).toBe(labels.length);
    expect(s.gallery).toHaveLength(5 * 2);
  });

  it('explains when too few identities can be known', () => {
    expect(() => splitGalleryQuery(labels, { unknownFraction: 0, galleryPerIdentity: 5 })).toThrow(
      /known identities are needed/,
    );
  });
});
