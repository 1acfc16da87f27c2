import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  allTripletsMiner,
  batchHardMiner,
  distance,
  hardTripletsMiner,
  semiHardTripletsMiner,
  type TripletMiner,
  tripletLoss,
  tripletMarginLoss,
} from '@face/losses';
import { expectGradClose, expectValuesClose } from './helpers';
import { metric as fx, type TripletCase } from './metric-fixture';

function minerOf(
  [type, m]: TripletCase['miner'],
  kind: TripletCase['distance'],
  normalize: boolean,
): TripletMiner {
  const dist = distance(kind, { normalize });
  const margin = m === 'Infinity' ? Infinity : (m ?? 0);
  if (type === 'all') return allTripletsMiner({ distance: dist, margin });
  if (type === 'hard') return hardTripletsMiner({ distance: dist });
  if (type === 'semihard') return semiHardTripletsMiner({ distance: dist, margin });
  return batchHardMiner({ distance: dist, margin });
}

describe('tripletLoss over a mined batch, against the PyTorch reference', () => {
  it.each(
    fx.triplet.map(
      (c) => [`${c.miner[0]} ${c.distance} soft=${c.softMargin} ${c.reduction}`, c] as const,
    ),
  )('%s', (_name, c) => {
    const normalize = c.normalize ?? false;
    const options = {
      margin: c.margin,
      distance: distance(c.distance, { normalize }),
      softMargin: c.softMargin,
      reduction: c.reduction,
      miner: minerOf(c.miner, c.distance, normalize),
    };
    const x = tf.tensor2d(fx.embeddings);
    const value = tripletLoss(x, fx.labels, options);
    expectValuesClose(value, c.value, 'loss');
    const grad = tf.grad((e: tf.Tensor) =>
      tf.sum(tripletLoss(e as tf.Tensor2D, fx.labels, options)),
    )(x);
    expectGradClose(grad, c.grad, fx.embeddings, 1, 'dL/dx');
    tf.dispose([x, value, grad]);
  });

  it('with no valid triplet gives 0 with a zero gradient, not NaN or a disconnected graph', () => {
    const x = tf.tensor2d(fx.embeddings.slice(0, 4));
    const labels = [0, 1, 2, 3];
    const { value, grad } = tf.valueAndGrad((e: tf.Tensor2D) => tripletLoss(e, labels))(x);
    expect(value.dataSync()[0]).toBe(0);
    expect(Array.from(grad.dataSync()).every((g) => g === 0)).toBe(true);
    tf.dispose([x, value, grad]);
  });
});

describe('tripletMarginLoss on explicit triplets (norms 1e-3..1e3)', () => {
  const { anchor, positive, negative } = fx.tripletMargin;
  it.each(
    fx.tripletMargin.cases.map(
      (c) => [`${c.distance} margin=${c.margin} soft=${c.softMargin}`, c] as const,
    ),
  )('%s', (_name, c) => {
    const [a, p, n] = [anchor, positive, negative].map((m) => tf.tensor2d(m));
    const options = { distance: c.distance, margin: c.margin, softMargin: c.softMargin };
    const per = tripletMarginLoss(a, p, n, { ...options, reduction: 'none' });
    expectValuesClose(per, c.perSample, 'per-triplet loss');
    const grads = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
      tripletMarginLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D, options),
    )([a, p, n]);
    expectGradClose(grads[0], c.gradAnchor, anchor, 1, 'dL/da');
    expectGradClose(grads[1], c.gradPositive, positive, 1, 'dL/dp');
    expectGradClose(grads[2], c.gradNegative, negative, 1, 'dL/dn');
    tf.dispose([a, p, n, per, ...grads]);
  });
});
