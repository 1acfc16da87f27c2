import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@face/core';
import { useBackend } from '@face/backends';
import { randn, wasmVsCpu } from './compare';

// Threads are fixed when the wasm backend first initializes, so this file needs a process
// where it has not (vitest runs each test file in its own process; FACE_TEST_BACKEND=wasm
// initializes it in the setup, and then this is skipped).
const fresh = tf.engine().registry.wasm == null;

describe.runIf(fresh)('wasm threads in Node', () => {
  it('starts 2 threads and computes what the cpu backend does', async () => {
    const s = await useBackend('wasm', { threads: 2 });
    expect(s.backend).toBe('wasm');
    expect(s.threads).toBe(2);
    expect(s.reason).toMatch(/2 threads/);
    await useBackend('cpu');
    const rng = new Rng(3);
    const x = randn(rng, [4, 12, 12, 8]);
    const w = randn(rng, [3, 3, 8, 16]);
    const err = await wasmVsCpu(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))),
      )([tf.tensor(x, [4, 12, 12, 8]), tf.tensor(w, [3, 3, 8, 16])]),
    );
    expect(err).toBeLessThan(1e-5);
  });
});
