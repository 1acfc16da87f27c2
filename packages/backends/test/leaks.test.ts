import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@face/core';
import { expectFlatMemory } from '@face/test-support';
import { useBackend } from '@face/backends';
import { randn } from './compare';

/**
 * Our wasm kernels allocate scratch buffers the engine never sees (phase planes, im2col
 * chunks, views). tf.memory() catches leaked outputs; the wasm backend's own count of live
 * buffers (numDataIds) catches leaked scratch.
 */
async function expectNoHeapGrowth(step: () => void, what: string) {
  await expectFlatMemory(step, { steps: 50, warmup: 2, what });
  const before = tf.backend().numDataIds();
  for (let i = 0; i < 5; i++) step();
  expect(tf.backend().numDataIds(), `${what}: wasm buffers`).toBe(before);
}

describe('wasm kernels release everything they allocate', () => {
  const rng = new Rng(5);
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend();
    await useBackend('wasm');
    return async () => {
      await tf.setBackend(previous);
    };
  });

  const x = randn(rng, [2, 9, 7, 4]);
  const w = randn(rng, [3, 3, 4, 5]);
  const dwf = randn(rng, [3, 3, 4, 2]);
  const run = (fn: () => tf.Tensor | tf.Tensor[]) => () => tf.dispose(tf.tidy(fn));
  const cases: [string, () => tf.Tensor | tf.Tensor[]][] = [
    [
      'conv2d gradients, stride 2 (filter + input)',
      () =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')),
        )([tf.tensor(x, [2, 9, 7, 4]), tf.tensor(w, [3, 3, 4, 5])]),
    ],
    [
      'conv2d gradients, 1x1 stride 1',
      () =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid')),
        )([tf.tensor(x, [2, 9, 7, 4]), tf.tensor(w.slice(0, 20), [1, 1, 4, 5])]),
    ],
    [
      'depthwise gradients, multiplier 2, stride 2',
      () =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')),
        )([tf.tensor(x, [2, 9, 7, 4]), tf.tensor(dwf, [3, 3, 4, 2])]),
    ],
    [
      'gather gradient (UnsortedSegmentSum)',
      () =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([0, 2, 2], 'int32'))))(
          tf.tensor(w.slice(0, 12), [4, 3]),
        ),
    ],
    [
      'matMul with transposes, batched',
      () =>
        tf.matMul(
          tf.tensor(x.slice(0, 60), [3, 5, 4]),
          tf.tensor(w.slice(0, 30), [3, 2, 5]),
          true,
          true,
        ),
    ],
    [
      'sum, mean over leading axes',
      () => [
        tf.sum(tf.tensor(x, [2, 9, 7, 4]), [0, 1, 2]),
        tf.mean(tf.tensor(x, [2, 9, 7, 4]), [0, 1]),
      ],
    ],
    [
      'tile, slice, identity, cast',
      () => {
        const t = tf.tensor(x, [2, 9, 7, 4]);
        return [
          tf.tile(t, [1, 2, 1, 1]),
          tf.slice(t, [0, 1, 1, 0], [2, 3, 3, 4]),
          tf.clone(t),
          tf.cast(t, 'float32'),
        ];
      },
    ],
  ];
  it.each(cases)('%s', async (what, fn) => {
    await expectNoHeapGrowth(run(fn), what);
  });
});
