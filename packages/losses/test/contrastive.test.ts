import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { contrastiveLoss, contrastivePairLoss } from '@face/losses';
import { expectGradClose, expectValuesClose } from './helpers';
import { metric as fx } from './metric-fixture';

describe('contrastive loss against the PyTorch reference', () => {
  it('over every pair of a batch (euclidean)', () => {
    const { margin, perPair, mean, grad } = fx.contrastive.batch;
    const x = tf.tensor2d(fx.embeddings);
    const per = contrastiveLoss(x, fx.labels, { margin, reduction: 'none' });
    expectValuesClose(per, perPair, 'per-pair loss');
    const { value, grad: g } = tf.valueAndGrad((e: tf.Tensor2D) =>
      contrastiveLoss(e, fx.labels, { margin }),
    )(x);
    expectValuesClose(value, mean, 'mean loss');
    expectGradClose(g, grad, fx.embeddings, 1, 'dL/dx');
    tf.dispose([x, per, value, g]);
  });

  it('on explicit pairs (cosine distance, sum)', () => {
    const c = fx.contrastive.pairs;
    const [a, b] = [tf.tensor2d(c.a), tf.tensor2d(c.b)];
    const options = { margin: c.margin, distance: c.distance, reduction: 'sum' } as const;
    const per = contrastivePairLoss(a, b, c.same, { ...options, reduction: 'none' });
    expectValuesClose(per, c.perPair, 'per-pair loss');
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      contrastivePairLoss(x as tf.Tensor2D, y as tf.Tensor2D, c.same, options),
    )([a, b]);
    const total = contrastivePairLoss(a, b, c.same, options);
    expectValuesClose(total, c.sum, 'sum');
    expectGradClose(ga, c.gradA, c.a, 1, 'dL/da');
    expectGradClose(gb, c.gradB, c.b, 1, 'dL/db');
    tf.dispose([a, b, per, ga, gb, total]);
  });
});
