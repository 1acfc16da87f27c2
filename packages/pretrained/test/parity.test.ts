import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@face/core';
import { expectNoLeak } from '@face/test-support';
import { dlibFaceDescriptors, loadDlibResNet } from '@face/pretrained';
import { faceApiDescriptors, faceApiModels } from './face-api';

/** A synthetic RGB image, values 0..255: a smooth gradient plus seeded noise, as int32. */
function syntheticImage(rng: Rng, h: number, w: number): tf.Tensor3D {
  const values = new Int32Array(h * w * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        const base = (255 * (x + y + 40 * c)) / (h + w + 80);
        values[(y * w + x) * 3 + c] = Math.max(
          0,
          Math.min(255, Math.round(base + rng.normal(0, 40))),
        );
      }
  return tf.tensor3d(values, [h, w, 3], 'int32');
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('dlib ResNet parity with face-api', () => {
  let model: tfl.LayersModel;
  let images: tf.Tensor3D[];
  beforeAll(async () => {
    model = await loadDlibResNet(faceApiModels);
    const rng = new Rng(10);
    // Two chips at the network's size, and one non-square image that exercises the
    // pad-to-square and the bilinear resize.
    images = [
      syntheticImage(rng, 150, 150),
      syntheticImage(rng, 150, 150),
      syntheticImage(rng, 97, 130),
    ];
  });
  afterAll(() => {
    model.dispose();
    tf.dispose(images);
  });

  it('gives the same 128-d descriptors as face-api within 1e-4', async () => {
    const reference = await faceApiDescriptors(images);
    const ours = await expectNoLeak(() => dlibFaceDescriptors(model, images));
    expect(ours.shape).toEqual([3, 128]);
    const rows = (await ours.array()) as number[][];
    ours.dispose();
    const diffs = rows.map((row, i) => maxAbsDiff(row, reference[i]));
    console.log(
      `max |ours - face-api| per image: ${diffs.map((d) => d.toExponential(2)).join(', ')}`,
    );
    for (const d of diffs) expect(d).toBeLessThan(1e-4);
    // The descriptors are not trivially equal: different images, non-zero norms.
    expect(maxAbsDiff(rows[0], rows[1])).toBeGreaterThan(1e-2);
  });
});
