import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@face/core';
import { applyTransform, compose, normalize, resize, transformFromSpec } from '@face/data';
import { ALIGN_TRANSFORM_KIND, alignTransform, dlibTemplate, type Point } from '@face/align';

// Five points of a face tilted in a 90 x 80 picture (not the template: the warp does something).
const LANDMARKS: Point[] = [
  [30.5, 35.2],
  [58.1, 30.4],
  [46, 50.3],
  [36.2, 64.8],
  [59.7, 60.9],
];
const picture = () => tf.randomUniform([2, 90, 80, 3], 0, 255, 'float32', 7) as tf.Tensor4D;
const worst = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe("alignTransform's spec", () => {
  it('round-trips through JSON in a model preprocessing, with the same numbers on both paths', () => {
    const saved = compose([alignTransform({ landmarks: LANDMARKS }), resize(56), normalize()]);
    const json = JSON.parse(JSON.stringify(saved.spec));
    expect(json.transforms[0]).toEqual({
      kind: ALIGN_TRANSFORM_KIND,
      landmarks: LANDMARKS,
      template: 'arcface',
    });
    const rebuilt = transformFromSpec(json);
    expect(rebuilt.spec).toEqual(saved.spec);
    const images = picture();
    const [a, b] = [applyTransform(saved, images), applyTransform(rebuilt, images)];
    expect(a.shape).toEqual([2, 56, 56, 3]);
    expect(worst(a, b)).toBe(0);
    // The pixel path of the rebuilt transform too (each step has one).
    const [data, rng] = [tf.slice(images, [1], [1]).dataSync() as Float32Array, new Rng(0)];
    const px = rebuilt.applyToPixels!({ data, height: 90, width: 80 }, rng);
    const row = tf.slice(a, [1], [1]);
    expect(worst(tf.tensor(px.data, row.shape), row)).toBeLessThan(1e-3);
    // Landmarks 6 px to the right give other crops: the spec's points are used.
    const other = applyTransform(
      transformFromSpec({
        ...json,
        transforms: [
          { ...json.transforms[0], landmarks: LANDMARKS.map(([x, y]) => [x + 6, y]) },
          ...json.transforms.slice(1),
        ],
      }),
      images,
    );
    expect(worst(a, other)).toBeGreaterThan(0.1);
    tf.dispose([images, a, b, row, other]);
  });

  it('keeps a custom template whole', () => {
    const template = dlibTemplate(96, 0.3);
    const saved = alignTransform({ landmarks: LANDMARKS, template });
    const rebuilt = transformFromSpec(JSON.parse(JSON.stringify(saved.spec)));
    expect(rebuilt.name).toBe('align(dlib(96, 0.3))');
    const images = picture();
    const [a, b] = [applyTransform(saved, images), applyTransform(rebuilt, images)];
    expect(b.shape).toEqual([2, 96, 96, 3]);
    expect(worst(a, b)).toBe(0);
    tf.dispose([images, a, b]);
  });

  it('refuses a damaged spec naming the entry', () => {
    const at = (t: unknown) => () => transformFromSpec({ kind: 'compose', transforms: [t] });
    const ok = { kind: ALIGN_TRANSFORM_KIND, landmarks: LANDMARKS, template: 'dlib' };
    expect(at({ ...ok, landmarks: [[1, 2]] })).toThrow(/spec\.transforms\[0\]\.landmarks must be/);
    expect(at({ ...ok, landmarks: 'x' })).toThrow(/spec\.transforms\[0\]\.landmarks/);
    expect(at({ ...ok, template: 'vgg' })).toThrow(
      /spec\.transforms\[0\]\.template must be one of/,
    );
    expect(at({ ...ok, template: null })).toThrow(/spec\.transforms\[0\]\.template/);
    const big = { width: 1e9, height: 10, points: LANDMARKS };
    expect(at({ ...ok, template: big })).toThrow(/spec\.transforms\[0\]\.template\.width/);
  });
});
