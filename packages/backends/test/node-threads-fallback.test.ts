import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@face/backends';

const fresh = tf.engine().registry.wasm == null;

describe.runIf(fresh)('wasm threads in Node, when they cannot start', () => {
  it('falls back to one thread, says so, and still trains', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    // Without SIMD tfjs loads its single-threaded binary: the threads request cannot be met.
    tf.env().set('WASM_HAS_SIMD_SUPPORT', false);
    const s = await useBackend('wasm', { threads: 2 });
    expect(s.backend).toBe('wasm');
    expect(s.threads).toBe(1);
    expect(s.reason).toMatch(/2 threads requested, got 1/);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3]));
    expect(Array.from(g.dataSync())).toEqual([2, -4, 6]);
  });
});
