import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendSetupError } from '@face/core';
import { SGD, Trainer } from '@face/train';

describe('a training step on a backend that lacks a kernel', () => {
  it('fails with an error naming @face/backends, not tfjs\'s "not registered"', async () => {
    const w = tf.variable(tf.ones([2]), true, 'backend-errors/w');
    const trainer = new Trainer<number>({
      optimizer: new SGD([w], { lr: 0.1 }),
      // A kernel no backend has: TF.js throws its own "Kernel '...' not registered" error.
      lossFn: () => {
        const y = tf.engine().runKernel('FaceNoSuchKernel', { x: w }) as tf.Tensor;
        return tf.sum(y) as tf.Scalar;
      },
    });
    const err = await trainer.fit(() => [1], { epochs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendSetupError);
    expect((err as BackendSetupError).kernel).toBe('FaceNoSuchKernel');
    expect((err as BackendSetupError).backend).toBe(tf.getBackend());
    expect((err as Error).message).toMatch(
      new RegExp(
        `^Trainer: a training step needs the TF.js kernel 'FaceNoSuchKernel', which backend '${tf.getBackend()}' does not have: install @face/backends`,
      ),
    );
    expect(((err as Error).cause as Error).message).toContain('not registered for backend');
    w.dispose();
  });
});
