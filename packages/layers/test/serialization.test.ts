import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@face/core';
import {
  Conv2d,
  DepthwiseConv2d,
  DropBlock2D,
  iresnet,
  loadModel,
  mobileFaceNet,
  PointwiseConv2d,
  saveModel,
  SeparableConv2d,
} from '@face/layers';

const dir = mkdtempSync(join(tmpdir(), 'face-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomize(model: tfl.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  model.setWeights(
    model.getWeights().map((w) =>
      tf.tensor(
        Array.from({ length: w.size }, () => rng.uniform(0.5, 1.5)),
        w.shape,
      ),
    ),
  );
}

/** Saved to disk and loaded back: same classes and configs, bitwise-identical outputs. */
async function expectRoundTrip(model: tfl.LayersModel, x: tf.Tensor, name: string): Promise<void> {
  await saveModel(model, join(dir, name));
  const loaded = await loadModel(join(dir, name));
  // (tfjs-layers' own initializers come back with seed null for undefined: compare as JSON.)
  const summary = (m: tfl.LayersModel) =>
    JSON.stringify(
      m.layers.map((l) => [l.name, l.getClassName(), l.getConfig()]),
      (_, v: unknown) => (v === undefined ? null : v),
    );
  expect(summary(loaded)).toEqual(summary(model));
  const a = model.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  tf.dispose([a, b]);
  loaded.dispose();
}

describe('custom layers and backbones survive save -> load', () => {
  it('every convolution kind and DropBlock2D', async () => {
    const input = tfl.input({ shape: [9, 9, 3] });
    const layers = [
      new Conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 1, seed: 1 }),
      new DepthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: false }),
      new PointwiseConv2d({ filters: 5, kernelInitializer: 'torchDefault' }),
      new SeparableConv2d({ filters: 6, kernelSize: 3, depthMultiplier: 2, padding: 'valid' }),
      new DropBlock2D({ p: 0.2, blockSize: 3, scheduleSteps: 10, seed: 4 }),
    ];
    const output = layers.reduce((x, layer) => layer.apply(x) as tfl.SymbolicTensor, input);
    const model = tfl.model({ inputs: input, outputs: output });
    randomize(model, 1);
    await expectRoundTrip(model, tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 3), 'layers');
  });

  it('IResNet and MobileFaceNet (small configurations), with non-trivial running statistics', async () => {
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 5);
    const res = iresnet({
      stages: [1, 1, 1, 1],
      width: 0.125,
      inputSize: 32,
      embeddingSize: 16,
      seed: 1,
    });
    randomize(res, 2);
    await expectRoundTrip(res, x, 'iresnet');
    const mfn = mobileFaceNet({
      width: 0.125,
      inputSize: 32,
      embeddingSize: 16,
      norm: { kind: 'group', groups: 2 },
    });
    randomize(mfn, 3);
    await expectRoundTrip(mfn, x, 'mobilefacenet');
  });
});
