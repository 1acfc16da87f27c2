import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';
import { pairSimilarity, searchGallery, similarityMatrix } from '@face/metrics/similarity';

const good = [
  [1, 2, 3],
  [0.5, -1, 2],
];
const bad = (value: number) => [
  [1, 2, 3],
  [0.5, value, 2],
];

/** The error thrown by `f`, or a failure when it returns. */
function thrown(f: () => unknown): unknown {
  try {
    tf.dispose(f() as tf.Tensor);
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('non-finite embeddings are refused as searchGallery refuses them', () => {
  it.each([NaN, Infinity, -Infinity])('%s in a or b, arrays or tensors, both metrics', (value) => {
    const before = tf.memory().numTensors;
    const badTensor = tf.tensor2d(bad(value));
    for (const metric of ['cosine', 'euclidean'] as const) {
      for (const [fn, call] of [
        ['pairSimilarity', pairSimilarity],
        ['similarityMatrix', similarityMatrix],
      ] as const) {
        for (const [argument, a, b] of [
          ['a', bad(value), good],
          ['b', good, bad(value)],
          ['a', badTensor, good],
          ['b', good, badTensor],
        ] as const) {
          const error = thrown(() => call(a, b, { metric }));
          expect(error).toBeInstanceOf(InvalidArgumentError);
          expect((error as Error).message).toMatch(`${fn}: ${argument} must be finite values`);
        }
      }
    }
    badTensor.dispose();
    // the tensors made from arrays are disposed on the way out
    expect(tf.memory().numTensors).toBe(before);
  });

  it('same type and wording as searchGallery', async () => {
    const fromSearch = await searchGallery(bad(NaN), good).catch((e: unknown) => e);
    const fromPair = thrown(() => pairSimilarity(bad(NaN), good));
    expect(fromSearch).toBeInstanceOf(InvalidArgumentError);
    expect(fromPair).toBeInstanceOf(InvalidArgumentError);
    const tail = (e: unknown) => (e as Error).message.replace(/^\w+: \w+/, '');
    expect(tail(fromPair)).toBe(tail(fromSearch));
  });

  it('finite input still scores (identical rows: euclidean distance 0)', () => {
    const s = pairSimilarity(good, good, { metric: 'euclidean' });
    expect(Array.from(s.dataSync())).toEqual([-0, -0]);
    s.dispose();
  });
});
