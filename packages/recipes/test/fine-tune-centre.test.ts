import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embedDataset, fineTuneRecipe, loadFaceModel } from '@face/recipes';
import type { FaceDataset } from '@face/data';
import { CENTRE_LAYER, meanEmbedding, setCentre, withCentre } from '../src/recipes/centre';
import { tinyData } from './helpers/tiny';

// dlib's descriptors sit in a narrow cone (mean cosine 0.92 between different drawn people):
// here a small network whose embedding has a large common offset (the last layer's bias) does too.
const data = tinyData({ identities: 10, unseen: 6, images: 6, pairs: 60, seed: 5 });
const dir = mkdtempSync(join(tmpdir(), 'face-centre-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function coneNet(): tfl.LayersModel {
  const input = tfl.input({ shape: [16, 16, 3] });
  let x = tfl.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed: 1 }),
      name: 'cone.conv',
    })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.flatten({ name: 'cone.flatten' }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({
      units: 16,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      biasInitializer: tfl.initializers.constant({ value: 3 }),
      name: 'cone.fc',
    })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: 'cone' });
}

/** Mean cosine between embeddings of different people. */
async function meanCosineApart(model: tfl.LayersModel, set: FaceDataset): Promise<number> {
  const e = await embedDataset(model, set, { l2Normalize: true });
  let [sum, n] = [0, 0];
  for (let i = 0; i < e.count; i++)
    for (let j = i + 1; j < e.count; j++) {
      if (e.labels[i] === e.labels[j]) continue;
      for (let k = 0; k < e.dim; k++)
        sum += e.embeddings[i * e.dim + k] * e.embeddings[j * e.dim + k];
      n++;
    }
  return sum / n;
}

const embeddings = async (m: tfl.LayersModel) => (await embedDataset(m, data.unseen)).embeddings;

describe('centring a pretrained embedding before a cosine head', () => {
  it("subtracting the training people's mean opens the cone for people not trained on", async () => {
    const before = tf.memory().numTensors;
    const backbone = coneNet();
    const centred = withCentre('test', backbone);
    setCentre(centred, await meanEmbedding(backbone, data.train));
    const raw = await meanCosineApart(backbone, data.unseen);
    const after = await meanCosineApart(centred, data.unseen);
    console.info(
      `mean cosine between different unseen people: ${raw.toFixed(3)} -> ${after.toFixed(3)}`,
    );
    expect(raw).toBeGreaterThan(0.9);
    expect(after).toBeLessThan(0.3);
    // Centring is a translation: Euclidean distances are unchanged.
    const [a, b] = [await embeddings(backbone), await embeddings(centred)];
    const d = (e: Float32Array, i: number, j: number) =>
      Math.hypot(...Array.from({ length: 16 }, (_, k) => e[i * 16 + k] - e[j * 16 + k]));
    expect(d(b, 0, 7)).toBeCloseTo(d(a, 0, 7), 4);
    centred.getLayer(CENTRE_LAYER).dispose();
    backbone.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fineTuneRecipe fixes the offset from the pretrained backbone and saves it with the model', async () => {
    const backbone = coneNet();
    const mean = await meanEmbedding(backbone, data.train);
    const run = fineTuneRecipe({
      backbone,
      train: data.train,
      epochs: 1,
      batchSize: 16,
      probe: { maxEpochs: 1 },
      guard: false,
      modelDir: join(dir, 'model'),
    });
    expect(run.backbone).not.toBe(backbone);
    await run.fit();
    const tuned = run.backbone as tfl.LayersModel;
    const bias = await tuned.getLayer(CENTRE_LAYER).getWeights()[1].data();
    // Computed before any step and not trained: still minus the pretrained mean.
    bias.forEach((x, k) => expect(x).toBeCloseTo(-mean[k], 4));
    const trained = await embeddings(tuned);
    const saved = await loadFaceModel(join(dir, 'model'));
    const loaded = saved.backbone.getLayer(CENTRE_LAYER);
    expect(loaded.trainable).toBe(false);
    const again = await embeddings(saved.backbone);
    again.forEach((x, i) => expect(x).toBeCloseTo(trained[i], 4));
    expect(await meanCosineApart(saved.backbone, data.unseen)).toBeLessThan(0.5);
    saved.backbone.dispose();
    saved.head?.dispose();
    run.dispose();
    backbone.dispose();
  });

  it('centre: false trains the backbone as given', () => {
    const backbone = coneNet();
    const run = fineTuneRecipe({ backbone, train: data.train, epochs: 1, centre: false });
    expect(run.backbone).toBe(backbone);
    expect(() =>
      fineTuneRecipe({ backbone, train: data.train, epochs: 1, centre: 1 as never }),
    ).toThrow(/centre.*true or false/);
    run.dispose();
    backbone.dispose();
  });
});
