import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeak } from '@face/test-support';
import { layerNorm } from '@face/norms';
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
