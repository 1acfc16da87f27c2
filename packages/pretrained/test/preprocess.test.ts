import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Rng, ShapeError } from '@face/core';
import { expectClose, expectNoLeak } from '@face/test-support';
import { DLIB_MEAN_RGB, dlibPreprocess } from '@face/pretrained';

const rng = new Rng(5);
const pixels = (n: number) => Array.from({ length: n }, () => Math.floor(rng.uniform() * 256));

/** (v - mean[c]) / divisor over an HWC array. */
const centre = (values: number[], divisor = 255) =>
  values.map((v, i) => (v - DLIB_MEAN_RGB[i % 3]) / divisor);

/**
 * Bilinear resize without corner alignment or half-pixel centres, straight from its definition
 * (source coordinate = destination coordinate * in / out, clamped neighbours).
 */
function naiveResize(values: number[], h: number, w: number, out: number): number[] {
  const res: number[] = [];
  for (let y = 0; y < out; y++) {
    const sy = (y * h) / out;
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, h - 1);
    for (let x = 0; x < out; x++) {
      const sx = (x * w) / out;
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, w - 1);
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number) => values[(yy * w + xx) * 3 + c];
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * (sx - x0);
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * (sx - x0);
        res.push(top + (bottom - top) * (sy - y0));
      }
    }
  }
  return res;
}

describe('dlibPreprocess', () => {
  it('centres a 150x150 batch on the RGB means and divides by 255 (or the divisor given)', async () => {
    const values = pixels(2 * 150 * 150 * 3);
    const x = tf.tensor4d(values, [2, 150, 150, 3], 'int32');
    const y = await expectNoLeak(() => dlibPreprocess(x));
    expect(y.dtype).toBe('float32');
    expectClose(y, tf.tensor(centre(values), [2, 150, 150, 3]), { rtol: 1e-6, atol: 1e-6 });
    const z = dlibPreprocess(x, { divisor: 256 });
    expectClose(z, tf.tensor(centre(values, 256), [2, 150, 150, 3]), { rtol: 1e-6, atol: 1e-6 });
    tf.dispose([x, y, z]);
  });

  it('pads a non-square image to a centred square with black, the larger half after it', () =>
    tf.tidy(() => {
      // 150 x 147: three black columns, one before and two after (round(3 / 2) = 2 after).
      const values = pixels(150 * 147 * 3);
      const y = dlibPreprocess(tf.tensor3d(values, [150, 147, 3]));
      expect(y.shape).toEqual([1, 150, 150, 3]);
      const black = centre([0, 0, 0]);
      const column = (x: number) => tf.slice(y, [0, 0, x, 0], [1, 150, 1, 3]);
      for (const x of [0, 148, 149]) {
        expectClose(column(x), tf.tile(tf.tensor(black, [1, 1, 1, 3]), [1, 150, 1, 1]), {
          rtol: 0,
          atol: 1e-6,
        });
      }
      const inner = tf.slice(y, [0, 0, 1, 0], [1, 150, 147, 3]);
      expectClose(inner, tf.tensor(centre(values), [1, 150, 147, 3]), { rtol: 1e-6, atol: 1e-6 });
    }));

  it('resizes other sizes bilinearly to 150x150, each image of a list on its own', () =>
    tf.tidy(() => {
      const small = pixels(6 * 6 * 3);
      const tall = pixels(8 * 4 * 3);
      const y = dlibPreprocess([tf.tensor3d(small, [6, 6, 3]), tf.tensor4d(tall, [1, 8, 4, 3])]);
      expect(y.shape).toEqual([2, 150, 150, 3]);
      expectClose(
        tf.slice(y, [0], [1]),
        tf.tensor(centre(naiveResize(small, 6, 6, 150)), [1, 150, 150, 3]),
        {
          rtol: 1e-4,
          atol: 1e-4,
        },
      );
      // The 8x4 image becomes 8x8 with two black columns before and two after, then 150x150.
      const padded: number[] = [];
      for (let r = 0; r < 8; r++)
        for (let c = 0; c < 8; c++)
          for (let k = 0; k < 3; k++)
            padded.push(c < 2 || c >= 6 ? 0 : tall[(r * 4 + c - 2) * 3 + k]);
      expectClose(
        tf.slice(y, [1], [1]),
        tf.tensor(centre(naiveResize(padded, 8, 8, 150)), [1, 150, 150, 3]),
        {
          rtol: 1e-4,
          atol: 1e-4,
        },
      );
    }));

  it('rejects what is not RGB images, naming the argument', () =>
    tf.tidy(() => {
      expect(() => dlibPreprocess(tf.zeros([150, 150]) as never)).toThrow(ShapeError);
      expect(() => dlibPreprocess(tf.zeros([10, 10, 4]) as tf.Tensor3D)).toThrow(
        /images must have shape \[h, w, 3\] or \[n, h, w, 3\]/,
      );
      expect(() => dlibPreprocess([tf.zeros([10, 10, 3]) as tf.Tensor3D, [1, 2] as never])).toThrow(
        /images\[1\] must be a tf.Tensor3D/,
      );
      expect(() => dlibPreprocess([])).toThrow(InvalidArgumentError);
      expect(() => dlibPreprocess(tf.zeros([150, 150, 3]) as tf.Tensor3D, { divisor: 0 })).toThrow(
        /options.divisor must be a finite number > 0/,
      );
    }));
});
