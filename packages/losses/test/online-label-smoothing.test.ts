import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, loadFixture } from '@face/test-support';
import { OnlineLabelSmoothing } from '@face/losses';
import { expectValuesClose } from './helpers';

interface Fixture {
  onlineLabelSmoothing: {
    numClasses: number;
    alpha: number;
    epoch0: { logits: number[][][]; labels: number[][]; losses: number[] };
    softLabels: number[][];
    counts: number[];
    epoch1: { logits: number[][]; labels: number[]; loss: number; grad: number[][] };
  };
}
const fx = loadFixture<Fixture>(import.meta.url, 'classification').onlineLabelSmoothing;

describe('OnlineLabelSmoothing over two epochs, against the PyTorch reference', () => {
  it('accumulates correct predictions, builds S at the epoch end, and trains on it', () => {
    const ols = new OnlineLabelSmoothing({ numClasses: fx.numClasses, alpha: fx.alpha });
    fx.epoch0.logits.forEach((z, i) => {
      const logits = tf.tensor2d(z);
      const loss = ols.loss(logits, fx.epoch0.labels[i]);
      expectValuesClose(loss, fx.epoch0.losses[i], `epoch 0 batch ${i}`);
      tf.dispose([logits, loss]);
    });
    ols.nextEpoch();
    expect(ols.getState()).toEqual({ epoch: 1 });
    const soft = ols.softLabels();
    expectClose(soft, fx.softLabels, { rtol: 1e-5, atol: 1e-7, what: 'soft labels' });
    // class 3 was never predicted correctly: its row stays zero (hard term only)
    expect((soft.arraySync() as number[][])[3]).toEqual([0, 0, 0, 0]);

    const logits = tf.tensor2d(fx.epoch1.logits);
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor2D) =>
      ols.loss(z, fx.epoch1.labels, { training: false }),
    )(logits);
    expectValuesClose(value, fx.epoch1.loss, 'epoch 1 loss');
    expectClose(grad, fx.epoch1.grad, { rtol: 1e-4, atol: 1e-7, what: 'dL/dz' });
    tf.dispose([soft, logits, value, grad]);
    ols.dispose();
  });

  it('checkpoints: weights and state restore the exact statistics mid-epoch', () => {
    const a = new OnlineLabelSmoothing({ numClasses: fx.numClasses });
    const z = tf.tensor2d(fx.epoch0.logits[0]);
    tf.dispose(a.loss(z, fx.epoch0.labels[0]));
    a.nextEpoch();
    tf.dispose(a.loss(z, fx.epoch0.labels[0]));
    const weights = a.getWeights();
    const b = new OnlineLabelSmoothing({ numClasses: fx.numClasses });
    b.setWeights(weights);
    b.setState(a.getState());
    a.nextEpoch();
    b.nextEpoch();
    const [sa, sb] = [a.softLabels(), b.softLabels()];
    expectClose(sb, sa, { rtol: 0, atol: 0 });
    expect(b.epoch).toBe(2);
    tf.dispose([z, sa, sb, ...weights]);
    a.dispose();
    b.dispose();
  });

  it('training: false does not accumulate', () => {
    const ols = new OnlineLabelSmoothing({ numClasses: fx.numClasses });
    const z = tf.tensor2d(fx.epoch0.logits[0]);
    tf.dispose(ols.loss(z, fx.epoch0.labels[0], { training: false }));
    ols.nextEpoch();
    const s = ols.softLabels();
    expect(Array.from(s.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([z, s]);
    ols.dispose();
  });
});
