import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { SyntheticFaces } from '@face/data';
import { faceApiModelDir } from '@face/pretrained';
import { setTestBackend } from '@face/test-support';
import { findFaceApiModels } from '../src/face-api';
import { face } from './helpers';

/** A PNG of a drawn face (@face/data) upscaled into a grey picture, which face-api's SSD finds. */
async function facePicture(faces: SyntheticFaces, i: number): Promise<Buffer> {
  const { data, height, width } = await faces.load(i);
  const pixels = tf.tidy(() => {
    const big = tf.image.resizeBilinear(
      tf.tensor3d(data, [height, width, 3], 'float32'),
      [200, 200],
    );
    const padded = tf.pad(
      big,
      [
        [20, 30],
        [40, 10],
        [0, 0],
      ],
      128,
    );
    return tf.clipByValue(tf.round(padded), 0, 255);
  });
  const bytes = Uint8Array.from(await pixels.data());
  pixels.dispose();
  return sharp(Buffer.from(bytes), { raw: { width: 250, height: 250, channels: 3 } })
    .png()
    .toBuffer();
}

describe('face align', () => {
  let dir: string;
  let data: string;
  beforeAll(async () => {
    // SSD runs on 512 x 512 inputs: seconds per picture on wasm, minutes on cpu.
    await setTestBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'face-align-'));
    data = join(dir, 'people');
    const faces = new SyntheticFaces({
      identities: 2,
      imagesPerIdentity: 1,
      size: 112,
      seed: 3,
      difficulty: 0.2,
    });
    for (const [k, person] of ['ann', 'bob'].entries()) {
      mkdirSync(join(data, person), { recursive: true });
      writeFileSync(join(data, person, 'a.png'), await facePicture(faces, k));
    }
    // A plain grey picture (no face) and a file that is no image.
    const grey = await sharp({
      create: { width: 120, height: 100, channels: 3, background: '#808080' },
    })
      .png()
      .toBuffer();
    writeFileSync(join(data, 'bob', 'grey.png'), grey);
    writeFileSync(join(data, 'ann', 'broken.jpg'), 'not a jpeg');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await setTestBackend();
  });

  it('writes aligned crops, reports pictures without a face, and resumes', async () => {
    const out = join(dir, 'aligned');
    const args = [
      'align',
      '--data',
      data,
      '--out',
      out,
      '--min-confidence',
      '0.1',
      '--backend',
      'wasm',
    ];
    const first = await face(...args);
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/\[#+\] 4\/4 pictures/);
    const report = JSON.parse(readFileSync(join(out, 'align-report.json'), 'utf8'));
    expect(report.noFace.map((p: { path: string }) => p.path)).toEqual([
      join(data, 'bob', 'grey.png'),
    ]);
    expect(report.undecodable).toHaveLength(1);
    expect(report.aligned).toBe(2);
    for (const person of ['ann', 'bob']) {
      const meta = await sharp(join(out, person, 'a.png')).metadata();
      expect([meta.width, meta.height]).toEqual([112, 112]);
    }
    const again = await face(...args);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/resume: 4 pictures done before, 0 to go/);
  });

  it('--no-face center:<px> writes the central square of faceless pictures, at the template size', async () => {
    const out = join(dir, 'dlib');
    const r = await face(
      'align',
      '--data',
      data,
      '--out',
      out,
      '--template',
      'dlib',
      '--no-face',
      'center:100',
      '--min-confidence',
      '0.1',
      '--backend',
      'wasm',
    );
    expect(r.code, r.err).toBe(0);
    for (const file of [join('bob', 'grey.png'), join('ann', 'a.png')]) {
      const meta = await sharp(join(out, file)).metadata();
      expect([meta.width, meta.height]).toEqual([150, 150]);
    }
    const report = JSON.parse(readFileSync(join(out, 'align-report.json'), 'utf8'));
    expect(report.noFace).toHaveLength(1);
    expect((await face('align', '--data', data, '--out', out, '--no-face', 'middle')).err).toMatch(
      /--no-face must be skip or center:<px>/,
    );
  });

  it('refuses --out inside --data and --data synthetic', async () => {
    const inside = await face('align', '--data', data, '--out', join(data, 'x'));
    expect(inside.code).toBe(2);
    expect(inside.err).toMatch(/--out .* lies inside --data/);
    expect((await face('align', '--data', 'synthetic', '--out', join(dir, 'y'))).code).toBe(2);
  });

  it('--crop center:<px> and --align on embed', async () => {
    const json = join(dir, 'crop.json');
    const cropped = await face(
      'embed',
      '--model',
      'dlib-resnet',
      '--data',
      data,
      '--out',
      json,
      '--crop',
      'center:120',
      '--backend',
      'wasm',
    );
    expect(cropped.code, cropped.err).toBe(0);
    expect(cropped.out).toMatch(/crop: the central 120 x 120 pixels/);
    const aligned = await face(
      'embed',
      '--model',
      'dlib-resnet',
      '--data',
      data,
      '--out',
      json,
      '--align',
      '--min-confidence',
      '0.1',
      '--backend',
      'wasm',
    );
    expect(aligned.code, aligned.err).toBe(0);
    expect(aligned.out).toMatch(/align: face-api ssd .* dlib template/);
    const written = JSON.parse(readFileSync(json, 'utf8'));
    // The grey picture has no face and the broken one does not decode: two embeddings.
    expect(written.count).toBe(2);
    expect(written.skipped.map((s: { reason: string }) => s.reason)).toContain('no face found');
    const bad = await face(
      'embed',
      '--model',
      'dlib-resnet',
      '--data',
      data,
      '--out',
      json,
      '--crop',
      'middle:3',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--crop must be center:<px>/);
  });
});

describe("face-api's weights without --weights", () => {
  it('are found from the CLI when the working directory does not resolve face-api (the repository root)', async () => {
    // pnpm runs vitest with NODE_PATH=node_modules/.pnpm/node_modules, from which anything
    // resolves; a user's shell has none. Resolve as Node does without it.
    const saved = process.env.NODE_PATH;
    delete process.env.NODE_PATH;
    (Module as unknown as { _initPaths(): void })._initPaths();
    try {
      const root = join(__dirname, '..', '..', '..');
      expect(existsSync(join(root, 'node_modules', '@vladmandic', 'face-api'))).toBe(false);
      await expect(faceApiModelDir(root)).rejects.toThrow(/npm install @vladmandic\/face-api/);
      const found = await findFaceApiModels();
      expect(found && existsSync(join(found, 'face_recognition_model-weights_manifest.json'))).toBe(
        true,
      );
    } finally {
      process.env.NODE_PATH = saved;
      (Module as unknown as { _initPaths(): void })._initPaths();
    }
  });
});
