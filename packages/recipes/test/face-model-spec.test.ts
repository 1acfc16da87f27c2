import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ModelFileError, Rng } from '@face/core';
import { centerCrop, compose, normalize, resize, type Transform } from '@face/data';
import { registerBackbone } from '@face/layers';
import {
  classificationRecipe,
  faceModelSpecFromJson,
  loadFaceModel,
  preprocessOf,
  saveFaceModel,
  type FaceModelInput,
} from '@face/recipes';
import { tinyBackbone, tinyData } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'face-model-spec-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NORMALIZATION = { mean: [0.2, 0.4, 0.6], std: [0.3, 0.25, 0.2] } as const;
/** Crop 16 out of a larger image, then a non-default normalization. */
const evalTransform = () =>
  compose([
    centerCrop(16),
    normalize({ mean: [...NORMALIZATION.mean], std: [...NORMALIZATION.std] }),
  ]);

/** Seeded 0..255 images, n x h x w. */
function images(n: number, h: number, w: number): tf.Tensor4D {
  const rng = new Rng(11);
  const values = Array.from({ length: n * h * w * 3 }, () => Math.floor(rng.next() * 256));
  return tf.tensor4d(values, [n, h, w, 3]);
}

const run = (t: Transform, x: tf.Tensor4D) =>
  tf.tidy(() =>
    Array.from(
      t
        .apply(
          x,
          [...Array(x.shape[0])].map(() => new Rng(0)),
        )
        .dataSync(),
    ),
  );

describe('face-model.json version 2 records the preprocessing', () => {
  it('a saved model loads with the exact evaluation transform it was saved with', async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const dir = join(root, 'crop');
    await saveFaceModel(dir, { backbone, input: evalTransform(), meta: { backbone: 'tiny' } });
    const file = JSON.parse(readFileSync(join(dir, 'face-model.json'), 'utf8'));
    // Version 1's fields, plus the backbone's name and the preprocessing: each fact once.
    expect(file).toMatchObject({
      version: 2,
      backbone: { name: 'tiny' },
      imageSize: 16,
      preprocessing: { resize: null, crop: 16, normalization: NORMALIZATION },
    });
    const loaded = await loadFaceModel(dir);
    expect(loaded.spec).toEqual({
      backbone: { name: 'tiny', config: { inputSize: 16, embeddingSize: 8 } },
      input: { size: 16, resize: null, crop: 16, normalization: NORMALIZATION },
      embedding: { size: 8 },
      head: null,
      classNames: null,
    });
    expect(loaded.manifest).toMatchObject({ version: 2, imageSize: 16, embeddingDim: 8 });
    // On 20 x 22 images (cropped to 16) and on 16 x 16 ones: the same numbers as the original.
    for (const [h, w] of [
      [20, 22],
      [16, 16],
    ]) {
      const x = images(3, h, w);
      expect(run(loaded.preprocess, x)).toEqual(run(evalTransform(), x));
      const e1 = tf.tidy(() =>
        Array.from(
          (
            backbone.predict(
              evalTransform().apply(x, [new Rng(0), new Rng(0), new Rng(0)]),
            ) as tf.Tensor
          ).dataSync(),
        ),
      );
      const e2 = tf.tidy(() =>
        Array.from(
          (
            loaded.backbone.predict(
              loaded.preprocess.apply(x, [new Rng(0), new Rng(0), new Rng(0)]),
            ) as tf.Tensor
          ).dataSync(),
        ),
      );
      expect(e2).toEqual(e1);
      x.dispose();
    }
    backbone.dispose();
    loaded.backbone.dispose();
  });

  it('records a resize before the crop, and drops a last resize to the input size', async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const dir = join(root, 'resize');
    const t = compose([
      resize(20, { method: 'nearest' }),
      compose([centerCrop([18, 18]), resize([16, 16])]),
      normalize(),
    ]);
    await saveFaceModel(dir, { backbone, input: t });
    const loaded = await loadFaceModel(dir);
    expect(loaded.spec.input).toEqual({
      size: 16,
      resize: { size: 20, method: 'nearest' },
      crop: [18, 18],
      normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    });
    const x = images(2, 25, 31);
    expect(run(loaded.preprocess, x)).toEqual(run(t, x));
    x.dispose();
    backbone.dispose();
    loaded.backbone.dispose();
  });

  it("without an input, the library's default: normalize() at the input size", async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const dir = join(root, 'default');
    await saveFaceModel(dir, { backbone });
    const loaded = await loadFaceModel(dir);
    expect(loaded.spec.input).toEqual({
      size: 16,
      resize: null,
      crop: null,
      normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    });
    const x = images(2, 16, 16);
    expect(run(loaded.preprocess, x)).toEqual(run(normalize(), x));
    x.dispose();
    backbone.dispose();
    loaded.backbone.dispose();
  });
});

describe('preprocessing nobody could rebuild is never saved silently', () => {
  const own: Transform = { name: 'myNormalize', apply: (x) => tf.div(x, 255) as tf.Tensor4D };

  it.each([
    [
      "a caller's own transform",
      own,
      /input must be a transform a saved model can reproduce.*this one has no spec/,
    ],
    ['a transform without normalize', compose([centerCrop(16)]), /does not end with normalize/],
    [
      'steps in another order',
      compose([centerCrop(18), resize(20), normalize()]),
      /a resize step comes where/,
    ],
  ])('saveFaceModel refuses %s, and writes nothing', async (_, input, message) => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const dir = join(root, 'refused');
    const err = await saveFaceModel(dir, { backbone, input }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/pass the input spec explicitly/);
    expect(existsSync(dir)).toBe(false);
    backbone.dispose();
  });

  it('a recipe refuses an evalTransform it could not save before training; an explicit input saves', async () => {
    const data = tinyData({ identities: 4, unseen: 2, images: 4, pairs: 4 });
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const out = join(root, 'run');
    expect(() =>
      classificationRecipe({ backbone, train: data.train, epochs: 1, evalTransform: own, out }),
    ).toThrow(
      /classificationRecipe: evalTransform must be a transform a saved model can reproduce/,
    );
    expect(existsSync(out)).toBe(false);
    const input: FaceModelInput = {
      size: 16,
      resize: null,
      crop: null,
      normalization: { mean: [0, 0, 0], std: [1, 1, 1] },
    };
    expect(() =>
      classificationRecipe({
        backbone,
        train: data.train,
        epochs: 1,
        evalTransform: own,
        input: { ...input, size: 32 },
        out,
      }),
    ).toThrow(/input\.size must be the backbone's input size 16, got 32/);
    const r = classificationRecipe({
      backbone,
      train: data.train,
      epochs: 1,
      batchSize: 8,
      evalTransform: own,
      input,
      out,
    });
    await r.fit();
    r.dispose();
    const loaded = await loadFaceModel(join(out, 'model'));
    expect(loaded.spec.input).toEqual(input);
    expect(loaded.spec.classNames).toEqual(data.train.classNames);
    // Without a spec (and no model to save), a custom transform is the caller's business.
    classificationRecipe({ backbone, train: data.train, epochs: 1, evalTransform: own }).dispose();
    loaded.head?.dispose();
    loaded.backbone.dispose();
    backbone.dispose();
  });
});

describe('reading a spec', () => {
  const v2 = (preprocessing: unknown, more: object = {}) => ({
    format: 'face-model',
    version: 2,
    backbone: { name: 'x' },
    imageSize: 16,
    embeddingDim: 8,
    preprocessing,
    classNames: null,
    head: null,
    headWeights: [],
    headState: null,
    meta: {},
    ...more,
  });
  const good = { resize: null, crop: null, normalization: NORMALIZATION };

  it('a version-2 file gives the spec', () => {
    expect(faceModelSpecFromJson(v2(good))).toEqual({
      backbone: { name: 'x', config: { inputSize: 16, embeddingSize: 8 } },
      input: { size: 16, ...good },
      embedding: { size: 8 },
      head: null,
      classNames: null,
    });
  });

  it.each([
    [v2(good, { imageSize: null }), /imageSize: must be an integer > 0 \(version 2\)/],
    [v2(good, { backbone: 'x' }), /backbone: must be \{ name: a non-empty string \}/],
    [v2(null), /preprocessing: must be \{ resize, crop, normalization \}, got null/],
  ])('a damaged version-2 file %j is a ModelFileError naming the entry', (json, message) => {
    expect(() => faceModelSpecFromJson(json, 'm/face-model.json')).toThrow(ModelFileError);
    expect(() => faceModelSpecFromJson(json, 'm/face-model.json')).toThrow(message);
  });

  it.each([
    [
      { ...good, normalization: { mean: [0, 0, 0], std: [1, 0, 1] } },
      /face-model\.json, preprocessing: must be a buildable preprocessing.*std must be \[r, g, b\]: three finite numbers > 0/,
    ],
    [
      { ...good, crop: 'middle' },
      /face-model\.json, preprocessing: must be a buildable preprocessing.*size must be an integer >= 1/,
    ],
    [{ ...good, resize: { size: 20, method: 'area' } }, /method must be 'bilinear' or 'nearest'/],
  ])('a damaged input %j is a ModelFileError naming the entry', (input, message) => {
    expect(() => faceModelSpecFromJson(v2(input), 'm/face-model.json')).toThrow(ModelFileError);
    expect(() => faceModelSpecFromJson(v2(input), 'm/face-model.json')).toThrow(message);
  });

  it('a damaged model folder is refused by loadFaceModel before anything is built', async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const dir = join(root, 'damaged');
    await saveFaceModel(dir, { backbone });
    const path = join(dir, 'face-model.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.preprocessing.normalization.mean = 'imagenet';
    writeFileSync(path, JSON.stringify(json));
    await expect(loadFaceModel(dir)).rejects.toThrow(
      /face-model\.json, preprocessing: must be a buildable preprocessing/,
    );
    backbone.dispose();
  });

  it("version 1: the preprocessing face eval inferred, from the backbone's registry entry", () => {
    registerBackbone('spec-test-net', {
      inputSize: 24,
      embeddingSize: 4,
      preprocessing: { normalization: { mean: [0.1, 0.2, 0.3], std: [0.4, 0.5, 0.6] } },
      build: () => tinyBackbone({ size: 24 }),
    });
    const v1 = (backbone: string, imageSize: number | null) => ({
      format: 'face-model',
      version: 1,
      imageSize,
      embeddingDim: 4,
      classNames: null,
      head: null,
      headWeights: [],
      headState: null,
      meta: { backbone },
    });
    expect(faceModelSpecFromJson(v1('spec-test-net', 24)).input).toEqual({
      size: 24,
      resize: null,
      crop: null,
      normalization: { mean: [0.1, 0.2, 0.3], std: [0.4, 0.5, 0.6] },
    });
    // A name the registry does not know: InsightFace's, at 112 when the size is not recorded.
    expect(faceModelSpecFromJson(v1('mine', null)).input).toEqual({
      size: 112,
      resize: null,
      crop: null,
      normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    });
    const x = images(1, 24, 24);
    const want = normalize({ mean: [0.1, 0.2, 0.3], std: [0.4, 0.5, 0.6] });
    expect(run(preprocessOf(faceModelSpecFromJson(v1('spec-test-net', 24)).input), x)).toEqual(
      run(want, x),
    );
    x.dispose();
  });
});
