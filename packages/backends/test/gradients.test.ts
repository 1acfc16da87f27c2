import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { gradConfigs } from 'virtual:face-tfjs-gradients';
import { Rng } from '@face/core';
import { expectClose } from '@face/test-support';
import { registerGradients, useBackend } from '@face/backends';
import { bundleTfjsGradients } from '../bundler/tfjs-gradients';
import { randn } from './compare';

describe('registerGradients', () => {
  it('registers tfjs-core gradients into the app tfjs-core, idempotently', () => {
    // The test setup already called it (through useBackend): nothing is left to register.
    expect(gradConfigs.length).toBeGreaterThan(100);
    const again = registerGradients();
    expect(again.registered).toBe(0);
    expect(again.skipped).toBe(gradConfigs.length);
    expect(again.replaced).toEqual([]);
    for (const c of gradConfigs) expect(tf.getGradient(c.kernelName), c.kernelName).toBeDefined();
  });

  it('leaves a gradient registered by someone else in place', () => {
    const original = tf.getGradient('Sin');
    const custom: tf.GradConfig = {
      kernelName: 'Sin',
      gradFunc: (dy) => ({ x: () => tf.mul(dy as tf.Tensor, 0) }),
    };
    tf.unregisterGradient('Sin');
    tf.registerGradient(custom);
    try {
      expect(registerGradients().skipped).toBe(gradConfigs.length);
      expect(
        tf
          .grad((x: tf.Tensor) => tf.sin(x))(tf.scalar(1))
          .dataSync()[0],
      ).toBe(0);
    } finally {
      tf.unregisterGradient('Sin');
      tf.registerGradient(original);
    }
  });

  it('computes gradients with the public tfjs-core: analytic values, chained kernels', () => {
    // d/dx sum(sin(x) * x^2 / (1 + exp(-x))) checked against the formula.
    const xs = [-1.5, -0.2, 0.3, 2];
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.div(tf.mul(tf.sin(x), tf.square(x)), tf.add(1, tf.exp(tf.neg(x))))),
    )(tf.tensor1d(xs));
    expect(g).toBeInstanceOf(tf.Tensor);
    const expected = xs.map((x) => {
      const s = 1 / (1 + Math.exp(-x));
      const f = Math.sin(x) * x * x;
      const df = Math.cos(x) * x * x + 2 * x * Math.sin(x);
      return df * s + f * s * (1 - s);
    });
    expectClose(g, expected, { rtol: 1e-5, atol: 1e-6 });
  });
});

describe('the bundled gradients', () => {
  it('import tfjs-core internals only through its public API: no second engine or Tensor', async () => {
    const { code, bundled } = await bundleTfjsGradients();
    // Bundled: gradient files and op wrappers tfjs-core does not export; nothing stateful.
    for (const id of bundled) expect(id, id).toMatch(/^(gradients|ops)\//);
    expect(bundled.filter((id) => id.startsWith('ops/')).length).toBeLessThan(15);
    expect(code).not.toMatch(/class (Tensor|Engine|Environment)\b/);
    expect(code).not.toMatch(/^import .* from "(?!@tensorflow\/tfjs-core")/m);
  });
});

describe.each(['cpu', 'wasm'])('on %s, the faster gradients equal tfjs-core own', (backend) => {
  const rng = new Rng(8);
  beforeAll(async () => {
    const previous = tf.getBackend();
    await useBackend(backend as 'cpu' | 'wasm');
    return async () => {
      await tf.setBackend(previous);
    };
  });
  /** Gradients of `f` with tfjs-core's configs for `kernels`, then with ours. */
  function both(kernels: string[], f: () => tf.Tensor[]): [Float32Array[], Float32Array[]] {
    const ours = kernels.map((k) => tf.getGradient(k));
    const values = () => tf.tidy(f).map((t) => t.dataSync() as Float32Array);
    const fast = values();
    for (const k of kernels) {
      tf.unregisterGradient(k);
      tf.registerGradient(gradConfigs.find((c) => c.kernelName === k)!);
    }
    try {
      return [values(), fast];
    } finally {
      kernels.forEach((k, i) => {
        tf.unregisterGradient(k);
        tf.registerGradient(ours[i]);
      });
    }
  }

  it('Sum and Mean', () => {
    const x = randn(rng, [3, 4, 5, 2]);
    const [ref, got] = both(['Sum', 'Mean'], () =>
      tf.grads((a: tf.Tensor) =>
        tf.add(
          tf.sum(tf.mul(tf.sum(a, [0, 2], true), tf.mean(a, [1, 3], true))),
          tf.sum(tf.mean(tf.square(a), [0, 1, 2])),
        ),
      )([tf.tensor(x, [3, 4, 5, 2])]),
    );
    ref.forEach((r, i) => expectClose(got[i], r, { rtol: 1e-5, atol: 1e-6 }));
  });

  it('Prelu (per-channel and shared alpha)', () => {
    const x = randn(rng, [2, 3, 3, 4]);
    const alpha = randn(rng, [4]);
    const [ref, got] = both(['Prelu'], () => [
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.prelu(a, b))))([
        tf.tensor(x, [2, 3, 3, 4]),
        tf.tensor(alpha, [4]),
      ]),
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.prelu(a, b))))([
        tf.tensor(x, [2, 3, 3, 4]),
        tf.scalar(0.3),
      ]),
    ]);
    ref.forEach((r, i) => expectClose(got[i], r, { rtol: 1e-5, atol: 1e-6 }));
  });

  // (tfjs-core cannot differentiate batchNorm without a scale: it saves the missing input.)
  it('FusedBatchNorm with batch statistics (through moments)', () => {
    const x = randn(rng, [4, 3, 3, 5]);
    const gamma = randn(rng, [5]);
    const beta = randn(rng, [5]);
    const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      const y = tf.batchNorm(a, mean, variance, b, g, 1e-3);
      return tf.sum(tf.mul(tf.square(y), tf.add(1, tf.sin(a))));
    };
    const [ref, got] = both(['FusedBatchNorm'], () =>
      tf.grads(loss)([tf.tensor(x, [4, 3, 3, 5]), tf.tensor(gamma), tf.tensor(beta)]),
    );
    ref.forEach((r, i) => expectClose(got[i], r, { rtol: 1e-4, atol: 1e-5 }));
  });
});
