import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { SyntheticFaces } from '@face/data';
import { setTestBackend } from '@face/test-support';
import { openDataset } from '../src/datasets';
import { applyFaceCrop, releaseFaceCrop } from '../src/face-crop';
import { face } from './helpers';

/** A drawn face (@face/data) upscaled into a 240 px grey picture, as PNG. */
async function facePicture(): Promise<Buffer> {
  const faces = new SyntheticFaces({ identities: 1, imagesPerIdentity: 1, size: 112, seed: 3 });
  const { data, height, width } = await faces.load(0);
  const pixels = tf.tidy(() => {
    const big = tf.image.resizeBilinear(tf.tensor3d(data, [height, width, 3]), [180, 180]);
    const padded = tf.pad(
      big,
      [
        [30, 30],
        [30, 30],
        [0, 0],
      ],
      128,
    );
    return tf.clipByValue(tf.round(padded), 0, 255);
  });
  const bytes = Uint8Array.from(await pixels.data());
  pixels.dispose();
  return sharp(Buffer.from(bytes), { raw: { width: 240, height: 240, channels: 3 } })
    .png()
    .toBuffer();
}

// The detector's weights are tensors: a command run under --align must leave none behind.
describe('--align frees the face detector', () => {
  let dir: string;
  let data: string;
  beforeAll(async () => {
    // face-api's networks are slow on cpu; the tiny detector on wasm takes well under a second.
    await setTestBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'face-crop-release-'));
    data = join(dir, 'people');
    const grey = await sharp({
      create: { width: 120, height: 100, channels: 3, background: '#808080' },
    })
      .png()
      .toBuffer();
    mkdirSync(join(data, 'ann'), { recursive: true });
    mkdirSync(join(data, 'bob'), { recursive: true });
    writeFileSync(join(data, 'ann', 'a.png'), await facePicture());
    writeFileSync(join(data, 'bob', 'grey.png'), grey);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await setTestBackend();
  });

  it('releaseFaceCrop disposes what applyFaceCrop loaded, once', async () => {
    const before = tf.memory().numTensors;
    const opened = openDataset('embed', 'data', data, { imageSize: 112, seed: 0 });
    const values = {
      _: [],
      align: true,
      detector: 'tiny',
      'min-confidence': '0.1',
      faces: 'largest',
    };
    const detector = await applyFaceCrop('embed', values, opened, 112, () => {});
    expect(detector).not.toBeNull();
    const loaded = tf.memory().numTensors - before;
    expect(loaded).toBeGreaterThan(0);
    // Loading pictures (a face, and one without) leaves nothing either.
    const results = await Promise.allSettled([0, 1].map((i) => opened.dataset.load(i)));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(tf.memory().numTensors - before).toBe(loaded);
    releaseFaceCrop(opened);
    expect(tf.memory().numTensors).toBe(before);
    releaseFaceCrop(opened); // a second call is a no-op, not a double dispose
    expect(tf.memory().numTensors).toBe(before);
  });

  it('face embed --align leaves no tensor behind', async () => {
    const args = ['--data', data, '--align', '--detector', 'tiny', '--min-confidence', '0.1'];
    const out = join(dir, 'e.json');
    // A first run loads what stays loaded for good (the wasm backend's own state).
    const warm = await face('embed', '--model', 'dlib-resnet', '--out', out, ...args);
    expect(warm.code, warm.err).toBe(0);
    const before = tf.memory().numTensors;
    const r = await face('embed', '--model', 'dlib-resnet', '--out', out, ...args);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/align: face-api tiny detector/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
