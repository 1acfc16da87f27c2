// Issue 15's proof: a model trained through the library with its own preprocessing (a centre crop
// out of larger images, then a normalization that is not the default) is embedded by `face embed`
// and evaluated by `face eval` with exactly that preprocessing, read from the saved model.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SyntheticFaces,
  centerCrop,
  compose,
  formatLfwPairs,
  normalize,
  randomHorizontalFlip,
  type LfwPair,
  type Transform,
} from '@face/data';
import { ImageFolder } from '@face/data/node';
import { buildBackbone, getBackbone } from '@face/layers';
import { verificationMetrics } from '@face/metrics';
import { classificationRecipe, embedDataset, embeddingRow } from '@face/recipes';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-model-spec-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const people = ['Ada', 'Alan', 'Grace', 'Edsger'];
const faces = join(root, 'faces');

/** Files at 40 px; the model sees their centre 32 x 32. */
const FILE_SIZE = 40;
const INPUT_SIZE = 32;
const NORMALIZATION = { mean: [0.3, 0.45, 0.6], std: [0.2, 0.3, 0.25] };
const evalTransform = () => compose([centerCrop(INPUT_SIZE), normalize(NORMALIZATION)]);

/** LFW-style pairs over the folder: each person's 1st and 2nd image, and 3rd against the next's 4th. */
const pairs: LfwPair[] = people.flatMap((a, k) => [
  { first: { name: a, number: 1 }, second: { name: a, number: 2 }, same: true, fold: 0 },
  {
    first: { name: a, number: 3 },
    second: { name: people[(k + 1) % people.length], number: 4 },
    same: false,
    fold: 0,
  },
]);

beforeAll(async () => {
  const drawn = new SyntheticFaces({
    identities: people.length,
    imagesPerIdentity: 4,
    size: FILE_SIZE,
    seed: 8,
    difficulty: 0.3,
  });
  for (let i = 0; i < drawn.size; i++) {
    const name = people[drawn.labels[i]];
    mkdirSync(join(faces, name), { recursive: true });
    const img = await drawn.load(i);
    const file = `${name}_${String(drawn.views[i] + 1).padStart(4, '0')}.jpg`;
    await sharp(Buffer.from(img.data), {
      raw: { width: FILE_SIZE, height: FILE_SIZE, channels: 3 },
    })
      .jpeg({ quality: 95 })
      .toFile(join(faces, name, file));
  }
  writeFileSync(join(root, 'pairs.txt'), formatLfwPairs(pairs));
});

/** Embeddings of the folder's images by source path, through `transform`. */
async function embedFolder(
  backbone: Parameters<typeof embedDataset>[0],
  transform: Transform,
): Promise<Map<string, number[]>> {
  const dataset = new ImageFolder(faces);
  const e = await embedDataset(backbone, dataset, { transform, batchSize: 8 });
  return new Map(
    Array.from(e.indices, (index, row) => [
      dataset.source(index),
      Array.from(embeddingRow(e, row)),
    ]),
  );
}

const cosine = (a: number[], b: number[]) => {
  const dot = a.reduce((s, x, i) => s + x * b[i], 0);
  return dot / Math.hypot(...a) / Math.hypot(...b);
};

/** Verification of `pairs` from embeddings by source path. */
function verify(embeddings: Map<string, number[]>) {
  const at = (p: LfwPair['first']) =>
    embeddings.get(join(faces, p.name, `${p.name}_${String(p.number).padStart(4, '0')}.jpg`))!;
  return verificationMetrics(
    pairs.map((p) => cosine(at(p.first), at(p.second))),
    pairs.map((p) => (p.same ? 1 : 0)),
  );
}

const worstDifference = (a: Map<string, number[]>, b: Map<string, number[]>) =>
  Math.max(...[...a].map(([k, v]) => Math.max(...v.map((x, j) => Math.abs(x - b.get(k)![j])))));

describe('a model trained through the library keeps its preprocessing', () => {
  it('face embed and face eval reproduce the training process', async () => {
    const { model: backbone } = await buildBackbone('convnet-tiny', {
      inputSize: INPUT_SIZE,
      embeddingSize: 8,
      seed: 4,
    });
    const out = join(root, 'run');
    const run = classificationRecipe({
      backbone,
      backboneName: 'convnet-tiny',
      train: new ImageFolder(faces),
      epochs: 1,
      batchSize: 8,
      transform: compose([
        centerCrop(INPUT_SIZE),
        randomHorizontalFlip(),
        normalize(NORMALIZATION),
      ]),
      evalTransform: evalTransform(),
      out,
    });
    await run.fit();
    run.dispose();
    // What the training process computes, and what a name-inferred preprocessing would have.
    const expected = await embedFolder(backbone, evalTransform());
    const inferred = await embedFolder(backbone, compose([centerCrop(INPUT_SIZE), normalize()]));
    backbone.dispose();
    // The check can fail: the default normalization gives other embeddings.
    expect(worstDifference(inferred, expected)).toBeGreaterThan(1e-2);

    const saved = JSON.parse(readFileSync(join(out, 'model', 'face-model.json'), 'utf8'));
    expect(saved).toMatchObject({
      version: 2,
      backbone: { name: 'convnet-tiny' },
      imageSize: INPUT_SIZE,
      preprocessing: { resize: null, crop: INPUT_SIZE, normalization: NORMALIZATION },
    });

    const file = join(root, 'embeddings.json');
    const embed = await face(
      'embed',
      '--model',
      join(out, 'model'),
      '--data',
      faces,
      '--out',
      file,
      '--backend',
      'cpu',
    );
    expect(embed.code, embed.err).toBe(0);
    const items = (
      JSON.parse(readFileSync(file, 'utf8')) as { items: { source: string; embedding: number[] }[] }
    ).items;
    expect(items).toHaveLength(expected.size);
    const got = new Map(items.map((i) => [i.source, i.embedding]));
    // Same backend, weights and preprocessing: equal up to float32 summation order.
    expect(worstDifference(got, expected)).toBeLessThan(1e-5);

    const report = join(root, 'report');
    const evaluated = await face(
      'eval',
      '--model',
      join(out, 'model'),
      '--data',
      faces,
      '--pairs',
      join(root, 'pairs.txt'),
      '--task',
      'pairs',
      '--report',
      report,
      '--backend',
      'cpu',
      // The pairs are over the people it trained on: evaluated on purpose.
      '--split',
      'all',
    );
    expect(evaluated.code, evaluated.err).toBe(0);
    const v = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')).verification;
    const want = verify(expected);
    expect(v.auc).toBe(want.auc);
    expect(v.bestAccuracy.accuracy).toBe(want.bestAccuracy.accuracy);
    expect(Math.abs(v.bestAccuracy.threshold - want.bestAccuracy.threshold)).toBeLessThan(1e-5);
    // ... and not what the inferred preprocessing gives.
    expect(
      Math.abs(v.bestAccuracy.threshold - verify(inferred).bestAccuracy.threshold),
    ).toBeGreaterThan(1e-3);
  });

  it("face train records its backbone's preprocessing from the registry", async () => {
    const out = join(root, 'cli-run');
    const r = await face(
      'train',
      '--data',
      faces,
      ...TINY_MODEL,
      '--epochs',
      '1',
      '--batch',
      '8',
      '--val-identities',
      '0',
      '--val-images',
      '0',
      '--backend',
      'cpu',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    const saved = JSON.parse(readFileSync(join(out, 'model', 'face-model.json'), 'utf8'));
    const { mean, std } = getBackbone('convnet-tiny').preprocessing.normalization;
    expect(saved).toMatchObject({
      version: 2,
      backbone: { name: 'convnet-tiny' },
      imageSize: 16,
      // Files are resized to the input size: nothing else to record but the normalization.
      preprocessing: {
        resize: null,
        crop: null,
        normalization: { mean: [...mean], std: [...std] },
      },
    });
  });
});
