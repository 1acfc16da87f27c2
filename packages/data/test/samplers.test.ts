import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { PKSampler, ShuffleSampler, TripletSampler } from '@face/data';

// 8 identities; identity c has 2 + c images (2..9); identity 0 and 1 have fewer than K = 4.
const labels = Array.from({ length: 8 }, (_, c) => new Array<number>(2 + c).fill(c)).flat();

describe('ShuffleSampler', () => {
  it('visits every image once per epoch, in a new order each epoch, reproducibly', () => {
    const s = new ShuffleSampler(labels.length, { batchSize: 7, seed: 1 });
    const e0 = s.batches(0);
    expect(e0).toHaveLength(Math.ceil(labels.length / 7));
    expect(e0.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    expect(s.batches(1)).not.toEqual(e0);
    expect(new ShuffleSampler(labels.length, { batchSize: 7, seed: 1 }).batches(1)).toEqual(
      s.batches(1),
    );
  });

  it('drops the last partial batch when asked, keeps order when not shuffling', () => {
    const s = new ShuffleSampler({ size: 10 }, { batchSize: 4, dropLast: true, shuffle: false });
    expect(s.batches(0)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });
});

describe('PKSampler', () => {
  it('gives P distinct identities x K images, distinct images when an identity has K or more', () => {
    const s = new PKSampler(labels, { p: 3, k: 4, seed: 2 });
    expect(s.batchesPerEpoch).toBe(Math.floor(labels.length / 12));
    const seen = new Map<number, number>();
    for (const batch of [...s.batches(0), ...s.batches(1)]) {
      expect(batch).toHaveLength(12);
      const ids = [0, 1, 2].map((j) => labels[batch[j * 4]]);
      expect(new Set(ids).size).toBe(3);
      ids.forEach((c, j) => {
        const group = batch.slice(j * 4, j * 4 + 4);
        group.forEach((i) => expect(labels[i]).toBe(c));
        if (c >= 2) expect(new Set(group).size).toBe(4);
        seen.set(c, (seen.get(c) ?? 0) + 1);
      });
    }
    // Identities come from a shuffled cycle: over 2 epochs x 3 batches x 3 = 18 draws of 8, all appear.
    expect(seen.size).toBe(8);
  });

  it('samples with replacement below K (identity 0 has 2 images, K = 5)', () => {
    const s = new PKSampler(labels, { p: 8, k: 5, batchesPerEpoch: 1 });
    const batch = s.batches(0)[0];
    const first = batch.filter((i) => labels[i] === 0);
    expect(first).toHaveLength(5);
    expect(new Set(first).size).toBeLessThanOrEqual(2);
  });

  it('is reproducible per (seed, epoch)', () => {
    const a = new PKSampler(labels, { p: 2, k: 2, seed: 9 });
    const b = new PKSampler(labels, { p: 2, k: 2, seed: 9 });
    expect(a.batches(3)).toEqual(b.batches(3));
    expect(a.batches(3)).not.toEqual(a.batches(4));
  });

  it('refuses a recipe it cannot satisfy', () => {
    expect(() => new PKSampler(labels, { p: 9, k: 2 })).toThrow(InvalidArgumentError);
    expect(() => new PKSampler(labels, { p: 9, k: 2 })).toThrow(
      /at most the number of identities \(8\)/,
    );
    expect(() => new PKSampler(labels, { p: 2, k: 0 })).toThrow(/k/);
  });
});

describe('TripletSampler', () => {
  it('lays out anchors, positives, negatives; positives share the anchor identity, negatives do not', () => {
    const s = new TripletSampler(labels, { tripletsPerBatch: 5, seed: 3 });
    for (const batch of s.batches(0)) {
      expect(batch).toHaveLength(15);
      for (let t = 0; t < 5; t++) {
        const [a, p, n] = [batch[t], batch[5 + t], batch[10 + t]];
        expect(a).not.toBe(p);
        expect(labels[p]).toBe(labels[a]);
        expect(labels[n]).not.toBe(labels[a]);
      }
    }
    expect(s.batches(2)).toEqual(
      new TripletSampler(labels, { tripletsPerBatch: 5, seed: 3 }).batches(2),
    );
  });

  it('needs an identity with two images and a second identity', () => {
    expect(() => new TripletSampler([0, 1, 2], { tripletsPerBatch: 1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new TripletSampler([0, 0], { tripletsPerBatch: 1 })).toThrow(InvalidArgumentError);
  });
});
