import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeak } from '@face/test-support';
import { layerNorm, LayerNorm } from '@face/norms';
import { casesOf, checkAgainstTorch, FORWARD, nchw, toChannelsLast } from './support';
import { Rng, ShapeError } from '@face/core';

/** Naive loop straight from the definition, in float64. */
function naiveLayerNorm(x: number[], groupSize: number, eps: number): number[] {
  const out: number[] = [];
  for (let g = 0; g < x.length; g += groupSize) {
    const v = x.slice(g, g + groupSize);
    const mean = v.reduce((s, a) => s + a, 0) / groupSize;
    const variance = v.reduce((s, a) => s + (a - mean) ** 2, 0) / groupSize;
    for (const a of v) out.push((a - mean) / Math.sqrt(variance + eps));
  }
  return out;
}

describe('layerNorm', () => {
  it('normalizes the trailing axes as the definition says', async () => {
    const rng = new Rng(1);
    const values = Array.from({ length: 2 * 3 * 4 }, () => rng.normal(3, 2));
    const x = tf.tensor3d(values, [2, 3, 4]);
    const y1 = await expectNoLeak(() => layerNorm(x));
    expectClose(y1, naiveLayerNorm(values, 4, 1e-5), { rtol: 1e-5, atol: 1e-6 });
    const y2 = layerNorm(x, { normalizedRank: 2, eps: 1e-3 });
    expectClose(y2, naiveLayerNorm(values, 12, 1e-3), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([x, y1, y2]);
  });

  it('applies gamma and beta and rejects mismatched shapes', () => {
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const y = layerNorm(x, { gamma: tf.fill([4], 2), beta: tf.fill([4], 1) });
    const base = naiveLayerNorm([1, 2, 3, 4], 4, 1e-5);
    expectClose(y, [base.map((v) => 2 * v + 1)], { rtol: 1e-5, atol: 1e-6 });
    expect(() => layerNorm(x, { gamma: tf.ones([3]) })).toThrow(ShapeError);
    expect(() => layerNorm(x, { normalizedRank: 3 })).toThrow(/rank >= normalizedRank/);
  });
});

describe('layerNorm op and LayerNorm layer against torch.nn.LayerNorm', () => {
  it.each(casesOf('layer'))('%s', (_, c) => {
    const rank = c.normalized_rank!;
    const normalizedShape = c.shape.slice(c.shape.length - rank);
    // PyTorch's layout: the trailing axes of the NCHW tensor, affine of their shape.
    checkAgainstTorch(
      c,
      'first',
      (x, gamma, beta) => layerNorm(x, { normalizedRank: rank, gamma, beta, eps: c.eps }),
      (flat) => tf.tensor(flat, normalizedShape),
    );
    if (rank !== c.shape.length - 1) return;
    // A whole sample normalized channels-last: the same statistics, affine permuted to [H, W, C].
    const toLast = (flat: number[]) =>
      tf.squeeze(toChannelsLast(tf.tensor(flat, [1, ...normalizedShape])), [0]);
    checkAgainstTorch(
      c,
      'last',
      (x, gamma, beta) => layerNorm(x, { normalizedRank: rank, gamma, beta, eps: c.eps }),
      toLast,
    );
    const layer = new LayerNorm({ normalizedRank: 'all', eps: c.eps });
    const x = nchw(c.x, c.shape, 'last');
    layer.build(x.shape);
    layer.setWeights([toLast(c.gamma!), toLast(c.beta!)]);
    expectClose(layer.apply(x) as tf.Tensor, nchw(c.y, c.shape, 'last'), FORWARD);
  });

  it('builds affine weights of the normalized shape and rejects impossible ranks', () => {
    const layer = new LayerNorm({ normalizedRank: 2 });
    layer.build([null, 3, 4]);
    expect(layer.weights.map((w) => w.shape)).toEqual([
      [3, 4],
      [3, 4],
    ]);
    expect(() => new LayerNorm({ normalizedRank: 3 }).build([null, 3, 4])).toThrow(
      /rank > normalizedRank/,
    );
    expect(() => new LayerNorm({ normalizedRank: 0 })).toThrow(/normalizedRank/);
  });
});
