import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectFlatMemory, expectNoLeak, maxRelativeError } from '@face/test-support';

describe('test-support', () => {
  it('runs on the requested backend with gradients registered', () => {
    expect(tf.getBackend()).toBe(process.env.FACE_TEST_BACKEND ?? 'cpu');
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2]));
    expectClose(g, [2, -4]);
  });

  it('expectClose fails outside tolerance, on shape mismatch and on NaN', () => {
    expect(() => expectClose([1, 2], [1, 2.1], { rtol: 1e-3 })).toThrow(
      /element 1 is 2, expected 2.1/,
    );
    expect(() => expectClose(tf.zeros([2, 1]), tf.zeros([1, 2]))).toThrow(/shape/);
    expect(() => expectClose([Number.NaN], [0])).toThrow(/element 0/);
    expect(() => expectClose([Number.NaN, Infinity], [Number.NaN, Infinity])).not.toThrow();
    expect(maxRelativeError([1, 2], [1, 4])).toBeCloseTo(0.5);
  });

  it('expectNoLeak and expectFlatMemory catch kept tensors', async () => {
    const kept: tf.Tensor[] = [];
    await expect(expectNoLeak(() => kept.push(tf.ones([2])))).rejects.toThrow(/leaked 1 tensor/);
    await expect(expectFlatMemory(() => kept.push(tf.ones([2])), { steps: 3 })).rejects.toThrow(
      /grew/,
    );
    // tf.add, not x.add: chained ops exist only when @tensorflow/tfjs is imported, not with tfjs-core.
    await expectFlatMemory(() => tf.tidy(() => tf.add(tf.ones([2]), 1)).dispose(), { steps: 3 });
    tf.dispose(kept);
  });
});
