import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, Rng } from '@face/core';
import { expectClose } from '@face/test-support';
import {
  DLIB_RESNET_BLOCKS,
  DLIB_RESNET_MANIFEST,
  dlibFaceDescriptors,
  dlibResNet,
  dlibResNetBlockOf,
  loadDlibResNet,
  pretrainedModel,
  setTrainableFrom,
  type WeightsArtifacts,
} from '@face/pretrained';
import { faceApiModels } from './face-api';

const manifest = JSON.parse(
  readFileSync(join(faceApiModels, DLIB_RESNET_MANIFEST), 'utf8'),
) as tf.io.WeightsManifestConfig;
const shard = new Uint8Array(readFileSync(join(faceApiModels, manifest[0].paths[0])));
const inMemory = (
  weights = manifest[0].weights,
  data: ArrayBuffer = shard.slice().buffer,
): WeightsArtifacts => ({
  manifest: [{ paths: manifest[0].paths, weights }],
  weightData: data,
});

const rng = new Rng(21);
const image = () =>
  tf.tensor3d(
    Array.from({ length: 150 * 150 * 3 }, () => Math.floor(rng.uniform() * 256)),
    [150, 150, 3],
  );

describe('dlibResNet architecture', () => {
  it('has exactly the parameters of the face-api manifest, and names every layer by block', () => {
    const model = dlibResNet();
    const fromManifest = manifest[0].weights.reduce(
      (s, e) => s + e.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect(model.countParams()).toBe(fromManifest);
    expect(model.inputs[0].shape).toEqual([null, 150, 150, 3]);
    expect(model.outputs[0].shape).toEqual([null, 128]);
    const owners = new Set(model.layers.map((l) => dlibResNetBlockOf(l.name)));
    expect([...owners].filter(Boolean).sort()).toEqual([...DLIB_RESNET_BLOCKS].sort());
    const unowned = model.layers.filter((l) => dlibResNetBlockOf(l.name) === undefined);
    expect(unowned.map((l) => l.name).sort()).toEqual(['avg_pool', 'image']);
    expect(dlibResNetBlockOf('conv256_down_out_conv1_conv')).toBe('conv256_down_out');
    expect(dlibResNetBlockOf('conv256_down_conv1_conv')).toBe('conv256_down');
    // The odd-sized downsampling blocks zero-pad their branch to the pooled shortcut.
    expect(model.getLayer('conv256_down_conv2_pad').outputShape).toEqual([null, 4, 4, 256]);
    expect(model.getLayer('conv256_down_out_conv2_pad').outputShape).toEqual([null, 2, 2, 256]);
    expect(() => dlibResNet({ kernelInitializer: 'ones' as never })).toThrow(InvalidArgumentError);
    // From scratch: He-normal kernels, std about sqrt(2 / fan_in) (truncated, so a little less).
    const kernel = model.getLayer('conv32_1_conv1_conv').getWeights()[0];
    const std = tf.tidy(() => tf.sqrt(tf.moments(kernel).variance).dataSync()[0]);
    expect(std).toBeGreaterThan(0.6 * Math.sqrt(2 / (3 * 3 * 32)));
    expect(std).toBeLessThan(1.05 * Math.sqrt(2 / (3 * 3 * 32)));
    model.dispose();
  });
});

describe('loadDlibResNet', () => {
  let model: tfl.LayersModel;
  beforeAll(async () => {
    const before = tf.memory().numTensors;
    model = await loadDlibResNet(inMemory(), { trainableFrom: 'conv256_2' });
    // Decoded weights are released: only the model's variables stay.
    expect(tf.memory().numTensors - before).toBe(model.weights.length);
  });
  afterAll(() => model.dispose());

  it('freezes the blocks before trainableFrom and leaves the rest trainable', () => {
    const trainable = new Set(
      model.trainableWeights.map((w) => dlibResNetBlockOf(w.originalName.split('/')[0])),
    );
    expect([...trainable]).toEqual(['conv256_2', 'conv256_down_out', 'fc']);
    setTrainableFrom(model, 'fc');
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['fc/kernel']);
    setTrainableFrom(model, 'conv32_down');
    expect(model.nonTrainableWeights).toHaveLength(0);
    setTrainableFrom(model, 'conv256_2');
    expect(() => setTrainableFrom(model, 'conv99' as never)).toThrow(
      /block must be one of 'conv32_down'/,
    );
  });

  // tfjs's wasm backend has no Conv2DBackpropFilter kernel, so convolutions cannot train there.
  it.skipIf(tf.getBackend() === 'wasm')(
    'trains: one SGD step moves the trainable weights only',
    async () => {
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const x = tf.tidy(() => tf.randomNormal([1, 150, 150, 3], 0, 0.3, 'float32', 1));
      const y = tf.ones([1, 128]);
      const frozen = model.getLayer('conv32_1_conv1_conv').getWeights()[0].dataSync().slice();
      const fc = model.getLayer('fc').getWeights()[0].dataSync().slice();
      const history = await model.fit(x, y, { epochs: 1, batchSize: 1, verbose: 0 });
      expect(Number.isFinite(history.history.loss[0] as number)).toBe(true);
      expect(model.getLayer('conv32_1_conv1_conv').getWeights()[0].dataSync()).toEqual(frozen);
      const moved = model.getLayer('fc').getWeights()[0].dataSync();
      expect(moved.some((v, i) => v !== fc[i])).toBe(true);
      tf.dispose([x, y]);
    },
  );

  it('saves through tf.io and loads back with identical descriptors and trainable flags', async () => {
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const faces = [image()];
    const a = dlibFaceDescriptors(model, faces);
    const b = dlibFaceDescriptors(loaded, faces);
    expectClose(b, a, { rtol: 0, atol: 0 });
    expect(loaded.trainableWeights.map((w) => w.originalName)).toEqual(
      model.trainableWeights.map((w) => w.originalName),
    );
    tf.dispose([a, b, ...faces]);
    loaded.dispose();
  });
});

describe('loadDlibResNet errors', () => {
  it('names a missing or misshapen entry, and a bad source', async () => {
    const withoutFc = manifest[0].weights.filter((e) => e.name !== 'fc');
    const fcBytes = 256 * 128;
    await expect(
      loadDlibResNet(inMemory(withoutFc, shard.slice(0, shard.length - fcBytes).buffer)),
    ).rejects.toThrow(/source must be a manifest with an entry named 'fc'/);
    const misshapen = manifest[0].weights.map((e) =>
      e.name === 'fc' ? { ...e, shape: [128, 256] } : e,
    );
    await expect(loadDlibResNet(inMemory(misshapen))).rejects.toThrow(
      /shape \[256, 128\] for layer fc/,
    );
    await expect(loadDlibResNet(inMemory(undefined, shard.slice(1).buffer))).rejects.toThrow(
      /loadDlibResNet: weightData must be/,
    );
    await expect(loadDlibResNet(123 as never)).rejects.toThrow(InvalidArgumentError);
    await expect(loadDlibResNet(inMemory(), { trainableFrom: 'x' as never })).rejects.toThrow(
      /loadDlibResNet: options.trainableFrom must be one of/,
    );
  });

  it('rejects a model that is not a LayersModel when computing descriptors', () => {
    expect(() => dlibFaceDescriptors({} as never, tf.zeros([150, 150, 3]) as tf.Tensor3D)).toThrow(
      /model must be a tf.LayersModel/,
    );
  });
});

describe('pretrainedModel', () => {
  it("describes 'dlib-resnet' for tools that use models by name", () => {
    const m = pretrainedModel('dlib-resnet');
    expect([m.name, m.inputSize, m.embeddingSize, m.distanceThreshold]).toEqual([
      'dlib-resnet',
      150,
      128,
      0.6,
    ]);
    expect(m.blocks).toEqual(DLIB_RESNET_BLOCKS);
    const x = tf.zeros([2, 150, 150, 3]) as tf.Tensor4D;
    const y = m.preprocess(x);
    expect(y.shape).toEqual([2, 150, 150, 3]);
    tf.dispose([x, y]);
    expect(() => pretrainedModel('facenet')).toThrow(
      /name must be one of 'dlib-resnet', got "facenet"/,
    );
  });

  it('loads the model with frozen blocks by name', async () => {
    const model = await pretrainedModel('dlib-resnet').load(faceApiModels, { trainableFrom: 'fc' });
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['fc/kernel']);
    model.dispose();
    await expect(
      pretrainedModel('dlib-resnet').load(faceApiModels, { trainableFrom: 'nope' }),
    ).rejects.toThrow(/loadDlibResNet: options.trainableFrom must be one of/);
  });
});
