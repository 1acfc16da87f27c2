import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '@face/core';
import { normalize } from '@face/data';
import { cmc, topKAccuracy, verificationMetrics } from '@face/metrics';
import { searchGallery } from '@face/metrics/similarity';
import { expectNoLeak } from '@face/test-support';
import {
  classifierHead,
  cosineSimilarity,
  embedDataset,
  embeddingRow,
  evaluateClassification,
  evaluateIdentification,
  evaluateVerification,
  loadFaceModel,
  saveFaceModel,
} from '@face/recipes';
import { tinyBackbone, tinyData } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'face-evaluate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const data = tinyData({ identities: 10, unseen: 6, images: 6, pairs: 40 });
const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });

/** Images of `indices` as the evaluation sees them: `normalize()`, 0..255 -> [-1, 1]. */
async function batchOf(dataset: typeof data.all, indices: number[]): Promise<tf.Tensor4D> {
  const images = await Promise.all(indices.map((i) => dataset.load(i)));
  const { height: h, width: w } = images[0];
  const flat = new Float32Array(indices.length * h * w * 3);
  const t = normalize();
  images.forEach((im, i) => {
    const pixels = { data: Float32Array.from(im.data), height: h, width: w };
    flat.set(t.applyToPixels!(pixels, new Rng(0)).data, i * h * w * 3);
  });
  return tf.tensor4d(flat, [indices.length, h, w, 3]);
}

describe('evaluation', () => {
  it('embedDataset embeds in dataset order, in inference mode, leaving no tensor', async () => {
    const e = await expectNoLeak(() => embedDataset(backbone, data.heldOut, { batchSize: 3 }));
    expect(e.count).toBe(data.heldOut.size);
    expect(e.dim).toBe(8);
    const x = await batchOf(data.heldOut, [0, 1, 2, 3]);
    const direct = backbone.predict(x) as tf.Tensor2D;
    expect(Array.from(e.embeddings.subarray(0, 32))).toEqual(Array.from(direct.dataSync()));
    tf.dispose([x, direct]);
  });

  it('classification accuracy equals top-k accuracy of the head logits', async () => {
    const head = classifierHead('cosine', {
      embeddingDim: 8,
      numClasses: data.train.classNames.length,
      scale: 8,
    });
    const r = await expectNoLeak(() =>
      evaluateClassification(backbone, head, data.heldOut, { k: [1, 3], keepScores: true }),
    );
    const x = await batchOf(data.heldOut, Array.from(data.heldOut.labels.keys()));
    const logits = tf.tidy(() => head.logits(backbone.predict(x) as tf.Tensor2D));
    const rows = (await logits.array()) as number[][];
    expect(r.accuracy).toBe(topKAccuracy(rows, data.heldOut.labels, 1));
    expect(r.topK[3]).toBe(topKAccuracy(rows, data.heldOut.labels, 3));
    expect(r.scores!.map((s) => Array.from(s))).toEqual(
      rows.map((row) => Array.from(Float32Array.from(row))),
    );
    tf.dispose([x, logits]);
    head.dispose();
  });

  it('verification scores pairs by the cosine of embeddings', async () => {
    const r = await expectNoLeak(() => evaluateVerification(backbone, data.pairs, { far: [0.1] }));
    const e = await embedDataset(backbone, data.unseen);
    const scores = data.pairs.pairs.map((p) =>
      cosineSimilarity(embeddingRow(e, p.first), embeddingRow(e, p.second)),
    );
    expect(Array.from(r.scores)).toEqual(scores);
    const labels = data.pairs.pairs.map((p) => (p.same ? 1 : 0));
    expect(r.auc).toBe(verificationMetrics(scores, labels).auc);
    expect(r.tarAtFar).toEqual(verificationMetrics(scores, labels, { far: [0.1] }).tarAtFar);
  });

  it('open-set identification: known and unknown queries, CMC from a gallery search', async () => {
    const r = await expectNoLeak(() =>
      evaluateIdentification(backbone, data.unseen, {
        split: { unknownFraction: 0.5, seed: 1 },
        far: [0.2, 0.5],
      }),
    );
    expect(r.split.knownIdentities).toHaveLength(3);
    expect(r.split.unknownIdentities).toHaveLength(3);
    const known = new Set(r.split.knownIdentities);
    expect(r.split.queryIsKnown).toEqual(Array.from(r.queryLabels, (y) => known.has(y)));
    const e = await embedDataset(backbone, data.unseen);
    const rows = (idx: number[]) => idx.map((i) => Array.from(embeddingRow(e, i)));
    const direct = await searchGallery(rows(r.split.query), rows(r.split.gallery), {
      k: 3,
      by: 'identity',
      galleryLabels: r.galleryLabels,
    });
    expect(r.cmc).toEqual(cmc(direct, r.queryLabels, r.galleryLabels));
    expect(r.dirAtFar.map((p) => p.far)).toEqual([0.2, 0.5]);
    expect(r.openSet.known.total + r.openSet.unknown.total).toBe(r.split.query.length);
  });
});

describe('saved face models', () => {
  for (const kind of ['linear', 'arcface', 'sphereface'] as const) {
    it(`${kind}: save then load gives the same embeddings and logits, bit for bit`, async () => {
      const model = tinyBackbone({ filters: [4], embeddingDim: 8, seed: 9 });
      const head = classifierHead(kind, { embeddingDim: 8, numClasses: 4, seed: 3 });
      if (kind === 'sphereface') head.setState({ iteration: 17 });
      const dir = join(root, `model-${kind}`);
      await saveFaceModel(dir, {
        backbone: model,
        head,
        classNames: ['a', 'b', 'c', 'd'],
        meta: { note: 'x' },
      });
      await saveFaceModel(dir, {
        backbone: model,
        head,
        classNames: ['a', 'b', 'c', 'd'],
        meta: { note: 'y' },
      });
      const loaded = await loadFaceModel(dir);
      expect(loaded.manifest).toMatchObject({
        imageSize: 16,
        embeddingDim: 8,
        classNames: ['a', 'b', 'c', 'd'],
        meta: { note: 'y' },
      });
      expect(loaded.head!.kind).toBe(head.kind);
      expect(loaded.head!.getState()).toEqual(head.getState());
      const x = await batchOf(data.all, [0, 5, 9]);
      const [e1, e2] = [model, loaded.backbone].map((m) => m.predict(x) as tf.Tensor2D);
      expect(Array.from(e2.dataSync())).toEqual(Array.from(e1.dataSync()));
      const [l1, l2] = [head.logits(e1), loaded.head!.logits(e2)];
      expect(Array.from(l2.dataSync())).toEqual(Array.from(l1.dataSync()));
      tf.dispose([x, e1, e2, l1, l2]);
      head.dispose();
      loaded.head!.dispose();
      model.dispose();
      loaded.backbone.dispose();
    });
  }

  it('loadFaceModel names what is wrong with a directory', async () => {
    await expect(loadFaceModel(join(root, 'nothing-here'))).rejects.toThrow(
      /loadFaceModel: dir must be a saved face model/,
    );
  });
});
