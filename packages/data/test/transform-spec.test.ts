import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Rng } from '@face/core';
import { expectNoLeak } from '@face/test-support';
import {
  centerCrop,
  compose,
  normalize,
  randomHorizontalFlip,
  resize,
  transformFromSpec,
  type Transform,
} from '@face/data';

/** A seeded batch of 0..255 images, 2 x 9 x 7. */
function images(): tf.Tensor4D {
  const rng = new Rng(5);
  return tf.tensor4d(
    Array.from({ length: 2 * 9 * 7 * 3 }, () => Math.floor(rng.next() * 256)),
    [2, 9, 7, 3],
  );
}

const rngs = (n: number) => Array.from({ length: n }, (_, i) => new Rng(i));

/** Output of both paths (tensor and pixels) for the first image and the whole batch. */
function outputs(t: Transform) {
  const x = images();
  const y = t.apply(x, rngs(2));
  const batch = Array.from(y.dataSync());
  const [, h, w] = x.shape;
  const first = { data: new Float32Array(x.dataSync().slice(0, h * w * 3)), height: h, width: w };
  const pixels = t.applyToPixels?.(first, new Rng(0));
  tf.dispose([x, y]);
  return { batch, shape: y.shape, pixels: pixels && Array.from(pixels.data) };
}

/** Saved (through JSON text) and rebuilt: the same spec, the same numbers on both paths. */
function roundTrip(t: Transform): Transform {
  expect(t.spec, `${t.name} has a spec`).toBeDefined();
  const rebuilt = transformFromSpec(JSON.parse(JSON.stringify(t.spec)));
  expect(rebuilt.spec).toEqual(t.spec);
  expect(outputs(rebuilt)).toEqual(outputs(t));
  return rebuilt;
}

describe('built-in transforms save as JSON and come back the same', () => {
  it.each([
    ['normalize, default', normalize()],
    [
      'normalize, per channel',
      normalize({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }),
    ],
    ['normalize, scalars', normalize({ mean: 0.3, std: 0.7 })],
    ['resize to [h, w]', resize([5, 4])],
    ['resize of the shorter side, nearest', resize(4, { method: 'nearest' })],
    ['centerCrop, square', centerCrop(5)],
    ['centerCrop, larger than the image (padded)', centerCrop([11, 6])],
    [
      'compose: resize, crop, normalize',
      compose([resize([12, 10]), centerCrop(8), normalize({ mean: 0.25, std: [0.2, 0.3, 0.4] })]),
    ],
    ['compose of composes', compose([compose([centerCrop(6)]), compose([normalize()])])],
    ['empty compose', compose([])],
  ])('%s', (_, t) => {
    expectNoLeak(() => roundTrip(t));
  });

  it('normalize saves each channel: a scalar is written as [v, v, v]', () => {
    expect(normalize({ mean: 0.3, std: [0.5] }).spec).toEqual({
      kind: 'normalize',
      mean: [0.3, 0.3, 0.3],
      std: [0.5, 0.5, 0.5],
    });
  });

  it("a spec is a copy: changing it changes no transform's numbers", () => {
    const t = resize([5, 4]);
    const before = outputs(t);
    (t.spec as { size: number[] }).size[0] = 2;
    expect(outputs(t)).toEqual(before);
  });
});

describe('what cannot be saved has no spec', () => {
  const own: Transform = { name: 'mine', apply: (x) => tf.clone(x) };
  it.each([
    ['a random augmentation', randomHorizontalFlip()],
    ["a caller's own transform", own],
    ['a compose holding either', compose([resize([8, 8]), own, normalize()])],
  ])('%s', (_, t) => {
    expect(t.spec).toBeUndefined();
  });
});

describe('transformFromSpec refuses what it cannot rebuild, naming the entry', () => {
  it.each([
    [null, /spec must be a transform spec/],
    [{ kind: 'flip' }, /spec\.kind must be one of 'normalize'/],
    [{ kind: 'normalize', mean: [0.5, 0.5], std: [1, 1, 1] }, /spec\.mean must be \[r, g, b\]/],
    [
      { kind: 'normalize', mean: [0, 0, 0], std: [1, 0, 1] },
      /spec\.std must be \[r, g, b\]: three finite numbers > 0/,
    ],
    [{ kind: 'resize', size: 4, method: 'area' }, /spec\.method must be 'bilinear' or 'nearest'/],
    [{ kind: 'centerCrop', size: [4, 0] }, /spec\.size must be an integer >= 1/],
    [
      { kind: 'compose', transforms: [{ kind: 'centerCrop', size: 4 }, { kind: 'x' }] },
      /spec\.transforms\[1\]\.kind must be one of/,
    ],
    [{ kind: 'compose', transforms: {} }, /spec\.transforms must be an array/],
  ])('%j', (spec, message) => {
    expect(() => transformFromSpec(spec)).toThrow(InvalidArgumentError);
    expect(() => transformFromSpec(spec)).toThrow(message);
  });

  it('refuses composes nested without bound (a hostile file)', () => {
    let spec: unknown = { kind: 'normalize', mean: [0, 0, 0], std: [1, 1, 1] };
    for (let i = 0; i < 100; i++) spec = { kind: 'compose', transforms: [spec] };
    expect(() => transformFromSpec(spec)).toThrow(/composes deep/);
  });
});
