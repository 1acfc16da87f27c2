import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, Rng, ShapeError } from '@face/core';
import { expectClose, expectNoLeak } from '@face/test-support';
import { ChannelAffine, channelAffine, ChannelZeroPadding, channelZeroPad } from '@face/pretrained';

const rng = new Rng(3);
const randn = (n: number) => Array.from({ length: n }, () => rng.normal(0, 1));

/** Central finite differences of a scalar f at x (float32 tensors, so a coarse step). */
function numericGrad(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, h = 1e-2): number[] {
  const base = x.dataSync().slice();
  return Array.from(base, (_, i) => {
    const at = (d: number) => {
      const v = base.slice();
      v[i] += d;
      return tf.tidy(() => f(tf.tensor(v, x.shape)).dataSync()[0]);
    };
    return (at(h) - at(-h)) / (2 * h);
  });
}

describe('channelAffine', () => {
  it('scales and shifts each channel, y = x * gamma + beta', async () => {
    const x = tf.tensor4d(randn(2 * 3 * 2 * 4), [2, 3, 2, 4]);
    const gamma = tf.tensor1d([0.5, -2, 3, 1]);
    const beta = tf.tensor1d([1, 0, -1, 0.25]);
    const y = await expectNoLeak(() => channelAffine(x, gamma, beta));
    const xv = x.dataSync();
    const g = gamma.dataSync();
    const b = beta.dataSync();
    const naive = Array.from(xv, (v, i) => v * g[i % 4] + b[i % 4]);
    expectClose(y, tf.tensor(naive, [2, 3, 2, 4]), { rtol: 1e-6, atol: 1e-6 });
    expect(() => channelAffine(x, tf.ones([3]) as tf.Tensor1D, beta)).toThrow(ShapeError);
    expect(() => channelAffine(x, gamma, tf.ones([4, 1]) as unknown as tf.Tensor1D)).toThrow(
      /beta must have shape \[4\]/,
    );
    tf.dispose([x, gamma, beta, y]);
  });

  it('has the gradients finite differences give, for x, gamma and beta', () => {
    const x = tf.tensor3d(randn(2 * 2 * 3), [2, 2, 3]);
    const gamma = tf.tensor1d(randn(3));
    const beta = tf.tensor1d(randn(3));
    const w = tf.tensor3d(randn(2 * 2 * 3), [2, 2, 3]);
    const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(tf.square(channelAffine(a, g as tf.Tensor1D, b as tf.Tensor1D)), w),
      ) as tf.Scalar;
    const [dx, dg, db] = tf.grads(loss)([x, gamma, beta]);
    expectClose(
      dx,
      numericGrad((v) => loss(v, gamma, beta), x),
      { rtol: 1e-2, atol: 1e-2 },
    );
    expectClose(
      dg,
      numericGrad((v) => loss(x, v, beta), gamma),
      { rtol: 1e-2, atol: 1e-2 },
    );
    expectClose(
      db,
      numericGrad((v) => loss(x, gamma, v), beta),
      { rtol: 1e-2, atol: 1e-2 },
    );
    tf.dispose([x, gamma, beta, w, dx, dg, db]);
  });
});

describe('channelZeroPad', () => {
  it('appends zero channels, keeping the input first', async () => {
    const x = tf.tensor4d(randn(2 * 2 * 2 * 3), [2, 2, 2, 3]);
    const y = await expectNoLeak(() => channelZeroPad(x, 5));
    expect(y.shape).toEqual([2, 2, 2, 5]);
    expectClose(tf.slice(y, [0, 0, 0, 0], [-1, -1, -1, 3]), x, { rtol: 0, atol: 0 });
    expect(
      tf
        .slice(y, [0, 0, 0, 3], [-1, -1, -1, 2])
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    expect(() => channelZeroPad(x, 2)).toThrow(/at most 2 channels/);
    expect(() => channelZeroPad(x, 2.5)).toThrow(InvalidArgumentError);
    tf.dispose([x, y]);
  });

  it('passes the gradient of the kept channels through and drops the rest', () => {
    const x = tf.tensor2d(randn(2 * 2), [2, 2]);
    const w = tf.tensor2d(randn(2 * 4), [2, 4]);
    const loss = (a: tf.Tensor) => tf.sum(tf.mul(tf.square(channelZeroPad(a, 4)), w)) as tf.Scalar;
    const dx = tf.grad(loss)(x);
    expectClose(dx, numericGrad(loss, x), { rtol: 1e-2, atol: 1e-2 });
    tf.dispose([x, w, dx]);
  });
});

describe('ChannelAffine and ChannelZeroPadding layers', () => {
  it('build, train as weights, and round-trip through tf.io with identical outputs', async () => {
    const input = tfl.input({ shape: [3, 3, 2] });
    const affine = new ChannelAffine({ name: 'affine' });
    const out = new ChannelZeroPadding({ channels: 5, name: 'pad' }).apply(
      affine.apply(input),
    ) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    expect(out.shape).toEqual([null, 3, 3, 5]);
    expect(affine.trainableWeights.map((w) => w.originalName)).toEqual([
      'affine/gamma',
      'affine/beta',
    ]);
    expect(affine.getWeights().map((t) => Array.from(t.dataSync()))).toEqual([
      [1, 1],
      [0, 0],
    ]);
    affine.setWeights([tf.tensor1d([2, -1]), tf.tensor1d([0.5, 3])]);

    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const topology = JSON.stringify(saved?.modelTopology);
    expect(topology).toContain('"class_name":"ChannelAffine"');
    expect(topology).toContain('"channels":5');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const x = tf.tensor4d(randn(2 * 3 * 3 * 2), [2, 3, 3, 2]);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expectClose(b, a, { rtol: 0, atol: 0 });
    const xv = x.dataSync();
    const expected = Array.from({ length: 2 * 3 * 3 * 5 }, (_, i) => {
      const c = i % 5;
      const v = xv[Math.floor(i / 5) * 2 + c];
      return c === 0 ? 2 * v + 0.5 : c === 1 ? -v + 3 : 0;
    });
    expectClose(a, tf.tensor(expected, a.shape), { rtol: 1e-6, atol: 1e-6 });
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('reject a narrower output and a bad channel count', () => {
    const input = tfl.input({ shape: [2, 2, 4] });
    expect(() => new ChannelZeroPadding({ channels: 3 }).apply(input)).toThrow(ShapeError);
    expect(() => new ChannelZeroPadding({ channels: 0 })).toThrow(
      /channels must be an integer >= 1/,
    );
    expect(() =>
      new ChannelAffine().apply(tfl.input({ shape: [null] as unknown as number[] })),
    ).toThrow(/known channel/);
  });
});
