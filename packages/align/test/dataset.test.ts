import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ImageDecodeError, SyntheticFaces } from '@face/data';
import {
  ARCFACE_TEMPLATE,
  NoFaceError,
  alignImage,
  alignedDataset,
  transformPoints,
  type DetectedFace,
  type FaceDetector,
} from '@face/align';

/** A stand-in detector that "finds" the given faces in every picture (no network). */
const fakeDetector = (faces: DetectedFace[]) =>
  ({ detect: async () => faces }) as unknown as FaceDetector;

/** A face whose five points are the ArcFace template moved by a shift and scale. */
function faceAt(dx: number, dy: number, scale: number, score = 0.9): DetectedFace {
  const m = [scale, 0, dx, 0, scale, dy] as const;
  return {
    box: { x: dx, y: dy, width: 112 * scale, height: 112 * scale },
    score,
    landmarks: transformPoints(m, ARCFACE_TEMPLATE.points),
    landmarks68: [],
  };
}

describe('alignImage / alignedDataset', () => {
  const faces = new SyntheticFaces({ identities: 2, imagesPerIdentity: 2, size: 64, seed: 1 });

  it('crops the chosen face at the template size, as 8-bit RGB, without leaking tensors', async () => {
    const picture = await faces.load(0);
    const before = tf.memory().numTensors;
    const big = faceAt(4, 2, 0.5);
    const small = faceAt(40, 40, 0.2);
    const out = await alignImage(picture, {
      detector: fakeDetector([small, big]),
      policy: 'largest',
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.faces).toEqual([big]);
    expect(out.found).toBe(2);
    expect([out.crops[0].height, out.crops[0].width, out.crops[0].data.length]).toEqual([
      112,
      112,
      112 * 112 * 3,
    ]);
    const all = await alignImage(picture, {
      detector: fakeDetector([small, big]),
      policy: 'all',
      template: 'dlib',
    });
    expect(all.crops.map((c) => c.width)).toEqual([150, 150]);
  });

  it('a picture without a face rejects with a NoFaceError (an ImageDecodeError) naming it', async () => {
    const none = alignedDataset(faces, { detector: fakeDetector([]) });
    const err = await none.load(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoFaceError);
    expect(err).toBeInstanceOf(ImageDecodeError);
    expect((err as NoFaceError).path).toBe(faces.source(1));
    expect((err as NoFaceError).reason).toBe('no face found');
    const several = alignedDataset(faces, {
      detector: fakeDetector([faceAt(0, 0, 0.3), faceAt(20, 20, 0.3)]),
      policy: 'skip',
    });
    await expect(several.load(0)).rejects.toThrow(/2 faces found \(policy 'skip'\)/);
    expect(() => alignedDataset(faces, { detector: fakeDetector([]), policy: 'all' })).toThrow(
      /policy/,
    );
  });
});
