import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expectClose, expectFlatMemory } from '@face/test-support';
import { BatchNorm } from '@face/norms';
import { Rng } from '@face/core';

/** A conv -> BatchNorm -> dense model, as a trainer would hold it. */
function smallModel(): { model: tfl.LayersModel; bn: BatchNorm } {
  const input = tfl.input({ shape: [4, 4, 2] });
  const conv = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' });
  const bn = new BatchNorm({ name: 'bn' });
  const flat = tfl.layers.flatten().apply(bn.apply(conv.apply(input))) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 2 }).apply(flat) as tfl.SymbolicTensor;
  return { model: tfl.model({ inputs: input, outputs: out }), bn };
}

const runningStats = (bn: BatchNorm) =>
  bn
    .getWeights()
    .slice(2)
    .map((t) => Array.from(t.dataSync()));

describe('BatchNorm in a custom training loop', () => {
  const rng = new Rng(3);
  const x = tf.tensor(
    Array.from({ length: 8 * 32 }, () => rng.normal(1, 2)),
    [8, 4, 4, 2],
  );

  it('updates running statistics inside optimizer.minimize, only with training: true', async () => {
    const { model, bn } = smallModel();
    const optimizer = tf.train.sgd(0.01);
    const before = runningStats(bn);
    tf.dispose(model.predict(x));
    tf.dispose(model.apply(x) as tf.Tensor);
    expect(runningStats(bn)).toEqual(before);

    const step = () => {
      const loss = optimizer.minimize(
        () => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)),
        true,
      );
      loss?.dispose();
    };
    // The conv output the first step normalizes (its weights move after the step).
    const trunk = tfl.model({
      inputs: model.inputs,
      outputs: model.layers[1].output as tfl.SymbolicTensor,
    });
    const features = trunk.predict(x) as tf.Tensor;
    const batchMean = tf.mean(features, [0, 1, 2]);
    step();
    const after = runningStats(bn);
    expect(after).not.toEqual(before);
    // One step of momentum 0.1 from (0, 1): the new mean is a tenth of the batch mean.
    expectClose(after[0], tf.mul(batchMean, 0.1), { rtol: 1e-4, atol: 1e-6 });
    tf.dispose([features, batchMean]);

    // Gradients reach gamma and beta; the running statistics are not trainable.
    const { grads } = tf.variableGrads(() =>
      tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)),
    );
    const names = Object.keys(grads);
    expect(names.some((n) => n.endsWith('bn/gamma'))).toBe(true);
    expect(names.some((n) => /running/.test(n))).toBe(false);
    tf.dispose(grads);

    await expectFlatMemory(step, { steps: 5, what: 'minimize step with BatchNorm' });
  });
});
