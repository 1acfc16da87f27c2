import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CheckpointManager,
  SGD,
  Trainer,
  checkpointCallback,
  disposeCheckpoint,
  shuffledBatches,
  splitWeightDecay,
} from '@face/train';

const root = mkdtempSync(join(tmpdir(), 'face-train-layers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };

/** A tfjs-layers model with BatchNorm: named layers give stable weight names. */
function build(dir: string) {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ name: 'fc1', inputShape: [4], units: 6, kernelInitializer: 'ones' }),
      tfl.layers.batchNormalization({ name: 'bn' }),
      tfl.layers.dense({ name: 'fc2', units: 2, kernelInitializer: 'ones' }),
    ],
  });
  const optimizer = new SGD(splitWeightDecay(model), {
    lr: 0.05,
    momentum: 0.9,
    weightDecay: 1e-3,
  });
  const manager = new CheckpointManager(dir);
  const trainer = new Trainer<Batch>({
    optimizer,
    variables: model,
    lossFn: ({ x, y }) =>
      tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    callbacks: [checkpointCallback(manager)],
  });
  const source = shuffledBatches<Batch>(
    8,
    4,
    (idx) => ({
      x: tf.tensor2d(
        idx.flatMap((i) => [i, -i, i / 2, 1]),
        [idx.length, 4],
      ),
      y: tf.tensor2d(
        idx.flatMap((i) => [i % 2, 1 - (i % 2)]),
        [idx.length, 2],
      ),
    }),
    { seed: 4 },
  );
  return { model, optimizer, manager, trainer, source };
}

describe('a tfjs-layers model', () => {
  it('trains through its trainableWeights and checkpoints BatchNorm statistics as state', async () => {
    const dir = join(root, 'run');
    const a = build(dir);
    expect(a.trainer.variables.map((v) => v.name)).toEqual([
      'fc1/kernel',
      'fc1/bias',
      'bn/gamma',
      'bn/beta',
      'fc2/kernel',
      'fc2/bias',
    ]);
    expect(a.trainer.stateVariables.map((v) => v.name)).toEqual([
      'bn/moving_mean',
      'bn/moving_variance',
    ]);
    await a.trainer.fit(a.source, { epochs: 1 });
    const movingMean = a.model.getLayer('bn').getWeights()[2];
    expect(Array.from(movingMean.dataSync()).some((v) => v !== 0)).toBe(true);

    // The same architecture built again in this process restores every weight, statistics included.
    const b = build(join(root, 'other'));
    const ckpt = (await a.manager.load())!;
    b.trainer.restore(ckpt, dir);
    disposeCheckpoint(ckpt);
    const same = (m: tfl.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(same(b.model)).toEqual(same(a.model));
    expect(b.trainer.position).toEqual({ epoch: 1, batchInEpoch: 0, step: 2 });
    for (const m of [a, b]) {
      m.optimizer.dispose();
      m.model.dispose();
    }
  });
});
