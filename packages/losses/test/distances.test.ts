import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeak } from '@face/test-support';
import { InvalidArgumentError, Rng, ShapeError } from '@face/core';
import { distance, pairedDistance, pairwiseDistance } from '@face/losses';
import { expectGradClose } from './helpers';
import { metric } from './metric-fixture';

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

describe('distances against the PyTorch reference, with gradients', () => {
  it.each(metric.distances.cases.map((c) => [`${c.kind} normalize=${c.normalize}`, c] as const))(
    '%s: pairwise matrix and d/dx sum(R * D)',
    (_name, c) => {
      const x = tf.tensor2d(metric.embeddings);
      const r = tf.tensor2d(metric.distances.weights);
      const dist = distance(c.kind, { normalize: c.normalize });
      const d = dist.pairwise(x, x);
      // Float32 self-distances are round-off around 0: compare with an absolute floor.
      expectClose(d, c.matrix, { rtol: 1e-5, atol: 1e-3, what: 'pairwise distances' });
      const g = tf.grad((e: tf.Tensor) =>
        tf.sum(tf.mul(dist.pairwise(e as tf.Tensor2D, e as tf.Tensor2D), r)),
      )(x);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      expectGradClose(g, c.gradWeightedSum, metric.embeddings, 1, 'gradient');
      tf.dispose([x, r, d, g]);
    },
  );

  it('paired distances match the diagonal of the pairwise ones', () => {
    const a = tf.tensor2d(metric.embeddings.slice(0, 6));
    const b = tf.tensor2d(metric.embeddings.slice(6));
    for (const kind of ['euclidean', 'squaredEuclidean', 'cosine'] as const) {
      const pairs = pairedDistance(a, b, kind);
      const full = pairwiseDistance(a, b, kind);
      const diagonal = Array.from({ length: 6 }, (_, i) => (full.arraySync() as number[][])[i][i]);
      expectClose(pairs, diagonal, { rtol: 1e-4, atol: 1e-4, what: kind });
      tf.dispose([pairs, full]);
    }
    tf.dispose([a, b]);
  });

  it('the euclidean self-distance has a finite gradient on its zero diagonal', () => {
    const x = tf.tensor2d(metric.embeddings);
    const g = tf.grad((e: tf.Tensor) =>
      tf.sum(pairwiseDistance(e as tf.Tensor2D, e as tf.Tensor2D)),
    )(x);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, g]);
  });

  it('a zero row is at cosine distance 1 from everything (no NaN)', () => {
    const x = tf.tensor2d([
      [0, 0, 0],
      [1, 2, 3],
    ]);
    const d = pairwiseDistance(x, x, 'cosine');
    expectClose(
      d,
      [
        [1, 1],
        [1, 0],
      ],
      { atol: 1e-6 },
    );
    tf.dispose([x, d]);
  });

  it('rejects unknown kinds and options', () => {
    expect(() => distance('manhattan' as 'cosine')).toThrow(InvalidArgumentError);
    expect(() =>
      distance('cosine', { normalise: true } as unknown as { normalize: boolean }),
    ).toThrow(/unknown option names/);
  });
});
