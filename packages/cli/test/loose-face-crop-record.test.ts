// `face train --crop` is kept in the saved model (its preprocessing crops so), so `face embed` and
// `face eval` repeat it without the flag; `--align` is recorded in meta.faceCrop and a later
// command that does not pass it again is warned.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { alignTransform } from '@face/align';
import { Rng } from '@face/core';
import { SyntheticFaces, compose, normalize, resize, type Transform } from '@face/data';
import { buildBackbone } from '@face/layers';
import { saveFaceModel } from '@face/recipes';
import { loadModelFlag } from '../src/models';
import { faceCropNotice, faceCropRecord } from '../src/face-crop-record';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'loose-face-crop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const faces = join(root, 'faces');
// 43 px files, a 24 px crop: (43 - 24) / 2 = 9.5, where a floor and torchvision's rounding differ.
const FILE_SIZE = 43;

beforeAll(async () => {
  const drawn = new SyntheticFaces({
    identities: 4,
    imagesPerIdentity: 3,
    size: FILE_SIZE,
    seed: 5,
    difficulty: 0.3,
  });
  for (let i = 0; i < drawn.size; i++) {
    const dir = join(faces, drawn.classNames[drawn.labels[i]]);
    mkdirSync(dir, { recursive: true });
    const { data } = await drawn.load(i);
    await sharp(Buffer.from(data), { raw: { width: FILE_SIZE, height: FILE_SIZE, channels: 3 } })
      .png()
      .toFile(join(dir, `${i}.png`));
  }
});

const embeddings = (file: string): number[][] =>
  JSON.parse(readFileSync(file, 'utf8')).items.map((r: { embedding: number[] }) => r.embedding);
const worst = (a: number[][], b: number[][]) =>
  Math.max(...a.flatMap((row, i) => row.map((x, j) => Math.abs(x - b[i][j]))));

describe('face train --crop / --align in the saved model', () => {
  const model = join(root, 'run', 'model');
  const embed = (m: string, out: string, ...flags: string[]) =>
    face(
      'embed',
      '--model',
      m,
      '--data',
      faces,
      '--out',
      join(root, out),
      '--backend',
      'cpu',
      ...flags,
    );

  it('--crop is the model preprocessing: embed repeats it without the flag', async () => {
    const t = await face(
      'train', '--data', faces, '--out', join(root, 'run'), '--epochs', '1', '--batch', '6',
      '--val-identities', '0', '--val-images', '0', '--crop', 'center:24', '--backend', 'cpu',
      '--quiet', ...TINY_MODEL,
    ); // prettier-ignore
    expect(t.code, t.err).toBe(0);
    const saved = JSON.parse(readFileSync(join(model, 'face-model.json'), 'utf8'));
    expect(saved.preprocessing).toMatchObject({ resize: null, crop: 24 });
    expect(saved.meta.faceCrop).toEqual({ crop: 24 });

    const plain = await embed(model, 'plain.json');
    expect(plain.code, plain.err).toBe(0);
    expect(plain.out).toMatch(
      /crop: the model crops the central 24 x 24 pixels of each picture itself/,
    );
    expect(plain.notices).toEqual([]);
    const flagged = await embed(model, 'flagged.json', '--crop', 'center:24');
    expect(flagged.code, flagged.err).toBe(0);
    // The same flag again: the model's own crop of a 24 px picture changes nothing, said nothing.
    expect(flagged.out).not.toMatch(/the model crops/);
    expect(flagged.notices).toEqual([]);
    expect(
      worst(embeddings(join(root, 'plain.json')), embeddings(join(root, 'flagged.json'))),
    ).toBeLessThan(1e-5);

    // The check can fail: the same weights without the recorded crop embed otherwise.
    const uncropped = join(root, 'uncropped');
    cpSync(model, uncropped, { recursive: true });
    writeFileSync(
      join(uncropped, 'face-model.json'),
      JSON.stringify({ ...saved, preprocessing: { ...saved.preprocessing, crop: null } }),
    );
    expect((await embed(uncropped, 'uncropped.json')).code).toBe(0);
    expect(
      worst(embeddings(join(root, 'plain.json')), embeddings(join(root, 'uncropped.json'))),
    ).toBeGreaterThan(1e-3);

    const other = await embed(model, 'other.json', '--crop', 'center:30');
    expect(other.code, other.err).toBe(0);
    expect(other.notices).toContainEqual(
      expect.stringMatching(
        /^warning: the model crops the central 24 x 24 .* after --crop center:30; its training pictures had no --crop center:30/,
      ),
    );
  });

  it('a model trained with --align warns when eval does not align', async () => {
    const aligned = join(root, 'aligned');
    cpSync(model, aligned, { recursive: true });
    const saved = JSON.parse(readFileSync(join(aligned, 'face-model.json'), 'utf8'));
    const record = { detector: 'tiny', minConfidence: 0.5, policy: 'largest', template: 'arcface' };
    saved.meta.faceCrop = { align: record };
    writeFileSync(join(aligned, 'face-model.json'), JSON.stringify(saved));
    const r = await face(
      'eval', '--model', aligned, '--data', faces, '--split', 'all', '--task', 'pairs',
      '--pairs-per-fold', '2', '--folds', '2', '--backend', 'cpu',
    ); // prettier-ignore
    expect(r.code, r.err).toBe(0);
    expect(r.notices).toContainEqual(
      'warning: the model trained on faces face train --align detected and aligned (tiny detector, arcface template); pass --align (pictures face align wrote need none)',
    );
  });

  it('records what --align did, its template defaulting by the model size', () => {
    const v = {
      _: [],
      align: true,
      detector: 'ssd',
      'min-confidence': '0.7',
      faces: 'most-central',
    };
    const dlib = {
      detector: 'ssd',
      minConfidence: 0.7,
      policy: 'most-central',
      template: 'dlib',
    } as const;
    expect(faceCropRecord('train', v, 150)).toEqual({ align: dlib });
    expect(faceCropRecord('train', { ...v, template: 'arcface' }, 150)).toEqual({
      align: { ...dlib, template: 'arcface' },
    });
    expect(faceCropRecord('train', { _: [], crop: 'center:120' }, 112)).toEqual({ crop: 120 });
    expect(faceCropRecord('train', { _: [] }, 112)).toBeNull();
    // The same detector settings again: nothing to say; another template: a warning.
    expect(faceCropNotice('eval', v, { align: dlib }, 150)).toBeNull();
    expect(
      faceCropNotice('eval', { ...v, template: 'arcface' }, { align: dlib }, 150),
    ).toMatchObject({
      warning: true,
      line: expect.stringMatching(/--template arcface differs$/),
    });
  });
});

describe('an aligned model', () => {
  it('keeps alignTransform in face-model.json and the CLI loads the same preprocessing', async () => {
    const landmarks: [number, number][] = [
      [20, 25],
      [40, 24],
      [31, 35],
      [23, 46],
      [39, 45],
    ];
    const input = () => compose([alignTransform({ landmarks }), resize([16, 16]), normalize()]);
    const { model: backbone } = await buildBackbone('convnet-tiny', {
      inputSize: 16,
      embeddingSize: 8,
      seed: 1,
    });
    const dir = join(root, 'aligned-model');
    await saveFaceModel(dir, { backbone, input: input(), meta: { backbone: 'convnet-tiny' } });
    backbone.dispose();
    const saved = JSON.parse(readFileSync(join(dir, 'face-model.json'), 'utf8'));
    expect(saved.preprocessing.before).toEqual([
      { kind: 'align.similarity', landmarks, template: 'arcface' },
    ]);
    const loaded = await loadModelFlag('eval', dir);
    const rng = new Rng(2);
    const x = tf.tensor4d(
      Array.from({ length: 60 * 64 * 3 }, () => Math.floor(rng.next() * 256)),
      [1, 60, 64, 3],
    );
    const run = (t: Transform) => tf.tidy(() => Array.from(t.apply(x, [new Rng(0)]).dataSync()));
    expect(run(loaded.preprocess)).toEqual(run(input()));
    expect(run(loaded.preprocess)).not.toEqual(run(compose([resize([16, 16]), normalize()])));
    x.dispose();
    loaded.backbone.dispose();
  });
});
