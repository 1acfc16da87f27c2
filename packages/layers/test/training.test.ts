import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { expectFlatMemory } from '@face/test-support';
import { iresnet, mobileFaceNet } from '@face/layers';

/** One step of what a trainer does: apply in training mode inside optimizer.minimize. */
function trainer(model: LayersModel, batch: number) {
  const side = model.inputs[0].shape[1]!;
  const x = tf.randomNormal([batch, side, side, 3], 0, 1, 'float32', 1);
  const target = tf.randomNormal([batch, model.outputs[0].shape[1]!], 0, 1, 'float32', 2);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const step = () => {
    const loss = optimizer.minimize(() => {
      const y = model.apply(x, { training: true }) as tf.Tensor;
      return tf.mean(tf.squaredDifference(y, target)) as tf.Scalar;
    }, true);
    const value = loss!.dataSync()[0];
    loss!.dispose();
    return value;
  };
  return { step, x };
}

const runningMeans = (model: LayersModel) =>
  model.nonTrainableWeights
    .filter((w) => w.originalName.endsWith('running_mean'))
    .map((w) => Array.from(w.read().dataSync()));

describe('backbones in a custom training loop', () => {
  it.each([
    [
      'iresnet with DropBlock',
      () =>
        iresnet({
          stages: [1, 1, 1, 1],
          width: 0.125,
          inputSize: 16,
          embeddingSize: 8,
          seed: 1,
          dropBlock: { p: 0.1, blockSize: 3, stages: [1, 2], seed: 2 },
        }),
    ],
    [
      'mobilefacenet',
      () => mobileFaceNet({ width: 0.125, inputSize: 16, embeddingSize: 8, seed: 1 }),
    ],
  ])('%s: the loss falls, running statistics move, memory stays flat', async (_, make) => {
    const model = make();
    const { step, x } = trainer(model, 4);
    const before = runningMeans(model);
    const first = step();
    expect(runningMeans(model)).not.toEqual(before);
    await expectFlatMemory(step, { steps: 3, warmup: 1, what: 'training step' });
    expect(step()).toBeLessThan(first);
    // Inference leaves the statistics alone.
    const after = runningMeans(model);
    tf.dispose(model.predict(x));
    expect(runningMeans(model)).toEqual(after);
    x.dispose();
    model.dispose();
  });
});
