import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, Rng } from '@face/core';
import { expectClose } from '@face/test-support';
import { backboneNames, buildBackbone, getBackbone } from '@face/layers';
import { DLIB_MEAN_RGB, dlibPreprocess, loadDlibResNet } from '@face/pretrained';
import { faceApiModels } from './face-api';

describe("'dlib-resnet' in the backbone registry", () => {
  let reference: tfl.LayersModel;
  beforeAll(async () => {
    reference = await loadDlibResNet(faceApiModels);
  });
  afterAll(() => reference.dispose());

  it('is registered by importing @face/pretrained, after the built-ins of @face/layers', () => {
    expect(backboneNames().at(-1)).toBe('dlib-resnet');
    expect(backboneNames()).toContain('iresnet50');
  });

  it('states its facts and face-api preprocessing as JSON', () => {
    expect(JSON.parse(JSON.stringify(getBackbone('dlib-resnet')))).toEqual({
      description: expect.stringMatching(/dlib/),
      inputSize: 150,
      inputSizeRule: { fixed: 150 },
      embeddingSize: 128,
      embeddingSizeRule: { fixed: 128 },
      pretrained: true,
      preprocessing: {
        normalization: { mean: DLIB_MEAN_RGB.map((m) => m / 255), std: [1, 1, 1] },
      },
      options: { weights: expect.any(String), trainableFrom: expect.stringMatching(/conv32_down/) },
    });
  });

  it('its preprocessing JSON, applied to 0..1 pixels, is what dlibPreprocess computes', () => {
    const rng = new Rng(4);
    const values = Array.from({ length: 150 * 150 * 3 }, () => Math.floor(rng.uniform() * 256));
    const image = tf.tensor3d(values, [150, 150, 3]);
    const { mean, std } = getBackbone('dlib-resnet').preprocessing.normalization;
    const fromJson = tf.tidy(() =>
      tf.div(
        tf.sub(tf.div(tf.expandDims(image, 0), 255), tf.tensor1d([...mean])),
        tf.tensor1d([...std]),
      ),
    );
    const expected = dlibPreprocess(image);
    expectClose(fromJson, expected, { atol: 1e-6 });
    tf.dispose([image, fromJson, expected]);
  });

  it('builds by name with face-api weights: the loader’s model, frozen up to trainableFrom', async () => {
    const built = await buildBackbone('dlib-resnet', {
      weights: faceApiModels,
      trainableFrom: 'fc',
    });
    expect(built).toMatchObject({
      name: 'dlib-resnet',
      inputSize: 150,
      embeddingSize: 128,
      pretrained: true,
    });
    expect(built.model.trainableWeights.map((w) => w.originalName)).toEqual(['fc/kernel']);
    // Trainable weights come first in getWeights(): compare by name, bit for bit.
    const byName = (m: tfl.LayersModel) =>
      Object.fromEntries(
        m.weights.map((w) => {
          const a = w.read().dataSync() as Float32Array;
          return [
            w.originalName,
            Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
          ];
        }),
      );
    const weights = byName(built.model);
    expect(Object.keys(weights).sort()).toEqual(Object.keys(byName(reference)).sort());
    for (const [name, values] of Object.entries(byName(reference)))
      expect(weights[name], name).toEqual(values);
    built.model.dispose();
  });

  it('refuses other sizes, naming the backbone, the option and the fixed size', async () => {
    await expect(buildBackbone('dlib-resnet', { inputSize: 112 })).rejects.toThrow(
      "buildBackbone('dlib-resnet'): options.inputSize must be 150, got 112",
    );
    await expect(buildBackbone('dlib-resnet', { embeddingSize: 512 })).rejects.toThrow(
      "buildBackbone('dlib-resnet'): options.embeddingSize must be 128, got 512",
    );
    await expect(
      // @ts-expect-error trainableFrom is typed: a block name
      buildBackbone('dlib-resnet', { weights: faceApiModels, trainableFrom: 'conv99' }),
    ).rejects.toThrow(/options.trainableFrom must be one of 'conv32_down'/);
  });

  it('without weights, where face-api does not resolve, says to pass options.weights', async () => {
    const away = mkdtempSync(join(tmpdir(), 'face-no-face-api-'));
    const cwd = process.cwd();
    // pnpm's NODE_PATH reaches its hoisted packages from anywhere: drop it while away.
    const nodeModule = createRequire(import.meta.url)('node:module') as { _initPaths(): void };
    const nodePath = process.env.NODE_PATH;
    delete process.env.NODE_PATH;
    nodeModule._initPaths();
    process.chdir(away);
    try {
      const err = await buildBackbone('dlib-resnet').catch((e: unknown) => e);
      if (!(err instanceof Error)) (err as { model: tfl.LayersModel }).model.dispose();
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as Error).message).toMatch(
        /^buildBackbone\('dlib-resnet'\): options.weights must be face-api's model\/ folder .*npm install @vladmandic\/face-api/,
      );
    } finally {
      process.chdir(cwd);
      if (nodePath !== undefined) process.env.NODE_PATH = nodePath;
      nodeModule._initPaths();
      rmSync(away, { recursive: true, force: true });
    }
  });
});
