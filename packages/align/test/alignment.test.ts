import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';
import { applyTransform } from '@face/data';
import { expectClose, expectNoLeak, loadFixture } from '@face/test-support';
import {
  ARCFACE_TEMPLATE,
  DLIB_TEMPLATE,
  alignFaces,
  alignTransform,
  alignmentMatrix,
  estimateSimilarity,
  invertAffine,
  transformPoints,
  warpAffine,
  warpAffinePixels,
  type AffineMatrix,
  type Point,
} from '@face/align';

interface Fixture {
  similarity: { src: Point[]; dst: Point[]; matrix: number[][] }[];
  dlibTemplate: Point[];
  warp: { image: number[][][]; matrix: number[][]; size: [number, number]; expected: number[][][] };
}
const fx = loadFixture<Fixture>(import.meta.url, 'alignment');
const flat = (m: number[][]) => m.flat() as unknown as AffineMatrix;

describe('estimateSimilarity', () => {
  it("equals Umeyama's SVD estimate (numpy) to 1e-5, exact and noisy, 2 to 68 points", () => {
    for (const [i, c] of fx.similarity.entries())
      expectClose(estimateSimilarity(c.src, c.dst), c.matrix.flat(), {
        atol: 1e-5,
        rtol: 0,
        what: `case ${i} (${c.src.length} points)`,
      });
  });

  it('is inverted by invertAffine', () => {
    const m = estimateSimilarity(fx.similarity[2].src, fx.similarity[2].dst);
    const p: Point[] = [
      [3, 4],
      [100, -20],
    ];
    expectClose(transformPoints(invertAffine(m), transformPoints(m, p)), p, { atol: 1e-9 });
  });

  it('refuses mismatched or degenerate points, naming the argument', () => {
    expect(() =>
      estimateSimilarity(
        [
          [0, 0],
          [1, 1],
        ],
        [[0, 0]],
      ),
    ).toThrow(/dst/);
    expect(() =>
      estimateSimilarity(
        [
          [2, 2],
          [2, 2],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      estimateSimilarity(
        [
          [0, NaN],
          [1, 1],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toThrow(/src/);
  });
});

describe('templates', () => {
  it("dlib's chip equals the five points of its mean face computed by the script", () => {
    expectClose(DLIB_TEMPLATE.points, fx.dlibTemplate, { atol: 1e-9 });
    expect([DLIB_TEMPLATE.width, DLIB_TEMPLATE.height]).toEqual([150, 150]);
  });
});

describe('warpAffine', () => {
  const { image, matrix, size, expected } = fx.warp;
  const m = flat(matrix);
  it('equals the reference bilinear warp (tf.image.transform semantics) to 1e-4', async () => {
    const x = tf.tensor4d([image]);
    const out = await expectNoLeak(() => warpAffine(x, [m], size));
    expectClose(out, [expected], { atol: 1e-4, rtol: 0, what: 'tensor path' });
    // Every image of a batch, not only the first (tfjs-backend-cpu's kernel stops after one).
    const two = tf.concat([x, x]);
    const batch = warpAffine(two, [m, m], size);
    expectClose(batch, [expected, expected], { atol: 1e-4, rtol: 0, what: 'batch' });
    tf.dispose([x, out, two, batch]);
  });

  it('the pixel path computes the same numbers', () => {
    const data = Float32Array.from(image.flat(2));
    const out = warpAffinePixels({ data, height: 20, width: 24 }, m, size);
    expectClose(out.data, expected.flat(2), { atol: 1e-3, rtol: 0 });
  });
});

/**
 * A drawn face in ArcFace crop coordinates (u, v): dark blobs at the template's eyes, nose and
 * mouth corners on a smooth shaded background, as a function so any view can be rendered exactly.
 */
function face(u: number, v: number, ch: number): number {
  let value = 120 + 60 * Math.sin(u / 17 + ch) * Math.cos(v / 23);
  for (const [i, [px, py]] of ARCFACE_TEMPLATE.points.entries()) {
    const r2 = (u - px) ** 2 + (v - py) ** 2;
    value -= (80 + 10 * i) * Math.exp(-r2 / 18);
  }
  return Math.max(0, Math.min(255, value));
}

/** The face seen through `m` (crop -> picture): a `[h, w, 3]` picture and its five landmarks. */
function picture(m: AffineMatrix, h: number, w: number) {
  const inv = invertAffine(m);
  const values = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [[u, v]] = transformPoints(inv, [[x, y]]);
      for (let ch = 0; ch < 3; ch++) values[(y * w + x) * 3 + ch] = face(u, v, ch);
    }
  return {
    image: tf.tensor3d(values, [h, w, 3]),
    landmarks: transformPoints(m, ARCFACE_TEMPLATE.points),
  };
}

/** Crop -> picture: rotated and scaled about the crop's centre, which lands on (cx, cy). */
function similarity(degrees: number, scale: number, cx: number, cy: number): AffineMatrix {
  const r = (degrees * Math.PI) / 180;
  const a = scale * Math.cos(r);
  const b = scale * Math.sin(r);
  return [a, -b, cx - (a - b) * 56, b, a, cy - (b + a) * 56];
}

describe('alignFaces on drawn faces rotated, scaled and shifted', () => {
  const canonical = tf.tidy(() => {
    const values = new Float32Array(112 * 112 * 3);
    for (let v = 0; v < 112; v++)
      for (let u = 0; u < 112; u++)
        for (let ch = 0; ch < 3; ch++) values[(v * 112 + u) * 3 + ch] = face(u, v, ch);
    return tf.tensor3d(values, [112, 112, 3]);
  });
  const views: [string, AffineMatrix][] = [
    // The whole face stays inside the 280 x 300 picture, so every crop pixel has a source.
    ['rotated 25 deg, x1.8, centred', similarity(25, 1.8, 140, 150)],
    ['rotated -40 deg, x0.9, off-centre', similarity(-40, 0.9, 80, 200)],
    ['upright, x2.3, shifted', similarity(0, 2.3, 135, 145)],
  ];

  it.each(views)('%s: the canonical crop comes back (mean error < 2 of 255)', (_, m) => {
    const { image, landmarks } = picture(m, 300, 280);
    // The recovered map sends the landmarks exactly onto the template.
    expectClose(transformPoints(alignmentMatrix(landmarks), landmarks), ARCFACE_TEMPLATE.points, {
      atol: 1e-6,
    });
    const crop = alignFaces(image, landmarks);
    const error = tf.tidy(() => tf.mean(tf.abs(tf.sub(crop, canonical))).arraySync() as number);
    // Unaligned (the picture resized to 112), the same measure is tens of grey levels.
    const naive = tf.tidy(
      () =>
        tf
          .mean(tf.abs(tf.sub(tf.image.resizeBilinear(image, [112, 112]), canonical)))
          .arraySync() as number,
    );
    console.info(`alignment error ${error.toFixed(3)} grey levels (unaligned ${naive.toFixed(1)})`);
    expect(error).toBeLessThan(2);
    expect(naive).toBeGreaterThan(10 * error);
    tf.dispose([image, crop]);
  });

  it('as a @face/data transform (fixed landmarks), on both paths', async () => {
    const m = similarity(10, 1.5, 110, 110);
    const { image, landmarks } = picture(m, 220, 220);
    const t = alignTransform({ landmarks });
    const out = await expectNoLeak(() => applyTransform(t, image));
    const data = await image.data();
    const pixels = t.applyToPixels!({ data: data as Float32Array, height: 220, width: 220 }, null!);
    expectClose(pixels.data, out, { atol: 1e-3, rtol: 0 });
    expect(tf.tidy(() => tf.mean(tf.abs(tf.sub(out, canonical))).arraySync())).toBeLessThan(2);
    tf.dispose([image, out]);
  });
});
