import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@face/test-support';
import { CenterLoss } from '@face/losses';
import { expectGradClose, expectValuesClose } from './helpers';
import { metric } from './metric-fixture';

const fx = metric.center;
const make = (learnable: boolean): CenterLoss => {
  const loss = new CenterLoss({
    numClasses: fx.numClasses,
    embeddingDim: fx.embeddings[0].length,
    lambda: fx.lambda,
    alpha: fx.alpha,
    learnable,
  });
  const c = tf.tensor2d(fx.centers);
  loss.setWeights([c]);
  c.dispose();
  return loss;
};

describe('CenterLoss against the PyTorch reference', () => {
  it('value and gradients (learnable centers)', () => {
    const loss = make(true);
    const x = tf.variable(tf.tensor2d(fx.embeddings));
    const per = loss.loss(x, fx.labels, { reduction: 'none' });
    expectValuesClose(per, fx.perSample, 'per-sample loss');
    const { value, grads } = tf.variableGrads(() => loss.loss(x, fx.labels), [x, loss.centers]);
    expectValuesClose(value, fx.mean, 'mean loss');
    expectGradClose(grads[x.name], fx.gradEmbeddings, fx.embeddings, 1, 'dL/dx');
    expectGradClose(grads[loss.centers.name], fx.gradCenters, fx.centers, 1, 'dL/dc');
    expect(loss.trainableVariables).toEqual([loss.centers]);
    // learnable centers are never moved by the alpha rule
    expectClose(loss.centers, fx.centers, { rtol: 0, atol: 0 });
    tf.dispose([x, per, value, ...Object.values(grads)]);
    loss.dispose();
  });

  it('alpha rule: the loss and its gradient use the centers before the update, then they move', () => {
    const loss = make(false);
    expect(loss.trainableVariables).toEqual([]);
    const x = tf.variable(tf.tensor2d(fx.embeddings));
    const { value, grads } = tf.variableGrads(() => loss.loss(x, fx.labels), [x]);
    expectValuesClose(value, fx.mean, 'mean loss');
    expectGradClose(grads[x.name], fx.gradEmbeddings, fx.embeddings, 1, 'dL/dx');
    expectClose(loss.centers, fx.updatedCenters, {
      rtol: 1e-5,
      atol: 1e-6,
      what: 'updated centers',
    });
    // class 3 has no sample in the batch: its center does not move
    expectClose(loss.centers.arraySync()[3], fx.centers[3], { rtol: 0, atol: 0 });
    tf.dispose([x, value, ...Object.values(grads)]);
    loss.dispose();
  });

  it('training: false leaves the centers alone; weights round-trip', () => {
    const loss = make(false);
    const x = tf.tensor2d(fx.embeddings);
    tf.dispose(loss.loss(x, fx.labels, { training: false }));
    const [c] = loss.getWeights();
    expectClose(c, fx.centers, { rtol: 0, atol: 0 });
    expect(loss.getConfig()).toMatchObject({
      lambda: fx.lambda,
      alpha: fx.alpha,
      learnable: false,
    });
    tf.dispose([x, c]);
    loss.dispose();
  });
});
