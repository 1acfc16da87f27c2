import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, jointLoss, tripletLoss } from '@face/losses';
import { expectGradClose, expectValuesClose } from './helpers';
import { metric } from './metric-fixture';

const fx = metric.joint;

describe('jointLoss: 0.7 CE + 0.3 triplet in one step', () => {
  const joint = jointLoss<{ x: tf.Tensor2D; projection: tf.Tensor2D; labels: number[] }>([
    { name: 'ce', weight: 0.7, loss: (b) => crossEntropy(tf.matMul(b.x, b.projection), b.labels) },
    { name: 'triplet', weight: 0.3, loss: (b) => tripletLoss(b.x, b.labels, { margin: 0.2 }) },
  ]);

  it('matches the PyTorch reference in value, breakdown and gradient', () => {
    const x = tf.tensor2d(metric.embeddings);
    const projection = tf.tensor2d(fx.projection);
    const labels = metric.labels;
    const { total, terms } = joint.evaluate({ x, projection, labels });
    expectValuesClose(total, fx.total, 'total');
    expectValuesClose(terms.ce, fx.ce, 'ce term');
    expectValuesClose(terms.triplet, fx.triplet, 'triplet term');
    const grad = tf.grad((e: tf.Tensor) => joint({ x: e as tf.Tensor2D, projection, labels }))(x);
    expectGradClose(grad, fx.grad, metric.embeddings, 1, 'dL/dx');
    expect(joint.terms).toEqual([
      { name: 'ce', weight: 0.7 },
      { name: 'triplet', weight: 0.3 },
    ]);
    tf.dispose([x, projection, total, ...Object.values(terms), grad]);
  });
});
