import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeak } from '@face/test-support';
import { InvalidArgumentError, ShapeError } from '@face/core';
import { batchNorm, BatchNorm } from '@face/norms';
import { casesOf, checkAgainstTorch, fixture, FORWARD, nchw } from './support';

describe('batchNorm op against torch.nn.BatchNorm', () => {
  it.each(casesOf('batch'))('%s', (_, c) => {
    for (const layout of ['first', 'last'] as const) {
      const axis = layout === 'first' ? 1 : -1;
      const running = {
        runningMean: tf.tensor1d(c.running_mean!),
        runningVariance: tf.tensor1d(c.running_var!),
      };
      const options = { ...running, training: c.train, eps: c.eps, momentum: c.momentum, axis };
      checkAgainstTorch(c, layout, (x, gamma, beta) => batchNorm(x, { ...options, gamma, beta }).y);
      const out = batchNorm(nchw(c.x, c.shape, layout), options);
      if (c.train) {
        expectClose(out.runningMean!, c.running_mean_after!, { ...FORWARD, what: 'running mean' });
        expectClose(out.runningVariance!, c.running_var_after!, {
          ...FORWARD,
          what: 'running var',
        });
      } else {
        expect(out.runningMean).toBeUndefined();
      }
      tf.dispose([out, running]);
    }
  });

  it('uses batch statistics in inference when it has no running statistics (as PyTorch)', () => {
    const x = tf.tensor2d([
      [1, 10],
      [3, 20],
    ]);
    const { y } = batchNorm(x);
    const s = 1 / Math.sqrt(1 + 1e-5);
    expectClose(y, [
      [-s, -5 / Math.sqrt(25 + 1e-5)],
      [s, 5 / Math.sqrt(25 + 1e-5)],
    ]);
  });

  it('differentiates in training mode without gamma as with gamma = 1 (its own gradient)', () => {
    const x = tf.randomNormal([4, 3, 3, 2], 0, 2, 'float32', 7);
    const w = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 8);
    const ones = tf.ones([2]);
    const beta = tf.tensor1d([0.5, -1]);
    // The gradient runs after batchNorm's scope has ended: what it needs must outlive that scope.
    const loss = (g?: tf.Tensor) => (input: tf.Tensor) =>
      tf.sum(tf.mul(batchNorm(input, { training: true, gamma: g, beta }).y, w));
    const without = tf.grad(loss())(x);
    const withOnes = tf.grad(loss(ones))(x);
    expectClose(without, withOnes, { rtol: 1e-6, atol: 1e-6, what: 'dx' });
    expect(tf.max(tf.abs(without)).dataSync()[0]).toBeGreaterThan(0.01);
    tf.dispose([x, w, ones, beta, without, withOnes]);
  });

  it('leaks nothing but its outputs', async () => {
    const x = tf.randomNormal([4, 3, 3, 2]);
    const [m, v] = [tf.zeros([2]), tf.ones([2])];
    const out = await expectNoLeak(() =>
      batchNorm(x, { training: true, runningMean: m, runningVariance: v }),
    );
    tf.dispose([x, m, v, out.y, out.runningMean!, out.runningVariance!]);
  });

  it('rejects what PyTorch rejects, saying the shape and what it expected', () => {
    const empty = tf.zeros([0, 3]);
    expect(() => batchNorm(empty, { training: true })).toThrow(ShapeError);
    expect(() => batchNorm(empty, { training: true })).toThrow(
      /non-empty batch.*got shape \[0, 3\]/,
    );
    expect(() => batchNorm(tf.zeros([1, 3]), { training: true })).toThrow(
      /more than one value per channel/,
    );
    expect(() => batchNorm(tf.zeros([3]))).toThrow(/rank >= 2/);
    expect(() => batchNorm(tf.zeros([2, 3]), { gamma: tf.ones([4]) })).toThrow(
      /gamma must have shape \[3\]/,
    );
    expect(() => batchNorm(tf.zeros([2, 3]), { axis: 0 })).toThrow(/batch axis/);
    expect(() => batchNorm(tf.zeros([2, 3]), { momentum: 2 })).toThrow(InvalidArgumentError);
    expect(() => batchNorm(tf.zeros([2, 3]), { runningMean: tf.zeros([3]) })).toThrow(
      /runningVariance/,
    );
    tf.dispose(empty);
  });
});

describe('BatchNorm layer', () => {
  it.each(casesOf('batch'))('matches PyTorch channels-last: %s', (_, c) => {
    const layer = new BatchNorm({ momentum: c.momentum, eps: c.eps });
    const x = nchw(c.x, c.shape, 'last');
    layer.build(x.shape);
    layer.setWeights(
      [c.gamma!, c.beta!, c.running_mean!, c.running_var!].map((v) => tf.tensor1d(v)),
    );
    const y = layer.apply(x, { training: c.train }) as tf.Tensor;
    expectClose(y, nchw(c.y, c.shape, 'last'), FORWARD);
    const [, , mean, variance] = layer.getWeights();
    expectClose(mean, c.train ? c.running_mean_after! : c.running_mean!, FORWARD);
    expectClose(variance, c.train ? c.running_var_after! : c.running_var!, FORWARD);
    layer.weights.forEach((w) => w.dispose());
  });

  it.each(fixture.running.map((r) => [r.momentum, r] as const))(
    'tracks running statistics over steps (momentum %s) and uses them in inference',
    async (_, r) => {
      const layer = new BatchNorm({ momentum: r.momentum });
      for (const step of r.steps) {
        const x = nchw(step.x, r.shape, 'last');
        // Inference calls in between must not move the statistics.
        tf.dispose(layer.apply(x) as tf.Tensor);
        const y = await expectNoLeak(() => layer.apply(x, { training: true }) as tf.Tensor);
        const [, , mean, variance] = layer.getWeights();
        expectClose(mean, step.running_mean, { ...FORWARD, what: 'running mean' });
        expectClose(variance, step.running_var, { ...FORWARD, what: 'running var' });
        tf.dispose([x, y]);
      }
      const y = layer.apply(nchw(r.eval_x, r.shape, 'last')) as tf.Tensor;
      expectClose(y, nchw(r.eval_y, r.shape, 'last'), FORWARD);
      layer.weights.forEach((w) => w.dispose());
    },
  );

  it('has the PyTorch weights and can drop them', () => {
    const layer = new BatchNorm();
    layer.build([null, 5, 5, 4]);
    expect(layer.weights.map((w) => [w.originalName, w.trainable, w.shape])).toEqual([
      [expect.stringMatching(/gamma$/), true, [4]],
      [expect.stringMatching(/beta$/), true, [4]],
      [expect.stringMatching(/running_mean$/), false, [4]],
      [expect.stringMatching(/running_var$/), false, [4]],
    ]);
    const bare = new BatchNorm({ center: false, scale: false, trackRunningStats: false });
    bare.build([null, 3]);
    expect(bare.weights).toHaveLength(0);
    const y = bare.apply(tf.tile(tf.tensor2d([[1], [3]], [2, 1]), [1, 3])) as tf.Tensor;
    expectClose(y, tf.tile(tf.tensor2d([[-1], [1]]), [1, 3]), { rtol: 1e-4 });
    expect(() => new BatchNorm({ momentum: -1 })).toThrow(/momentum/);
  });
});
