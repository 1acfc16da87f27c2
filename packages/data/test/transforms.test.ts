import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Rng } from '@face/core';
import { expectClose, expectNoLeak, loadFixture } from '@face/test-support';
import {
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  applyTransform,
  centerCrop,
  colorJitter,
  compose,
  normalize,
  randomCrop,
  randomErasing,
  randomHorizontalFlip,
  resize,
  type Transform,
} from '@face/data';

interface Fixture {
  images: number[][][][];
  resize: Record<string, number[][][][]>;
  centerCrop: Record<string, number[][][][]>;
  color: { factors: Record<string, number[]> } & Record<string, number[][][][]>;
}
const fx = loadFixture<Fixture>(import.meta.url, 'transforms');
const rngs = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => new Rng(seed * 1000 + i));

function run(t: Transform, x: tf.Tensor4D, seed = 0): tf.Tensor4D {
  return t.apply(x, rngs(x.shape[0], seed));
}

describe('deterministic transforms match torchvision 0.14', () => {
  const images = () => tf.tensor4d(fx.images);

  it.each([
    ['bilinear_5x4', resize([5, 4])],
    ['bilinear_11x13', resize([11, 13])],
    ['nearest_4x6', resize([4, 6], { method: 'nearest' })],
    ['shorter_5', resize(5)],
  ] as const)('resize %s', async (key, t) => {
    const x = images();
    const y = await expectNoLeak(() => run(t, x));
    expectClose(y, fx.resize[key], { rtol: 1e-5, atol: 1e-3, what: key });
    tf.dispose([x, y]);
  });

  it.each(['4x4', '6x8', '10x12'] as const)('centerCrop %s (odd offsets, zero padding)', (key) => {
    const [h, w] = key.split('x').map(Number);
    const x = images();
    const y = run(centerCrop([h, w]), x);
    expectClose(y, fx.centerCrop[key], { what: key });
    tf.dispose([x, y]);
  });

  it.each([
    ['brightness', adjustBrightness],
    ['contrast', adjustContrast],
    ['saturation', adjustSaturation],
    ['hue', adjustHue],
  ] as const)('adjust %s', async (key, op) => {
    const x = images();
    const y = await expectNoLeak(() => op(x, fx.color.factors[key]));
    // float32 here vs float32 there, different op order: a few ulps of 255.
    expectClose(y, fx.color[key], { rtol: 1e-4, atol: 2e-3, what: key });
    tf.dispose([x, y]);
  });
});

describe('random transforms', () => {
  const batch = () =>
    tf.tidy(() => tf.mul(tf.randomUniform([6, 10, 12, 3], 0, 1, 'float32', 3), 255)) as tf.Tensor4D;

  it('randomCrop takes a real window of each image, at varied positions', async () => {
    const x = batch();
    const y = await expectNoLeak(() => run(randomCrop([4, 5]), x, 1));
    expect(y.shape).toEqual([6, 4, 5, 3]);
    const xs = x.arraySync();
    const ys = y.arraySync();
    const offsets = new Set<string>();
    ys.forEach((crop, i) => {
      let found = '';
      for (let top = 0; top <= 6 && !found; top++)
        for (let left = 0; left <= 7 && !found; left++) {
          const same = crop.every((row, r) =>
            row.every((px, c) => px.every((v, k) => v === xs[i][top + r][left + c][k])),
          );
          if (same) found = `${top},${left}`;
        }
      expect(found, `image ${i} is a window of its input`).not.toBe('');
      offsets.add(found);
    });
    expect(offsets.size).toBeGreaterThan(1);
    tf.dispose([x, y]);
  });

  it('randomCrop pads with the fill value', () => {
    const x = tf.ones([1, 2, 2, 3]) as tf.Tensor4D;
    const y = run(randomCrop(6, { padding: 2, fill: 7 }), x);
    const v = y.arraySync()[0];
    expect(v[0][0]).toEqual([7, 7, 7]);
    expect(v[2][2]).toEqual([1, 1, 1]);
    tf.dispose([x, y]);
  });

  it('randomHorizontalFlip mirrors about half the images, exactly', () => {
    const x = batch();
    const y = run(randomHorizontalFlip(), x, 2);
    const flipped = tf.reverse(x, 2);
    const xs = x.arraySync();
    const fs = flipped.arraySync();
    let count = 0;
    y.arraySync().forEach((img, i) => {
      const isFlip = JSON.stringify(img) === JSON.stringify(fs[i]);
      const isSame = JSON.stringify(img) === JSON.stringify(xs[i]);
      expect(isFlip || isSame).toBe(true);
      if (isFlip) count++;
    });
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(6);
    const all = run(randomHorizontalFlip({ p: 1 }), x);
    expectClose(all, flipped);
    tf.dispose([x, y, flipped, all]);
  });

  it('colorJitter stays in range, depends on the seed, and each image only on its own generator', async () => {
    const x = batch();
    const t = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 });
    const a = await expectNoLeak(() => run(t, x, 5));
    const b = run(t, x, 5);
    const c = run(t, x, 6);
    expectClose(a, b, { rtol: 0, atol: 0 });
    expect(tf.max(tf.abs(tf.sub(a, c))).arraySync()).toBeGreaterThan(1);
    expect(tf.min(a).arraySync()).toBeGreaterThanOrEqual(0);
    expect(tf.max(a).arraySync()).toBeLessThanOrEqual(255);
    // Image 3 alone, with image 3's generator: same pixels as inside the batch.
    const alone = t.apply(tf.slice(x, [3], [1]), [new Rng(5 * 1000 + 3)]);
    expectClose(alone, tf.slice(a, [3], [1]), { rtol: 1e-6, atol: 1e-4 });
    tf.dispose([x, a, b, c, alone]);
  });

  it('colorJitter with a fixed order equals the functional ops', () => {
    const x = batch();
    // Only brightness enabled, range of width 0: factor 1.5 for everyone.
    const y = run(colorJitter({ brightness: [1.5, 1.5] }), x);
    const ref = adjustBrightness(x, new Array(6).fill(1.5));
    expectClose(y, ref, { rtol: 0, atol: 0 });
    tf.dispose([x, y, ref]);
  });

  it('randomErasing fills one rectangle with the value, leaves the rest', () => {
    const x = tf.add(batch(), 1) as tf.Tensor4D; // no zeros in the input
    const y = run(randomErasing({ p: 1, value: 0 }), x, 4);
    const ys = y.arraySync();
    const xs = x.arraySync();
    ys.forEach((img, i) => {
      const zero: [number, number][] = [];
      img.forEach((row, r) =>
        row.forEach((px, c) => {
          if (px.every((v) => v === 0)) zero.push([r, c]);
          else expect(px).toEqual(xs[i][r][c]);
        }),
      );
      expect(zero.length).toBeGreaterThan(0);
      const rows = zero.map((z) => z[0]);
      const cols = zero.map((z) => z[1]);
      const area =
        (Math.max(...rows) - Math.min(...rows) + 1) * (Math.max(...cols) - Math.min(...cols) + 1);
      expect(area, 'erased pixels form a rectangle').toBe(zero.length);
      expect(zero.length).toBeLessThan(10 * 12);
    });
    const none = run(randomErasing({ p: 0 }), x);
    expectClose(none, x, { rtol: 0, atol: 0 });
    tf.dispose([x, y, none]);
  });

  it('compose chains, disposes intermediates, and applyTransform seeds per image', async () => {
    const x = batch();
    const t = compose([
      resize(8),
      randomCrop(6),
      randomHorizontalFlip(),
      colorJitter({ brightness: 0.2 }),
      randomErasing(),
      normalize(),
    ]);
    const y = await expectNoLeak(() => applyTransform(t, x, 11));
    expect(y.shape).toEqual([6, 6, 6, 3]);
    const again = applyTransform(t, x, 11);
    expectClose(again, y, { rtol: 0, atol: 0 });
    const first = tf.tidy(() => tf.squeeze(tf.slice(x, [0], [1]), [0])) as tf.Tensor3D;
    const single = await expectNoLeak(() => applyTransform(t, first, 11));
    expect(single.shape).toEqual([6, 6, 3]);
    expectClose(single, tf.squeeze(tf.slice(y, [0], [1]), [0]), { rtol: 0, atol: 0 });
    expect(tf.max(y).arraySync()).toBeLessThanOrEqual(1);
    tf.dispose([x, y, again, single, first]);
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => randomHorizontalFlip({ p: 2 })).toThrow(InvalidArgumentError);
    expect(() => colorJitter({ hue: 0.7 })).toThrow(/hue/);
    expect(() => randomErasing({ scale: [0.5, 0.1] })).toThrow(/scale/);
    expect(() => resize(0)).toThrow(/size/);
    const x = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    expect(() => randomHorizontalFlip().apply(x, rngs(1))).toThrow(/one Rng per image/);
    expect(() => resize(2).apply(tf.zeros([4, 4, 3]) as unknown as tf.Tensor4D, [])).toThrow(
      /\[N, H, W, 3\]/,
    );
    tf.dispose(x);
  });
});

describe('applyToPixels (the loader path) equals apply (the tensor path)', () => {
  const cases: [string, Transform][] = [
    ['resize bilinear down', resize([7, 5])],
    ['resize bilinear up', resize([15, 17])],
    ['resize nearest', resize([6, 9], { method: 'nearest' })],
    ['resize shorter side', resize(6)],
    ['centerCrop smaller', centerCrop([5, 7])],
    ['centerCrop larger (padding)', centerCrop([13, 11])],
    ['randomCrop with padding', randomCrop([9, 9], { padding: 2, fill: 3 })],
    ['randomHorizontalFlip', randomHorizontalFlip()],
    ['colorJitter', colorJitter({ brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 0.2 })],
    [
      'normalize per channel',
      normalize({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }),
    ],
    ['randomErasing', randomErasing({ p: 0.8 })],
    ['randomErasing random fill', randomErasing({ p: 1, value: 'random' })],
    [
      'compose',
      compose([
        resize(12),
        randomCrop(10),
        randomHorizontalFlip(),
        colorJitter({ brightness: 0.3, hue: 0.1 }),
        normalize(),
        randomErasing(),
      ]),
    ],
  ];
  it.each(cases)('%s', (_, t) => {
    expect(typeof t.applyToPixels).toBe('function');
    const x = tf.tidy(() =>
      tf.mul(tf.randomUniform([5, 10, 12, 3], 0, 1, 'float32', 8), 255),
    ) as tf.Tensor4D;
    const batch = t.apply(x, rngs(5, 3));
    const values = x.dataSync() as Float32Array;
    const rs = rngs(5, 3);
    const perImage = Array.from({ length: 5 }, (_, i) => {
      const img = { data: values.slice(i * 360, (i + 1) * 360), height: 10, width: 12 };
      return Array.from(t.applyToPixels!(img, rs[i]).data);
    });
    expectClose(perImage.flat(), batch.dataSync(), { rtol: 1e-5, atol: 1e-3 });
    tf.dispose([x, batch]);
  });
});
