import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, Rng } from '@face/core';
import { expectClose } from '@face/test-support';
import { SyntheticFaces } from '@face/data';
import { embedBatch, embedDataset, evaluateVerification, verificationSet } from '@face/recipes';
import { tinyBackbone } from './helpers/tiny';

const model = tinyBackbone({ filters: [4, 8], embeddingDim: 8 });
afterAll(() => model.dispose());

/** Seeded images [n, 16, 16, 3] on [-1, 1]. */
const images = (n: number, seed = 1) => {
  const rng = new Rng(seed);
  return tf.tensor4d(
    Array.from({ length: n * 16 * 16 * 3 }, () => rng.next() * 2 - 1),
    [n, 16, 16, 3],
  );
};
const rows = (t: tf.Tensor) => Array.from(t.dataSync());

describe('flip test-time augmentation', () => {
  it('is the mean of the passes on the image and on its mirror, computed here by hand', () => {
    const x = images(3);
    const mirror = tf.tidy(() => {
      // The mirror built pixel by pixel (column w -> 15 - w), not with the reverse op under test.
      const v = x.arraySync();
      return tf.tensor4d(v.map((img) => img.map((row) => [...row].reverse())));
    });
    const plain = embedBatch(model, x);
    const flipped = embedBatch(model, mirror);
    const tta = embedBatch(model, x, { flip: true });
    const a = rows(plain);
    const b = rows(flipped);
    expectClose(
      rows(tta),
      a.map((v, i) => (v + b[i]) / 2),
      { rtol: 1e-5, atol: 1e-6, what: 'flip-TTA vs mean of the two passes' },
    );
    // The mirror's embedding differs: the flip does something.
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeGreaterThan(1e-3);
    tf.dispose([x, mirror, plain, flipped, tta]);
  });

  it('gives the plain embedding of a left-right symmetric image', () => {
    const half = images(2, 7);
    // Column w and column 15 - w hold the same pixels.
    const x = tf.tensor4d(
      half.arraySync().map((img) => img.map((row) => row.map((_, w) => row[Math.min(w, 15 - w)]))),
    );
    const plain = embedBatch(model, x);
    const tta = embedBatch(model, x, { flip: true });
    expectClose(rows(tta), rows(plain), { rtol: 1e-5, atol: 1e-6, what: 'symmetric image' });
    tf.dispose([half, x, plain, tta]);
  });

  it('embedDataset and evaluateVerification take it; no tensor is left behind', async () => {
    const data = new SyntheticFaces({ identities: 4, imagesPerIdentity: 3, size: 16, seed: 2 });
    const before = tf.memory().numTensors;
    const plain = await embedDataset(model, data, { batchSize: 5 });
    const tta = await embedDataset(model, data, { batchSize: 5, flip: true });
    const set = verificationSet(data, { pairs: 6, seed: 1 });
    const v = await evaluateVerification(model, set, { flip: true, far: [0.5] });
    expect(tf.memory().numTensors).toBe(before);
    expect(tta.count).toBe(plain.count);
    expect(tta.embeddings).not.toEqual(plain.embeddings);
    // Pair scores are the cosines of the flip-TTA embeddings.
    const row = (i: number) => tta.embeddings.subarray(i * tta.dim, (i + 1) * tta.dim);
    const p = v.pairs[0];
    const [e1, e2] = [row(p.first), row(p.second)];
    const dot = e1.reduce((s, x, i) => s + x * e2[i], 0);
    const norm = (e: Float32Array) => Math.hypot(...e);
    expect(v.scores[0]).toBeCloseTo(dot / (norm(e1) * norm(e2)), 5);
  });

  it('refuses a flip that is not a boolean', async () => {
    const data = new SyntheticFaces({ identities: 2, imagesPerIdentity: 1, size: 16 });
    await expect(embedDataset(model, data, { flip: 'yes' as never })).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});

describe('l2Normalize', () => {
  it('gives unit rows pointing the same way as the raw embeddings', async () => {
    const data = new SyntheticFaces({ identities: 3, imagesPerIdentity: 2, size: 16, seed: 4 });
    const raw = await embedDataset(model, data);
    const unit = await embedDataset(model, data, { l2Normalize: true });
    for (let i = 0; i < raw.count; i++) {
      const r = raw.embeddings.subarray(i * raw.dim, (i + 1) * raw.dim);
      const u = unit.embeddings.subarray(i * raw.dim, (i + 1) * raw.dim);
      const n = Math.hypot(...r);
      expect(Math.hypot(...u)).toBeCloseTo(1, 5);
      expectClose(
        Array.from(u),
        Array.from(r, (x) => x / n),
        { rtol: 1e-5, atol: 1e-6 },
      );
    }
  });
});
