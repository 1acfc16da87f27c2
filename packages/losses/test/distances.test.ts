import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeak } from '@face/test-support';
import { Rng, ShapeError } from '@face/core';
import { pairwiseDistance } from '@face/losses';

function naive(a: number[][], b: number[][], kind: string): number[][] {
  return a.map((x) =>
    b.map((y) => {
      const dot = x.reduce((s, v, i) => s + v * y[i], 0);
      const sq = x.reduce((s, v, i) => s + (v - y[i]) ** 2, 0);
      const nx = Math.hypot(...x);
      const ny = Math.hypot(...y);
      return kind === 'cosine' ? 1 - dot / (nx * ny) : kind === 'euclidean' ? Math.sqrt(sq) : sq;
    }),
  );
}

describe('pairwiseDistance', () => {
  const rng = new Rng(3);
  const a = Array.from({ length: 5 }, () => Array.from({ length: 7 }, () => rng.normal()));
  const b = Array.from({ length: 4 }, () => Array.from({ length: 7 }, () => rng.normal()));

  it.each(['euclidean', 'squaredEuclidean', 'cosine'] as const)(
    '%s matches a naive loop',
    async (kind) => {
      const ta = tf.tensor2d(a);
      const tb = tf.tensor2d(b);
      const d = await expectNoLeak(() => pairwiseDistance(ta, tb, kind));
      expectClose(d, naive(a, b, kind), { rtol: 1e-5, atol: 1e-5 });
      tf.dispose([ta, tb, d]);
    },
  );

  it('is exactly zero on the diagonal of a self-distance, never negative', () => {
    const ta = tf.tensor2d(a);
    const d = pairwiseDistance(ta, ta, 'squaredEuclidean');
    expect(Math.min(...d.dataSync())).toBeGreaterThanOrEqual(0);
    tf.dispose([ta, d]);
  });

  it('rejects mismatched widths', () => {
    expect(() => pairwiseDistance(tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(ShapeError);
  });
});
