import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectNoLeak, loadFixture } from '@face/test-support';
import { clipGradNorm, clipGradValue } from '@face/train';

interface Fixture {
  grads: Record<string, number[]>;
  norm: {
    normType: 1 | 2 | 'Infinity';
    maxNorm: number;
    totalNorm: number;
    clipped: Record<string, number[]>;
  }[];
  value: { clipValue: number; clipped: Record<string, number[]> };
}
const fx = loadFixture<Fixture>(import.meta.url, 'clipping');

describe('gradient clipping matches torch.nn.utils', () => {
  it.each(fx.norm.map((c) => [`norm ${c.normType}, max ${c.maxNorm}`, c] as const))(
    'clipGradNorm %s',
    async (_n, c) => {
      const grads = Object.fromEntries(Object.entries(fx.grads).map(([k, v]) => [k, tf.tensor(v)]));
      const normType = c.normType === 'Infinity' ? Infinity : c.normType;
      const out = await expectNoLeak(() => clipGradNorm(grads, c.maxNorm, { normType }));
      expectClose(out.totalNorm, c.totalNorm, { rtol: 1e-6, what: 'total norm' });
      for (const k of Object.keys(fx.grads))
        expectClose(out.grads[k], c.clipped[k], { rtol: 1e-6, atol: 1e-8, what: k });
      tf.dispose([out, grads]);
    },
  );

  it('clipGradValue', () => {
    const grads = Object.fromEntries(Object.entries(fx.grads).map(([k, v]) => [k, tf.tensor(v)]));
    const out = clipGradValue({ ...grads, none: null }, fx.value.clipValue);
    expect(Object.keys(out)).toEqual(Object.keys(fx.grads));
    for (const k of Object.keys(fx.grads)) expectClose(out[k], fx.value.clipped[k], { what: k });
    tf.dispose([out, grads]);
  });

  it('rejects a non-positive bound and an unsupported norm', () => {
    expect(() => clipGradNorm({ a: null }, 0)).toThrow(/maxNorm must be a finite number > 0/);
    expect(() => clipGradNorm({}, 1, { normType: 3 as 2 })).toThrow(
      /normType must be 1, 2 or Infinity/,
    );
    expect(() => clipGradValue({}, -1)).toThrow(/clipValue/);
  });
});
