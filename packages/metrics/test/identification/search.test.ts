import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Rng } from '@face/core';
import { expectClose, expectFlatMemory, expectNoLeak } from '@face/test-support';
import { pairSimilarity, searchGallery, similarityMatrix } from '@face/metrics/similarity';
import { identityRanking, randomEmbeddings, ranking, similarity, type Metric } from './naive';

const rng = new Rng(7);
const gallery = randomEmbeddings(rng, 45, 8);
const queries = randomEmbeddings(rng, 13, 8);
const labels = gallery.map((_, i) => i % 11); // 11 identities, 4 or 5 rows each
// Small integer vectors: euclidean distances are exact in float32, so ties are real ties.
const intGallery = randomEmbeddings(rng, 40, 3, true);
const intQueries = randomEmbeddings(rng, 9, 3, true);
const intLabels = intGallery.map((_, i) => i % 7);

describe('similarityMatrix and pairSimilarity', () => {
  it.each(['cosine', 'euclidean'] as const)('%s matches the naive formula', (metric: Metric) => {
    const m = similarityMatrix(queries, gallery, { metric });
    const want = queries.map((q) => gallery.map((g) => similarity(q, g, metric)));
    expectClose(m, want, { rtol: 1e-5, atol: 1e-5 });
    m.dispose();
    const pairs = pairSimilarity(queries, gallery.slice(0, queries.length), { metric });
    expectClose(
      pairs,
      queries.map((q, i) => similarity(q, gallery[i], metric)),
      { rtol: 1e-5, atol: 1e-5 },
    );
    pairs.dispose();
  });

  it('leaves no tensors behind and rejects mismatched sizes', async () => {
    const a = tf.tensor2d(queries);
    await expectNoLeak(() => similarityMatrix(a, gallery));
    await expectNoLeak(() => pairSimilarity(a, a, { metric: 'euclidean' }));
    expect(() => similarityMatrix(a, [[1, 2]])).toThrow(/b\.shape\[1\] must be 8/);
    expect(() => pairSimilarity(a, gallery)).toThrow(/b\.shape\[0\] must be 13/);
    expect(() => similarityMatrix(a, gallery, { metric: 'dot' as Metric })).toThrow(
      InvalidArgumentError,
    );
    a.dispose();
  });
});

describe('searchGallery against a naive full sort', () => {
  const blocks = [
    { queryBatchSize: 1024, galleryBatchSize: 8192 }, // one block
    { queryBatchSize: 4, galleryBatchSize: 7 }, // many blocks, running top-k merges
  ];

  it.each(blocks)('cosine items, blocks %o', async (sizes) => {
    const got = await searchGallery(queries, gallery, { k: 6, ...sizes });
    expect(got.queries).toBe(13);
    queries.forEach((q, i) => {
      const want = ranking(q, gallery, 'cosine').slice(0, 6);
      expect(Array.from(got.indices.subarray(i * 6, i * 6 + 6))).toEqual(want.map((m) => m.index));
      expectClose(
        got.scores.subarray(i * 6, i * 6 + 6),
        want.map((m) => m.score),
        { atol: 1e-6 },
      );
    });
  });

  it.each(blocks)(
    'euclidean items with exact ties go to the lower index, blocks %o',
    async (sizes) => {
      const got = await searchGallery(intQueries, intGallery, {
        k: 10,
        metric: 'euclidean',
        ...sizes,
      });
      intQueries.forEach((q, i) => {
        const want = ranking(q, intGallery, 'euclidean').slice(0, 10);
        expect(Array.from(got.indices.subarray(i * 10, i * 10 + 10))).toEqual(
          want.map((m) => m.index),
        );
      });
      // the data really has ties inside the top 10
      const tied = intQueries.some((q) => {
        const s = ranking(q, intGallery, 'euclidean')
          .slice(0, 10)
          .map((m) => m.score);
        return new Set(s).size < s.length;
      });
      expect(tied).toBe(true);
    },
  );

  it.each(blocks)('best row per identity, blocks %o', async (sizes) => {
    for (const [qs, gs, ls, metric] of [
      [queries, gallery, labels, 'cosine'],
      [intQueries, intGallery, intLabels, 'euclidean'],
    ] as const) {
      const got = await searchGallery(qs, gs, {
        k: 5,
        by: 'identity',
        galleryLabels: ls,
        metric,
        ...sizes,
      });
      qs.forEach((q, i) => {
        const want = identityRanking(ranking(q, gs, metric), ls).slice(0, 5);
        expect(Array.from(got.indices.subarray(i * 5, i * 5 + 5))).toEqual(
          want.map((m) => m.index),
        );
      });
    }
  });

  it.each(blocks)('excludeSelf drops query i = gallery row i, blocks %o', async (sizes) => {
    const items = await searchGallery(gallery, gallery, { k: 4, excludeSelf: true, ...sizes });
    const ids = await searchGallery(gallery, gallery, {
      k: 3,
      excludeSelf: true,
      by: 'identity',
      galleryLabels: labels,
      ...sizes,
    });
    gallery.forEach((q, i) => {
      const full = ranking(q, gallery, 'cosine', i);
      expect(Array.from(items.indices.subarray(i * 4, i * 4 + 4))).toEqual(
        full.slice(0, 4).map((m) => m.index),
      );
      const byId = identityRanking(full, labels).slice(0, 3);
      expect(Array.from(ids.indices.subarray(i * 3, i * 3 + 3))).toEqual(byId.map((m) => m.index));
    });
  });

  it('keeps memory flat across searches and leaks nothing', async () => {
    const g = tf.tensor2d(gallery);
    const q = tf.tensor2d(queries);
    await expectNoLeak(() => searchGallery(q, g, { k: 3, galleryBatchSize: 10 }));
    await expectNoLeak(() => searchGallery(queries, gallery, { k: 3, metric: 'euclidean' }));
    await expectFlatMemory(
      () => searchGallery(q, g, { k: 2, queryBatchSize: 5, galleryBatchSize: 9 }),
      {
        steps: 3,
      },
    );
    tf.dispose([g, q]);
  });

  it('rejects bad input naming the argument, and frees what it made', async () => {
    const before = tf.memory().numTensors;
    await expect(searchGallery(queries, gallery, { k: 46 })).rejects.toThrow(
      /k must be an integer >= 1 and <= 45/,
    );
    await expect(searchGallery(queries, gallery, { by: 'identity' })).rejects.toThrow(
      /galleryLabels/,
    );
    await expect(
      searchGallery(queries, gallery, { by: 'identity', galleryLabels: labels, k: 12 }),
    ).rejects.toThrow(/k must be an integer >= 1 and <= 11/);
    await expect(searchGallery(queries, gallery, { excludeSelf: true })).rejects.toThrow(
      /queries\.shape\[0\]/,
    );
    await expect(searchGallery([[1, NaN, 0, 0, 0, 0, 0, 0]], gallery)).rejects.toThrow(
      /queries must be finite values/,
    );
    await expect(searchGallery(queries, [[1, 2]])).rejects.toThrow(/gallery\.shape\[1\] must be 8/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
